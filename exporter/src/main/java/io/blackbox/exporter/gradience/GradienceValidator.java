package io.blackbox.exporter.gradience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.FamilyValidator;
import io.blackbox.exporter.JsonLinesValidator;
import io.blackbox.exporter.JsonSchemaCheck;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordCheck;

import java.nio.file.Path;
import java.util.List;

/**
 * Checks Gradience telemetry against every rule of the {@code gradience.vnext.telemetry/v1} contract.
 * <p>
 * The structure is declared in the JSON Schema {@value #SCHEMA_RESOURCE} beside this class: the envelope of every
 * record and the payload each event requires, with the types of the fields the spec names. Extra keys are allowed
 * everywhere, as the contract's forward compatibility rules say; a field present with the value {@code null} must
 * have the field's type (only {@code step} may be null). Numbers include {@code NaN} and the infinities, which
 * Python writes for its floats; booleans are never numbers.
 * <p>
 * The Java rules here are what the schema cannot say:
 * <ul>
 *     <li>{@code step} and an {@code eval}'s {@code metrics.n} are integers written as integers: JSON Schema counts
 *         {@code 2.0} as an integer, Python's {@code json} module never writes an {@code int} that way;</li>
 *     <li>an {@code eval}'s {@code metrics.accuracy} is a fraction from 0 to 1, where {@code NaN} (Python's "not
 *         known", e.g. over no examples) is allowed: the schema library cannot compare {@code NaN}.</li>
 * </ul>
 * A validator holds no state, so one instance may be shared by threads.
 */
public final class GradienceValidator implements FamilyValidator
{
    /**
     * The JSON Schema of one record, a resource beside this class.
     */
    public static final String SCHEMA_RESOURCE = "gradience-v1.schema.json";

    private static final JsonSchemaCheck SCHEMA_CHECK = JsonSchemaCheck.load(GradienceValidator.class, SCHEMA_RESOURCE);
    private static final JsonLinesValidator VALIDATOR = new JsonLinesValidator(SCHEMA_CHECK, GradienceValidator::checkRules);

    /**
     * Validate every record of a JSON Lines file, including the problems of the file itself: it being missing or
     * empty, malformed lines, invalid UTF-8 and the others {@code JsonLinesReader} finds.
     *
     * @param file the file; problems name it as {@code file.toString()}.
     * @return every problem in file order; empty when the file is valid.
     */
    @Override
    public List<Problem> validate(final Path file)
    {
        return VALIDATOR.validate(file);
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
        VALIDATOR.validate(file, line, record, out);
    }

    /**
     * The schema the validator checks records against.
     *
     * @return the loaded schema.
     */
    public static JsonSchemaCheck schema()
    {
        return SCHEMA_CHECK;
    }

    private static void checkRules(final ObjectNode record, final RecordCheck check)
    {
        final JsonNode step = record.get(GradienceWire.STEP);
        if (RecordCheck.isWholeFloat(step))
        {
            check.problem(GradienceWire.STEP, "must be an integer or null, found " + RecordCheck.quote(step));
        }

        final JsonNode metrics = record.get(GradienceWire.METRICS);
        if (!isEvent(record, GradienceWire.EVENT_EVAL) || null == metrics || !metrics.isObject())
        {
            return;
        }

        final JsonNode accuracy = metrics.get(GradienceWire.ACCURACY);
        // NaN compares false both ways, so it passes: it is "not known", not a value outside the range.
        if (null != accuracy && accuracy.isNumber() &&
            (accuracy.doubleValue() < 0.0 || accuracy.doubleValue() > 1.0))
        {
            check.problem(GradienceWire.METRICS + "." + GradienceWire.ACCURACY,
                "must be a fraction from 0 to 1, found " + RecordCheck.quote(accuracy));
        }

        final JsonNode n = metrics.get(GradienceWire.N);
        if (RecordCheck.isWholeFloat(n))
        {
            check.problem(GradienceWire.METRICS + "." + GradienceWire.N,
                "must be an integer, found " + RecordCheck.quote(n));
        }
    }

    private static boolean isEvent(final ObjectNode record, final String event)
    {
        final JsonNode value = record.get(GradienceWire.EVENT);
        return null != value && value.isTextual() && event.equals(value.textValue());
    }
}
