package io.blackbox.exporter.gradience;

import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.GradienceSeverity;

import java.util.List;

/**
 * Every name Gradience telemetry uses on the wire, defined once: the schema identifier, the JSON keys, the event
 * names and the enum strings of {@code gradience.vnext.telemetry/v1}, as {@code specs/gradience-telemetry-v1.md}
 * gives them. The exporter, validator, importer and monitor use these; the JSON Schema
 * ({@code gradience-v1.schema.json}) repeats them by nature, and a test keeps the two equal.
 */
public final class GradienceWire
{
    /** The schema identifier every record carries in its {@value #SCHEMA} field. */
    public static final String SCHEMA_ID = "gradience.vnext.telemetry/v1";

    // The envelope every record has.
    /** Envelope key: the schema identifier, {@value #SCHEMA_ID}. */
    public static final String SCHEMA = "schema";
    /** Envelope key: Unix time in seconds. */
    public static final String TS = "ts";
    /** Envelope key: the run. */
    public static final String RUN_ID = "run_id";
    /** Envelope key: the event name. */
    public static final String EVENT = "event";
    /** Envelope key: the training step, an integer or null. */
    public static final String STEP = "step";

    // Event names, the values of {@value #EVENT}; GradienceEvent maps them to its constants.
    /** Event: the run begins. */
    public static final String EVENT_RUN_START = "run_start";
    /** Event: one optimizer step. */
    public static final String EVENT_TRAIN_STEP = "train_step";
    /** Event: an evaluation of one split. */
    public static final String EVENT_EVAL = "eval";
    /** Event: a block of metrics namespaced by kind. */
    public static final String EVENT_METRICS = "metrics";
    /** Event: something a monitor noticed. */
    public static final String EVENT_ALERT = "alert";
    /** Event: a list of recommendations. */
    public static final String EVENT_RECOMMENDATION = "recommendation";
    /** Event: the run ends. */
    public static final String EVENT_RUN_END = "run_end";

    // Payload keys, by event.
    /** {@code run_start}: the config snapshot, an object. */
    public static final String CONFIG = "config";
    /** {@code run_start}: environment info, an object. */
    public static final String META = "meta";
    /** {@code train_step}: the loss; also a key of an {@code eval}'s {@value #METRICS}. */
    public static final String LOSS = "loss";
    /** {@code train_step}: the learning rate, a number or one per parameter group. */
    public static final String LR = "lr";
    /** {@code eval}: the split evaluated. */
    public static final String SPLIT = "split";
    /** {@code eval} and {@code metrics}: the metrics object. */
    public static final String METRICS = "metrics";
    /** {@code eval}'s {@value #METRICS}: perplexity. */
    public static final String PPL = "ppl";
    /** {@code eval}'s {@value #METRICS}: accuracy, a fraction from 0 to 1. */
    public static final String ACCURACY = "accuracy";
    /** {@code eval}'s {@value #METRICS}: the number of examples, an integer. */
    public static final String N = "n";
    /** {@code metrics}: the namespace of the block. */
    public static final String KIND = "kind";
    /** {@code alert}: one of {@link #SEVERITIES}. */
    public static final String SEVERITY = "severity";
    /** {@code alert}: a stable identifier. */
    public static final String CODE = "code";
    /** {@code alert}: human readable text. */
    public static final String MESSAGE = "message";
    /** {@code alert}: an object. */
    public static final String CONTEXT = "context";
    /** {@code recommendation}: an array of recommendation objects. */
    public static final String RECOMMENDATIONS = "recommendations";
    /** {@code run_end}: one of {@link #RUN_STATUSES}. */
    public static final String STATUS = "status";
    /** {@code run_end}: why it ended. */
    public static final String REASON = "reason";

    // Keys Blackbox writes beyond the spec (extra keys, which the spec allows); the spec's schema does not declare them.

    /** {@code run_end}: the process's exit code, when the producer gave one (schema version 1's GradienceRunEnd.exitCode). */
    public static final String EXTENSION_EXIT_CODE = "exit_code";

    /** The keys every record has, in the order they are written. */
    public static final List<String> ENVELOPE = List.of(SCHEMA, TS, RUN_ID, EVENT, STEP);

    // Enum strings.
    /** {@value #SEVERITY}: info. */
    public static final String SEVERITY_INFO = "info";
    /** {@value #SEVERITY}: warning. */
    public static final String SEVERITY_WARNING = "warning";
    /** {@value #SEVERITY}: error. */
    public static final String SEVERITY_ERROR = "error";
    /** {@value #SEVERITY}: critical. */
    public static final String SEVERITY_CRITICAL = "critical";
    /** The values an {@code alert}'s {@value #SEVERITY} may have. */
    public static final List<String> SEVERITIES =
        List.of(SEVERITY_INFO, SEVERITY_WARNING, SEVERITY_ERROR, SEVERITY_CRITICAL);

    /** {@value #STATUS}: the run finished. */
    public static final String STATUS_OK = "ok";
    /** {@value #STATUS}: the run was stopped. */
    public static final String STATUS_ABORTED = "aborted";
    /** {@value #STATUS}: the run failed. */
    public static final String STATUS_ERROR = "error";
    /** The values a {@code run_end}'s {@value #STATUS} may have. */
    public static final List<String> RUN_STATUSES = List.of(STATUS_OK, STATUS_ABORTED, STATUS_ERROR);

    // Conventions the spec and the original project name (samples/README.md), not enums of the schema.
    /** The canonical training split; the generalization gap's denominator. */
    public static final String SPLIT_TRAIN = "train";
    /** The canonical test split; the generalization gap's numerator. */
    public static final String SPLIT_TEST = "test";
    /** The code of the alert on a large generalization gap. */
    public static final String CODE_MEMORIZATION_GAP = "memorization_gap";

    // The context of a memorization_gap alert, as the original monitor writes it.
    /** {@value #CODE_MEMORIZATION_GAP} context: {@code test_ppl / train_ppl}. */
    public static final String GAP_CONTEXT_GAP = "gap";
    /** {@value #CODE_MEMORIZATION_GAP} context: the last train eval's perplexity. */
    public static final String GAP_CONTEXT_TRAIN_PPL = "train_ppl";
    /** {@value #CODE_MEMORIZATION_GAP} context: the last test eval's perplexity. */
    public static final String GAP_CONTEXT_TEST_PPL = "test_ppl";
    /** {@value #CODE_MEMORIZATION_GAP} context: the gap that raises the alert. */
    public static final String GAP_CONTEXT_THRESHOLD = "threshold";
    /** {@value #CODE_MEMORIZATION_GAP} context: the last train eval's step. */
    public static final String GAP_CONTEXT_TRAIN_STEP = "train_step";
    /** {@value #CODE_MEMORIZATION_GAP} context: the last test eval's step. */
    public static final String GAP_CONTEXT_TEST_STEP = "test_step";

    private GradienceWire()
    {
    }

    // The one place wire strings meet the codec enums.

    /**
     * The codec value of a severity string.
     *
     * @param severity one of {@link #SEVERITIES}.
     * @return the codec value.
     * @throws IllegalArgumentException for any other string.
     */
    public static GradienceSeverity severity(final String severity)
    {
        return switch (severity)
        {
            case SEVERITY_INFO -> GradienceSeverity.INFO;
            case SEVERITY_WARNING -> GradienceSeverity.WARNING;
            case SEVERITY_ERROR -> GradienceSeverity.ERROR;
            case SEVERITY_CRITICAL -> GradienceSeverity.CRITICAL;
            default -> throw new IllegalArgumentException("severity=" + severity + " is not one of " + SEVERITIES);
        };
    }

    /**
     * The wire string of a codec severity.
     *
     * @param severity a codec value other than {@code NULL_VAL}.
     * @return its string, one of {@link #SEVERITIES}.
     * @throws IllegalArgumentException for {@code NULL_VAL}.
     */
    public static String severity(final GradienceSeverity severity)
    {
        return switch (severity)
        {
            case INFO -> SEVERITY_INFO;
            case WARNING -> SEVERITY_WARNING;
            case ERROR -> SEVERITY_ERROR;
            case CRITICAL -> SEVERITY_CRITICAL;
            default -> throw new IllegalArgumentException("severity=" + severity + " has no wire name");
        };
    }

    /**
     * The codec value of a run status string.
     *
     * @param status one of {@link #RUN_STATUSES}.
     * @return the codec value.
     * @throws IllegalArgumentException for any other string.
     */
    public static GradienceRunStatus status(final String status)
    {
        return switch (status)
        {
            case STATUS_OK -> GradienceRunStatus.OK;
            case STATUS_ABORTED -> GradienceRunStatus.ABORTED;
            case STATUS_ERROR -> GradienceRunStatus.ERROR;
            default -> throw new IllegalArgumentException("status=" + status + " is not one of " + RUN_STATUSES);
        };
    }

    /**
     * The wire string of a codec run status.
     *
     * @param status a codec value other than {@code NULL_VAL}.
     * @return its string, one of {@link #RUN_STATUSES}.
     * @throws IllegalArgumentException for {@code NULL_VAL}.
     */
    public static String status(final GradienceRunStatus status)
    {
        return switch (status)
        {
            case OK -> STATUS_OK;
            case ABORTED -> STATUS_ABORTED;
            case ERROR -> STATUS_ERROR;
            default -> throw new IllegalArgumentException("status=" + status + " has no wire name");
        };
    }
}
