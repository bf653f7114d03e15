package io.blackbox.recorder.agent;

import io.blackbox.codecs.AgentEventEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.agent.AgentMessageLengths;
import io.blackbox.recorder.EmitterContext;
import io.blackbox.recorder.JsonValues;
import io.blackbox.recorder.RecordWriter;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochNanoClock;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Emits the agent telemetry of one run ({@code specs/agent-telemetry-v0.1.md}): a typed call for each of the spec's
 * ten core events and {@link #custom} for a namespaced event of the caller's, each a line of
 * {@code ROOT/logs/telemetry/<run_id>.jsonl}. The envelope's {@code source} and {@code tags} are this emitter's
 * ({@link #source}, {@link #tags}); {@code cycle} is each call's first argument, from 1.
 * <p>
 * Redaction happens here, before the record's bytes reach the ring ({@link AgentRedaction}, literal by default):
 * every payload value, every command argument, and the tags' values; the payload's {@code redacted_fields} lists what
 * was replaced. Nothing a redaction matches is in the recording, not even in a ring a killed process left behind.
 * <p>
 * Agent events are rare: a call builds its payload as JSON (it allocates) but never blocks on I/O nor takes a lock
 * another thread holds; it returns false when the record was not recorded (counted in
 * {@link io.blackbox.recorder.Recorder#droppedRecords()}). Not thread-safe: one emitter per thread.
 */
public final class AgentEmitter implements AutoCloseable
{
    /** The spec's envelope version. */
    public static final String SCHEMA_VERSION = "0.1";
    /** An event name: {@code module.action}, lower case, digits and underscores, dot-separated. */
    public static final Pattern EVENT_NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    /** The spec's core events, each with its own call. */
    public static final Set<String> CORE_EVENTS = Set.of("plan.generated", "plan.step_started",
        "plan.step_completed", "executor.command_started", "executor.command_completed", "executor.error",
        "review.feedback_generated", "review.decision", "optimizer.profile_selected",
        "optimizer.benchmark_completed");
    /** The payload key listing what was redacted. */
    public static final String REDACTED_FIELDS = "redacted_fields";

    private final EmitterContext context;
    private final RecordWriter writer;
    private final AtomicBuffer buffer;
    private final EpochNanoClock clock;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final AgentEventEncoder encoder = new AgentEventEncoder();
    private AgentRedaction redaction = AgentRedaction.literal();
    private String source = "agent";
    private Map<String, String> tags = Map.of();
    private byte[] tagsJson = JsonValues.toJson(Map.of(), false);
    private List<String> tagsRedacted = List.of();
    private int run;

    /**
     * Prefer {@code recorder.emitter(AgentEmitter::new, runId)}.
     *
     * @param context this emitter's writer, clock and run, and the recorder's symbols.
     */
    public AgentEmitter(final EmitterContext context)
    {
        this.context = context;
        this.writer = context.writer();
        this.buffer = writer.buffer();
        this.clock = context.clock();
        this.run = context.runSymbol();
    }

    @Override
    public void close()
    {
        writer.close();
    }

    /**
     * @param source the envelope's {@code source}: {@code planner}, {@code executor}, {@code reviewer},
     *               {@code memory}, {@code optimizer}, ...; {@code agent} unless set.
     * @return this emitter.
     */
    public AgentEmitter source(final String source)
    {
        if (null == source || source.isBlank())
        {
            throw new IllegalArgumentException("an agent event's source is required");
        }
        this.source = source;
        return this;
    }

    /**
     * @param tags the envelope's {@code tags}, for filtering, written in key order: their values are redacted as
     *             payload values are.
     * @return this emitter.
     */
    public AgentEmitter tags(final Map<String, String> tags)
    {
        final List<String> redacted = new ArrayList<>();
        // By key: a caller's Map.of has no order, and equal tags should give equal lines.
        final Map<String, Object> clean = redaction.redact(new java.util.TreeMap<>(Objects.requireNonNull(tags,
            "tags")), redacted);
        this.tags = new java.util.TreeMap<>(tags);
        this.tagsJson = JsonValues.toJson(clean, false);
        this.tagsRedacted = redacted.stream().map(path -> "tags." + path).toList();
        return this;
    }

    /**
     * @param redaction what is replaced before a record is written; {@link AgentRedaction#literal()} unless set.
     * @return this emitter.
     */
    public AgentEmitter redaction(final AgentRedaction redaction)
    {
        this.redaction = Objects.requireNonNull(redaction, "redaction");
        return tags(tags);
    }

    // ------------------------------------------------------------------ the spec's core events

    /** {@code plan.generated}: the plan's step count, its confidence (reasoning score) and the tools it selected. */
    public boolean planGenerated(final long cycle, final int steps, final double confidence, final List<String> tools)
    {
        final Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("steps", steps);
        payload.put("confidence", confidence);
        payload.put("tools", List.copyOf(tools));
        return emit(cycle, "plan.generated", payload, null);
    }

    /** {@code plan.step_started}: the step's index, its tool and its description. */
    public boolean planStepStarted(final long cycle, final int stepIndex, final String tool, final String description)
    {
        final Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("step_index", stepIndex);
        payload.put("tool", tool);
        payload.put("description", description);
        return emit(cycle, "plan.step_started", payload, null);
    }

    /** {@code plan.step_completed}: the step's index, {@code duration_ms}, a summary of its result and its status. */
    public boolean planStepCompleted(final long cycle, final int stepIndex, final double durationMs,
        final String resultSummary, final String status)
    {
        final Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("step_index", stepIndex);
        payload.put("duration_ms", durationMs);
        payload.put("result_summary", resultSummary);
        payload.put("status", status);
        return emit(cycle, "plan.step_completed", payload, null);
    }

    /** {@code executor.command_started}: the command and its arguments, redacted where they hold a secret. */
    public boolean commandStarted(final long cycle, final String command, final List<String> arguments)
    {
        final Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("command", command);
        payload.put("arguments", null);
        return emit(cycle, "executor.command_started", payload, List.copyOf(arguments));
    }

    /**
     * {@code executor.command_completed}: the exit code and SHA-256 digests ({@code sha256:HEX}) of the command's
     * standard output and error, which are not kept.
     */
    public boolean commandCompleted(final long cycle, final String command, final int exitCode, final byte[] stdout,
        final byte[] stderr)
    {
        final Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("command", command);
        payload.put("exit_code", exitCode);
        payload.put("stdout_digest", digest(stdout));
        payload.put("stderr_digest", digest(stderr));
        return emit(cycle, "executor.command_completed", payload, null);
    }

    /** {@code executor.error}: the exception's class and message, and whether it was handled. */
    public boolean executorError(final long cycle, final String exceptionClass, final String message,
        final boolean handled)
    {
        final Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("exception_class", exceptionClass);
        payload.put("message", message);
        payload.put("handled", handled);
        return emit(cycle, "executor.error", payload, null);
    }

    /** {@code review.feedback_generated}: {@code confidence_delta}, comments and blocking issues. */
    public boolean feedbackGenerated(final long cycle, final double confidenceDelta, final List<String> comments,
        final List<String> blockingIssues)
    {
        final Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("confidence_delta", confidenceDelta);
        payload.put("comments", List.copyOf(comments));
        payload.put("blocking_issues", List.copyOf(blockingIssues));
        return emit(cycle, "review.feedback_generated", payload, null);
    }

    /** {@code review.decision}: the verdict, {@code accept}, {@code revise} or {@code abort}. */
    public boolean decision(final long cycle, final AgentVerdict verdict)
    {
        final Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("verdict", Objects.requireNonNull(verdict, "verdict").wire());
        return emit(cycle, "review.decision", payload, null);
    }

    /** {@code optimizer.profile_selected}: the hardware signature and the profile's name. */
    public boolean profileSelected(final long cycle, final String hardwareSignature, final String profile)
    {
        final Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("hardware_signature", hardwareSignature);
        payload.put("profile", profile);
        return emit(cycle, "optimizer.profile_selected", payload, null);
    }

    /** {@code optimizer.benchmark_completed}: throughput in tokens a second and latency in milliseconds. */
    public boolean benchmarkCompleted(final long cycle, final double throughputTokensPerSecond, final double latencyMs)
    {
        final Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("throughput_tokens_per_s", throughputTokensPerSecond);
        payload.put("latency_ms", latencyMs);
        return emit(cycle, "optimizer.benchmark_completed", payload, null);
    }

    /**
     * A namespaced event of the caller's: {@code module.action}, not one of the core events (they have their calls).
     *
     * @param payload its keys and values (any {@link JsonValues} value); redacted as the core events' are.
     * @throws IllegalArgumentException when the name is not {@code module.action} or is a core event's.
     */
    public boolean custom(final long cycle, final String event, final Map<String, ?> payload)
    {
        if (null == event || !EVENT_NAME.matcher(event).matches())
        {
            throw new IllegalArgumentException("an agent event is named module.action (lower case, digits, " +
                "underscores): " + event);
        }
        if (CORE_EVENTS.contains(event))
        {
            throw new IllegalArgumentException(event + " is a core event: use its own call");
        }
        return emit(cycle, event, new LinkedHashMap<>(Objects.requireNonNull(payload, "payload")), null);
    }

    /**
     * Record an event as a file had it (importers): no redaction, the payload and tags as their JSON text.
     *
     * @param timestampNanos its time, epoch nanoseconds.
     * @return whether it was recorded.
     */
    public boolean importEvent(final long timestampNanos, final long cycle, final String eventSource,
        final String event, final byte[] payloadJson, final byte[] tagsText)
    {
        return write(timestampNanos, cycle, context.symbol(eventSource), context.symbol(event), payloadJson, tagsText);
    }

    private boolean emit(final long cycle, final String event, final Map<String, Object> payload,
        final List<String> arguments)
    {
        if (cycle < 1)
        {
            throw new IllegalArgumentException("cycle counts from 1: " + cycle);
        }
        final List<String> redacted = new ArrayList<>();
        final Map<String, Object> clean = redaction.redact(payload, redacted);
        if (null != arguments)
        {
            clean.put("arguments", redaction.redactArguments("arguments", arguments, redacted));
        }
        redacted.addAll(tagsRedacted);
        clean.put(REDACTED_FIELDS, redacted);
        final byte[] payloadJson = JsonValues.toJson(clean, false);
        return write(clock.nanoTime(), cycle, context.symbol(source), context.symbol(event), payloadJson, tagsJson);
    }

    private boolean write(final long timestampNanos, final long cycle, final int sourceSymbol, final int eventSymbol,
        final byte[] payloadJson, final byte[] tagsText)
    {
        if (EmitterContext.NO_SYMBOL == sourceSymbol || EmitterContext.NO_SYMBOL == eventSymbol)
        {
            return context.refuse();
        }
        if (EmitterContext.NO_SYMBOL == run)
        {
            run = context.runSymbol();
            if (EmitterContext.NO_SYMBOL == run)
            {
                return context.refuse();
            }
        }
        final int index = writer.claim(AgentEventEncoder.TEMPLATE_ID,
            AgentMessageLengths.event(payloadJson.length, tagsText.length));
        if (index < 0)
        {
            return false;
        }
        try
        {
            encoder.wrapAndApplyHeader(buffer, index, header)
                .timestamp(timestampNanos)
                .cycle(cycle)
                .run(run)
                .source(sourceSymbol)
                .eventName(eventSymbol)
                .putPayload(payloadJson, 0, payloadJson.length)
                .putTags(tagsText, 0, tagsText.length);
        }
        catch (final RuntimeException ex)
        {
            writer.abort(index);
            throw ex;
        }
        writer.commit(index);
        return true;
    }

    private static String digest(final byte[] bytes)
    {
        try
        {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(null == bytes ? new byte[0] : bytes));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
