package io.blackbox.exporter.gradience;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Checks Gradience telemetry against every rule of the {@code gradience.vnext.telemetry/v1} contract.
 * <p>
 * The envelope of every record: {@code schema} equal to {@link #SCHEMA}; {@code ts} a number; {@code run_id} a
 * non-empty string; {@code event} one of the seven stable {@link GradienceEvent}s; {@code step} present, and an
 * integer or null. Then the payload each event requires:
 * <ul>
 *     <li>{@code run_start}: {@code config} an object; {@code meta}, if present, an object.</li>
 *     <li>{@code train_step}: {@code loss}, if present, a number; {@code lr}, if present, a number or a non-empty
 *         list of numbers.</li>
 *     <li>{@code eval}: {@code split} a non-empty string; {@code metrics} an object whose frozen keys, where present,
 *         have their types: {@code ppl}, {@code loss} numbers, {@code accuracy} a number from 0 to 1, {@code n}
 *         an integer.</li>
 *     <li>{@code metrics}: {@code kind} a non-empty string; {@code metrics} an object.</li>
 *     <li>{@code alert}: {@code severity} one of {@link #ALERT_SEVERITIES}; {@code code} a non-empty string;
 *         {@code message} a string; {@code context}, if present, an object.</li>
 *     <li>{@code recommendation}: {@code recommendations} an array of objects.</li>
 *     <li>{@code run_end}: {@code status} one of {@link #RUN_END_STATUSES}; {@code reason}, if present, a
 *         string.</li>
 * </ul>
 * Numbers include {@code NaN} and the infinities, which Python writes for its floats; booleans are never numbers.
 * A field that is present with the value {@code null} is present: it must have the field's type (only
 * {@code step} may be null). Extra keys are allowed everywhere, as the contract's forward compatibility rules say.
 * <p>
 * A validator holds no state, so one instance may be shared by threads.
 */
public final class GradienceValidator
{
    /**
     * The schema identifier every record carries in its {@code schema} field.
     */
    public static final String SCHEMA = "gradience.vnext.telemetry/v1";

    /**
     * The values an {@code alert}'s {@code severity} may have.
     */
    public static final List<String> ALERT_SEVERITIES = List.of("info", "warning", "error", "critical");

    /**
     * The values a {@code run_end}'s {@code status} may have.
     */
    public static final List<String> RUN_END_STATUSES = List.of("ok", "aborted", "error");

    private static final String EVENT_NAMES = Arrays.stream(GradienceEvent.values())
        .map(GradienceEvent::wireName)
        .collect(Collectors.joining(", "));

    // Values quoted in messages are escaped to ASCII, so a hostile record cannot move a terminal's cursor.
    private static final ObjectWriter DIAGNOSTIC_WRITER = JsonLinesReader.MAPPER.writer()
        .with(JsonWriteFeature.ESCAPE_NON_ASCII);
    private static final int MAX_QUOTED_VALUE_LENGTH = 60;
    private static final String DEL = String.valueOf((char)0x7F);
    private static final String ESCAPED_DEL = "\\u007F";

    /**
     * Validate every record of a JSON Lines file, including the problems of the file itself: it being missing or
     * empty, malformed lines, invalid UTF-8 and the others {@link JsonLinesReader} finds.
     *
     * @param file the file; problems name it as {@code file.toString()}.
     * @return every problem in file order; empty when the file is valid.
     */
    public List<Problem> validate(final Path file)
    {
        final String name = file.toString();
        final List<Problem> problems = new ArrayList<>();
        JsonLinesReader.read(file, (line, record) -> validate(name, line, record, problems), problems::add);

        return problems;
    }

    /**
     * Validate one record.
     *
     * @param file   the file name for the problems.
     * @param line   the record's 1-based line number, for the problems.
     * @param record the record.
     * @param out    receives the record's problems, in field order; untouched when the record is valid.
     */
    public void validate(final String file, final long line, final ObjectNode record, final List<Problem> out)
    {
        Objects.requireNonNull(record, "record");
        final RecordCheck check = new RecordCheck(file, line, out);

        checkSchema(check, record);
        check.requireNumber(record, "ts", "ts");
        check.requireString(record, "run_id", "run_id", true);
        final GradienceEvent event = checkEvent(check, record);
        checkStep(check, record);

        if (null == event)
        {
            return;
        }

        switch (event)
        {
            case RUN_START:
                check.requireObject(record, "config", "config");
                check.optionalObject(record, "meta", "meta");
                break;

            case TRAIN_STEP:
                check.optionalNumber(record, "loss", "loss");
                checkLearningRate(check, record);
                break;

            case EVAL:
                check.requireString(record, "split", "split", true);
                final ObjectNode metrics = check.requireObject(record, "metrics", "metrics");
                if (null != metrics)
                {
                    checkEvalMetrics(check, metrics);
                }
                break;

            case METRICS:
                check.requireString(record, "kind", "kind", true);
                check.requireObject(record, "metrics", "metrics");
                break;

            case ALERT:
                check.requireOneOf(record, "severity", "severity", ALERT_SEVERITIES);
                check.requireString(record, "code", "code", true);
                check.requireString(record, "message", "message", false);
                check.optionalObject(record, "context", "context");
                break;

            case RECOMMENDATION:
                checkRecommendations(check, record);
                break;

            case RUN_END:
                check.requireOneOf(record, "status", "status", RUN_END_STATUSES);
                check.optionalString(record, "reason", "reason");
                break;

            default:
                throw new IllegalStateException("no rules for event " + event);
        }
    }

    private static void checkSchema(final RecordCheck check, final ObjectNode record)
    {
        final JsonNode schema = check.requireString(record, "schema", "schema", false);
        if (null != schema && !SCHEMA.equals(schema.textValue()))
        {
            check.problem("schema", "must be \"" + SCHEMA + "\", found " + quote(schema));
        }
    }

    private static GradienceEvent checkEvent(final RecordCheck check, final ObjectNode record)
    {
        final JsonNode event = check.requireString(record, "event", "event", false);
        if (null == event)
        {
            return null;
        }

        final GradienceEvent type = GradienceEvent.fromWireName(event.textValue());
        if (null == type)
        {
            check.problem("event", "unknown event " + quote(event) + "; expected one of " + EVENT_NAMES);
        }

        return type;
    }

    private static void checkStep(final RecordCheck check, final ObjectNode record)
    {
        final JsonNode step = record.get("step");
        if (null == step)
        {
            check.problem("step", "missing required field (write null when there is no step)");
        }
        else if (!step.isNull() && !step.isIntegralNumber())
        {
            check.problem("step", "must be an integer or null, found " + quote(step));
        }
    }

    private static void checkLearningRate(final RecordCheck check, final ObjectNode record)
    {
        final JsonNode lr = record.get("lr");
        if (null == lr || lr.isNumber())
        {
            return;
        }

        if (!lr.isArray())
        {
            check.problem("lr", "must be a number or a list of numbers, found " + quote(lr));
        }
        else if (lr.isEmpty())
        {
            check.problem("lr", "must not be an empty list");
        }
        else
        {
            for (int i = 0; i < lr.size(); i++)
            {
                final JsonNode element = lr.get(i);
                if (!element.isNumber())
                {
                    check.problem("lr[" + i + "]", "must be a number, found " + quote(element));
                }
            }
        }
    }

    private static void checkEvalMetrics(final RecordCheck check, final ObjectNode metrics)
    {
        check.optionalNumber(metrics, "ppl", "metrics.ppl");
        check.optionalNumber(metrics, "loss", "metrics.loss");

        final JsonNode accuracy = check.optionalNumber(metrics, "accuracy", "metrics.accuracy");
        // NaN is Python's "not known" (e.g. an accuracy over no examples), not a value outside the range.
        if (null != accuracy && (accuracy.doubleValue() < 0.0 || accuracy.doubleValue() > 1.0))
        {
            check.problem("metrics.accuracy", "must be a fraction from 0 to 1, found " + quote(accuracy));
        }

        final JsonNode n = metrics.get("n");
        if (null != n && !n.isIntegralNumber())
        {
            check.problem("metrics.n", "must be an integer, found " + quote(n));
        }
    }

    private static void checkRecommendations(final RecordCheck check, final ObjectNode record)
    {
        final JsonNode recommendations = record.get("recommendations");
        if (null == recommendations)
        {
            check.problem("recommendations", "missing required field");
            return;
        }
        if (!recommendations.isArray())
        {
            check.problem("recommendations", "must be an array of objects, found " + quote(recommendations));
            return;
        }

        for (int i = 0; i < recommendations.size(); i++)
        {
            final JsonNode element = recommendations.get(i);
            if (!element.isObject())
            {
                check.problem("recommendations[" + i + "]", "must be an object, found " + quote(element));
            }
        }
    }

    /**
     * A value as it would appear in JSON, shortened, for a message: {@code "abc"}, {@code 2.0}, {@code true},
     * {@code null}; containers are named rather than printed.
     */
    private static String quote(final JsonNode value)
    {
        if (value.isObject())
        {
            return "an object";
        }
        if (value.isArray())
        {
            return "an array";
        }

        String text;
        try
        {
            text = DIAGNOSTIC_WRITER.writeValueAsString(value);
        }
        catch (final JsonProcessingException ex)
        {
            text = value.getNodeType().name().toLowerCase(Locale.ROOT);
        }

        // JSON leaves DEL unescaped; it is a control character all the same.
        text = text.replace(DEL, ESCAPED_DEL);

        return text.length() <= MAX_QUOTED_VALUE_LENGTH ? text : text.substring(0, MAX_QUOTED_VALUE_LENGTH) + "...";
    }

    /**
     * The checks of one record, each adding a problem at the record's line when a rule is broken.
     */
    private static final class RecordCheck
    {
        private final String file;
        private final long line;
        private final List<Problem> out;

        RecordCheck(final String file, final long line, final List<Problem> out)
        {
            this.file = file;
            this.line = line;
            this.out = out;
        }

        void problem(final String field, final String message)
        {
            out.add(new Problem(file, line, field, message));
        }

        /**
         * @return the value when present and a number, else null (after adding a problem).
         */
        JsonNode requireNumber(final ObjectNode parent, final String key, final String path)
        {
            final JsonNode value = parent.get(key);
            if (null == value)
            {
                problem(path, "missing required field");
                return null;
            }

            return checkNumber(value, path);
        }

        /**
         * @return the value when present and a number, else null (after adding a problem if present).
         */
        JsonNode optionalNumber(final ObjectNode parent, final String key, final String path)
        {
            final JsonNode value = parent.get(key);
            return null == value ? null : checkNumber(value, path);
        }

        /**
         * @return the value when present and a string (non-empty if asked), else null (after adding a problem).
         */
        JsonNode requireString(final ObjectNode parent, final String key, final String path, final boolean nonEmpty)
        {
            final JsonNode value = parent.get(key);
            if (null == value)
            {
                problem(path, "missing required field");
                return null;
            }

            return checkString(value, path, nonEmpty);
        }

        void optionalString(final ObjectNode parent, final String key, final String path)
        {
            final JsonNode value = parent.get(key);
            if (null != value)
            {
                checkString(value, path, false);
            }
        }

        /**
         * @return the value when present and an object, else null (after adding a problem).
         */
        ObjectNode requireObject(final ObjectNode parent, final String key, final String path)
        {
            final JsonNode value = parent.get(key);
            if (null == value)
            {
                problem(path, "missing required field");
                return null;
            }

            return checkObject(value, path);
        }

        void optionalObject(final ObjectNode parent, final String key, final String path)
        {
            final JsonNode value = parent.get(key);
            if (null != value)
            {
                checkObject(value, path);
            }
        }

        void requireOneOf(final ObjectNode parent, final String key, final String path, final List<String> allowed)
        {
            final JsonNode value = requireString(parent, key, path, false);
            if (null != value && !allowed.contains(value.textValue()))
            {
                problem(path, "must be one of " + String.join(", ", allowed) + ", found " + quote(value));
            }
        }

        private JsonNode checkNumber(final JsonNode value, final String path)
        {
            if (value.isNumber())
            {
                return value;
            }

            problem(path, "must be a number, found " + quote(value));
            return null;
        }

        private JsonNode checkString(final JsonNode value, final String path, final boolean nonEmpty)
        {
            if (!value.isTextual())
            {
                problem(path, "must be a string, found " + quote(value));
                return null;
            }
            if (nonEmpty && value.textValue().isEmpty())
            {
                problem(path, "must not be empty");
                return null;
            }

            return value;
        }

        private ObjectNode checkObject(final JsonNode value, final String path)
        {
            if (value.isObject())
            {
                return (ObjectNode)value;
            }

            problem(path, "must be an object, found " + quote(value));
            return null;
        }
    }
}
