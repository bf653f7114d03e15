package io.blackbox.exporter.gradience;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.RunStatus;
import io.blackbox.codecs.Severity;
import io.blackbox.exporter.EpochSeconds;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an existing Gradience JSONL file into a recording, so that exporting gives back the same records: the
 * same keys with the same values, keys beyond the spec kept. The whole file is validated first; a file with
 * any problem imports nothing.
 */
public final class GradienceImporter
{
    private static final Set<String> ENVELOPE = Set.of("schema", "ts", "run_id", "event", "step");
    private static final Set<String> EVAL_FROZEN = Set.of("ppl", "accuracy", "loss", "n");
    private static final int MAX_GROUPED_METRICS = 64;
    private static final byte[] EMPTY = new byte[0];

    /** Writes open-shaped values back as JSON with NaN/Infinity as bare tokens, as they were read. */
    private static final ObjectMapper WRITER = new ObjectMapper(JsonFactory.builder()
        .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
        .build());

    /**
     * What an import did.
     *
     * @param problems the file's problems; when not empty nothing was imported.
     * @param records  records imported.
     * @param runs     distinct run ids.
     */
    public record Result(List<Problem> problems, long records, int runs)
    {
    }

    private final Recorder recorder;
    private final Map<String, GradienceEmitter> emitters = new HashMap<>();

    /**
     * @param recorder the recording to import into.
     */
    public GradienceImporter(final Recorder recorder)
    {
        this.recorder = recorder;
    }

    /**
     * Validate {@code file}; if it has no problem, record each of its lines.
     */
    public static List<Problem> check(final Path file)
    {
        final List<Problem> problems = new ArrayList<>();
        final GradienceValidator validator = new GradienceValidator();
        final String name = file.toString();
        JsonLinesReader.read(file, (line, record) ->
        {
            final int before = problems.size();
            validator.validate(name, line, record, problems);
            if (problems.size() == before)
            {
                // Valid by the spec, but must also fit the record layout.
                try
                {
                    EpochSeconds.toEpochNanos(record.get("ts").doubleValue());
                }
                catch (final ArithmeticException ex)
                {
                    problems.add(new Problem(name, line, "ts", "not a Unix time in seconds that fits in 64-bit nanoseconds"));
                }
                final String event = record.get("event").textValue();
                if (("train_step".equals(event) || "eval".equals(event)) && tooLargeForHotRecord(record))
                {
                    problems.add(new Problem(name, line, null, event + " too large to record: its extra keys take more than " +
                        GradienceEmitter.MAX_HOT_EXTRAS_BYTES + " bytes of JSON"));
                }
                final JsonNode step = record.get("step");
                if (!step.isNull() && (!step.canConvertToLong() || step.longValue() == GradienceEmitter.NO_STEP))
                {
                    problems.add(new Problem(name, line, "step", "out of the 64-bit range a step is recorded in"));
                }
            }
        }, problems::add);
        return problems;
    }

    /**
     * Record every line of a file that {@link #check(Path)} found no problem in.
     *
     * @return records imported.
     */
    public long importFile(final Path file)
    {
        final long[] count = new long[1];
        final String name = file.toString();
        JsonLinesReader.read(file, (line, record) ->
        {
            importRecord(name, line, record);
            count[0]++;
        }, problem ->
        {
            throw new IllegalStateException("file changed since it was checked: " + problem);
        });
        return count[0];
    }

    /**
     * @return distinct run ids imported so far.
     */
    public int runs()
    {
        return emitters.size();
    }

    private void importRecord(final String file, final long line, final ObjectNode record)
    {
        final String runId = record.get("run_id").textValue();
        final GradienceEmitter emitter = emitters.computeIfAbsent(runId, recorder::gradience);
        final long ts = EpochSeconds.toEpochNanos(record.get("ts").doubleValue());
        final JsonNode stepNode = record.get("step");
        final long step = stepNode.isNull() ? GradienceEmitter.NO_STEP : stepNode.longValue();
        final GradienceEvent event = GradienceEvent.fromWireName(record.get("event").textValue());
        final boolean recorded;
        switch (event)
        {
            case TRAIN_STEP -> recorded = importTrainStep(emitter, ts, step, record);
            case EVAL -> recorded = importEval(emitter, ts, step, record);
            case RUN_START -> recorded = emitter.runStartJson(ts, step, json(record.get("config")),
                optionalJson(record.get("meta")), extras(record, Set.of("config", "meta")));
            case METRICS -> recorded = emitter.metricsJson(ts, step, emitter.symbol(record.get("kind").textValue()),
                json(record.get("metrics")), extras(record, Set.of("kind", "metrics")));
            case ALERT -> recorded = emitter.alertJson(ts, step, severity(record.get("severity").textValue()),
                utf8(record.get("code").textValue()), utf8(record.get("message").textValue()),
                optionalJson(record.get("context")), extras(record, Set.of("severity", "code", "message", "context")));
            case RECOMMENDATION -> recorded = emitter.recommendationJson(ts, step, json(record.get("recommendations")),
                extras(record, Set.of("recommendations")));
            case RUN_END -> recorded = emitter.runEndJson(ts, step, status(record.get("status").textValue()),
                record.has("reason") ? utf8(record.get("reason").textValue()) : null,
                extras(record, Set.of("status", "reason")));
            default -> throw new IllegalStateException(file + ":" + line + ": event: unknown");
        }
        if (!recorded)
        {
            throw new IllegalStateException(file + ":" + line + ": not recorded: the recorder is closed");
        }
    }

    private static boolean importTrainStep(final GradienceEmitter emitter, final long ts, final long step,
        final ObjectNode record)
    {
        final GradienceEmitter.TrainStep trainStep = emitter.trainStep(step).timestamp(ts);
        final ObjectNode extras = WRITER.createObjectNode();
        int grouped = 0;
        for (final Map.Entry<String, JsonNode> field : record.properties())
        {
            final String key = field.getKey();
            final JsonNode value = field.getValue();
            if (ENVELOPE.contains(key))
            {
                continue;
            }
            if ("loss".equals(key))
            {
                trainStep.loss(value.doubleValue());
            }
            else if ("lr".equals(key))
            {
                if (value.isArray())
                {
                    final double[] lrs = new double[value.size()];
                    for (int i = 0; i < lrs.length; i++)
                    {
                        lrs[i] = value.get(i).doubleValue();
                    }
                    trainStep.lr(lrs);
                }
                else
                {
                    trainStep.lr(value.doubleValue());
                }
            }
            else if (grouped < MAX_GROUPED_METRICS && isFloat(value))
            {
                trainStep.metric(emitter.symbol(key), value.doubleValue());
                grouped++;
            }
            else if (grouped < MAX_GROUPED_METRICS && value.canConvertToLong() && value.isIntegralNumber())
            {
                trainStep.metric(emitter.symbol(key), value.longValue());
                grouped++;
            }
            else
            {
                extras.set(key, value);
            }
        }
        return trainStep.extrasJson(extras.isEmpty() ? EMPTY : json(extras)).commit();
    }

    private static boolean importEval(final GradienceEmitter emitter, final long ts, final long step,
        final ObjectNode record)
    {
        final GradienceEmitter.Eval eval = emitter.eval(step, record.get("split").textValue()).timestamp(ts);
        final ObjectNode metricsExtras = WRITER.createObjectNode();
        int grouped = 0;
        for (final Map.Entry<String, JsonNode> metric : record.get("metrics").properties())
        {
            final String key = metric.getKey();
            final JsonNode value = metric.getValue();
            if (EVAL_FROZEN.contains(key) && value.isNumber())
            {
                switch (key)
                {
                    case "ppl" -> eval.ppl(value.doubleValue());
                    case "accuracy" -> eval.accuracy(value.doubleValue());
                    case "loss" -> eval.loss(value.doubleValue());
                    default -> eval.n(value.longValue());
                }
            }
            else if (grouped < MAX_GROUPED_METRICS && isFloat(value))
            {
                eval.metric(emitter.symbol(key), value.doubleValue());
                grouped++;
            }
            else if (grouped < MAX_GROUPED_METRICS && value.canConvertToLong() && value.isIntegralNumber())
            {
                eval.metric(emitter.symbol(key), value.longValue());
                grouped++;
            }
            else
            {
                metricsExtras.set(key, value);
            }
        }
        return eval
            .metricsExtrasJson(metricsExtras.isEmpty() ? EMPTY : json(metricsExtras))
            .extrasJson(extras(record, Set.of("split", "metrics")))
            .commit();
    }

    private static boolean tooLargeForHotRecord(final ObjectNode record)
    {
        // The whole record bounds its extra keys: cheap, and exact enough for a limit no real producer nears.
        return json(record).length > GradienceEmitter.MAX_HOT_EXTRAS_BYTES;
    }

    private static boolean isFloat(final JsonNode value)
    {
        return value.isFloatingPointNumber() && !value.isBigDecimal();
    }

    private static byte[] extras(final ObjectNode record, final Set<String> payload)
    {
        ObjectNode extras = null;
        for (final Map.Entry<String, JsonNode> field : record.properties())
        {
            if (!ENVELOPE.contains(field.getKey()) && !payload.contains(field.getKey()))
            {
                if (extras == null)
                {
                    extras = WRITER.createObjectNode();
                }
                extras.set(field.getKey(), field.getValue());
            }
        }
        return extras == null ? EMPTY : json(extras);
    }

    private static byte[] optionalJson(final JsonNode node)
    {
        return node == null ? EMPTY : json(node);
    }

    private static byte[] json(final JsonNode node)
    {
        try
        {
            return WRITER.writeValueAsBytes(node);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] utf8(final String value)
    {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static Severity severity(final String severity)
    {
        return switch (severity)
        {
            case "info" -> Severity.INFO;
            case "warning" -> Severity.WARNING;
            case "error" -> Severity.ERROR;
            case "critical" -> Severity.CRITICAL;
            default -> throw new IllegalArgumentException("severity: " + severity);
        };
    }

    private static RunStatus status(final String status)
    {
        return switch (status)
        {
            case "ok" -> RunStatus.OK;
            case "aborted" -> RunStatus.ABORTED;
            case "error" -> RunStatus.ERROR;
            default -> throw new IllegalArgumentException("status: " + status);
        };
    }
}
