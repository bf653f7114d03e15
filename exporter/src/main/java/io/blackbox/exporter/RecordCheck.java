package io.blackbox.exporter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;

/**
 * Where the problems of one record go: each names the record's file and line and the field at fault.
 * <p>
 * Also how a message shows a value of the record ({@link #quote(JsonNode)}), so every validator quotes alike.
 */
public final class RecordCheck
{
    private static final int MAX_QUOTED_VALUE_LENGTH = 60;

    private final String file;
    private final long line;
    private final List<Problem> out;

    /**
     * @param file the file name for the problems.
     * @param line the record's 1-based line number.
     * @param out  receives the problems.
     */
    public RecordCheck(final String file, final long line, final List<Problem> out)
    {
        this.file = file;
        this.line = line;
        this.out = out;
    }

    /**
     * Add a problem with one field of the record.
     *
     * @param field   the field's path, e.g. {@code metrics.n} or {@code lr[2]}.
     * @param message what is wrong, in lower case, without a trailing full stop.
     */
    public void problem(final String field, final String message)
    {
        out.add(new Problem(file, line, field, message));
    }

    /**
     * Whether a value is a number written with a fraction or an exponent although its value is whole, such as
     * {@code 2.0} or {@code 1e2}. JSON Schema counts such a number as an integer; a spec whose integers are
     * Python {@code int}s does not.
     *
     * @param value a value, or null.
     * @return true for a floating-point number with a whole, finite value.
     */
    public static boolean isWholeFloat(final JsonNode value)
    {
        if (null == value || !value.isNumber() || value.isIntegralNumber())
        {
            return false;
        }

        final double number = value.doubleValue();
        return Double.isFinite(number) && number == Math.rint(number);
    }

    /**
     * A value as it would appear in JSON, shortened, for a message: {@code "abc"}, {@code 2.0}, {@code true},
     * {@code null}; containers are named rather than printed. Control and non-ASCII characters are escaped.
     *
     * @param value the value.
     * @return the text to quote.
     */
    public static String quote(final JsonNode value)
    {
        if (value.isObject())
        {
            return "an object";
        }
        if (value.isArray())
        {
            return "an array";
        }

        // Escaped to ASCII, so a hostile record cannot move a terminal's cursor.
        String text;
        try
        {
            text = QuotedText.json(value);
        }
        catch (final JsonProcessingException ex)
        {
            text = value.getNodeType().name().toLowerCase(Locale.ROOT);
        }

        return text.length() <= MAX_QUOTED_VALUE_LENGTH ? text : text.substring(0, MAX_QUOTED_VALUE_LENGTH) + "...";
    }
}
