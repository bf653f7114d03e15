package io.blackbox.exporter;

import java.util.Locale;
import java.util.Objects;

/**
 * One thing wrong with an input file: where it is and what is wrong.
 * <p>
 * {@link #toString()} gives the form the command line prints, one problem a line, in the
 * {@code FILE:LINE: field: problem} shape that editors and {@code grep} understand:
 * <pre>
 * run.jsonl:3: metrics.n: must be an integer, found 2.5
 * run.jsonl:7: malformed JSON at column 12: Unexpected end-of-input
 * run.jsonl: file is empty
 * </pre>
 * It is always one line: a control character in any part (a key read from the file, a file name) prints as
 * a backslash, {@code u} and four hex digits, so input can neither break the line nor reach the terminal raw.
 *
 * @param file    the file as the user named it.
 * @param line    the 1-based line number, or 0 when the problem concerns the whole file.
 * @param field   the path of the field at fault, e.g. {@code metrics.n} or {@code lr[2]}; null or empty when the
 *                problem is not about one field.
 * @param message what is wrong, in lower case, without a trailing full stop.
 */
public record Problem(String file, long line, String field, String message)
{
    /**
     * Check the parts at construction, so a problem always prints.
     */
    public Problem
    {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        if (line < 0)
        {
            throw new IllegalArgumentException("line=" + line + " must be 0 (whole file) or a 1-based line number");
        }
    }

    /**
     * A problem with the whole file, such as it being missing or empty.
     *
     * @param file    the file as the user named it.
     * @param message what is wrong.
     * @return the problem, with line 0 and no field.
     */
    public static Problem ofFile(final String file, final String message)
    {
        return new Problem(file, 0, null, message);
    }

    /**
     * A problem with one line that is not about a single field, such as malformed JSON.
     *
     * @param file    the file as the user named it.
     * @param line    the 1-based line number.
     * @param message what is wrong.
     * @return the problem, with no field.
     */
    public static Problem ofLine(final String file, final long line, final String message)
    {
        return new Problem(file, line, null, message);
    }

    /**
     * Whether this problem concerns the whole file rather than one line.
     *
     * @return true when {@link #line()} is 0.
     */
    public boolean isFileLevel()
    {
        return 0 == line;
    }

    /**
     * The problem as one line: {@code FILE:LINE: field: problem}, {@code FILE:LINE: problem} when there is no field,
     * and {@code FILE: problem} for a problem with the whole file; control characters escaped.
     *
     * @return the printable form.
     */
    @Override
    public String toString()
    {
        final StringBuilder builder = new StringBuilder(file.length() + message.length() + 32);
        appendEscaped(builder, file);
        if (line > 0)
        {
            builder.append(':').append(line);
        }
        builder.append(": ");
        if (null != field && !field.isEmpty())
        {
            appendEscaped(builder, field);
            builder.append(": ");
        }
        appendEscaped(builder, message);

        return builder.toString();
    }

    private static void appendEscaped(final StringBuilder builder, final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (Character.isISOControl(c))
            {
                builder.append(String.format(Locale.ROOT, "\\u%04X", (int)c));
            }
            else
            {
                builder.append(c);
            }
        }
    }
}
