package io.blackbox.exporter;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * A double as the text Python's {@code json} module writes for a float ({@code float.__repr__}): the shortest digits
 * that read back as the same double, laid out as Python lays them out. Java and Python agree on the digits and
 * differ on the layout: Java writes {@code 3.0E-4} and {@code 1.0E7}, Python {@code 0.0003} and {@code 10000000.0};
 * Python switches to an exponent only below 1e-4 or from 1e16 on, writes it with a sign and at least two digits
 * ({@code 1.5e-07}, {@code 1e+16}), and gives a whole number in positional form a {@code .0}. A family whose
 * original producers are Python programs writes its floats with this, so an export matches the original byte for
 * byte and an imported file exports to itself.
 * <p>
 * The digits come from Jackson's Schubfach writer (shortest, and the closer of two candidates, as CPython's
 * {@code repr}); {@code PythonFloatsTest} compares the result with CPython's own output for 3,100 doubles.
 * Non-finite values are written as Python's {@code json} writes them: {@code NaN}, {@code Infinity},
 * {@code -Infinity}.
 */
public final class PythonFloats
{
    /** The longest text {@link #format} writes: a sign, 17 digits, a point, {@code e-308}, with room to spare. */
    public static final int MAX_LENGTH = 32;

    /** Python writes an exponent when the decimal point would sit this far left of the first digit, or further. */
    private static final int SCIENTIFIC_BELOW = -4;
    /** ... or further right than this. */
    private static final int SCIENTIFIC_ABOVE = 16;

    private PythonFloats()
    {
    }

    /**
     * @param value the double.
     * @return its text as Python writes it.
     */
    public static String toString(final double value)
    {
        final char[] out = new char[MAX_LENGTH];
        return new String(out, 0, format(value, out));
    }

    /**
     * Write a double as Python writes it.
     *
     * @param value the double.
     * @param out   at least {@link #MAX_LENGTH} chars.
     * @return the number of chars written from index 0.
     */
    public static int format(final double value, final char[] out)
    {
        if (Double.isNaN(value))
        {
            return put("NaN", out, 0);
        }
        if (Double.isInfinite(value))
        {
            return put(value > 0 ? "Infinity" : "-Infinity", out, 0);
        }

        // Java's layout: [-]D.DDD or [-]D.DDDE[-]N, with the shortest digits.
        final String java = NumberOutput.toString(value, true);
        int i = 0;
        int n = 0;
        if (java.charAt(0) == '-')
        {
            out[n++] = '-';
            i = 1;
        }

        final char[] digits = new char[20];
        int digitCount = 0;
        int pointAt = -1;
        int exponent = 0;
        for (; i < java.length(); i++)
        {
            final char c = java.charAt(i);
            if (c == '.')
            {
                pointAt = digitCount;
            }
            else if (c == 'E')
            {
                exponent = Integer.parseInt(java, i + 1, java.length(), 10);
                break;
            }
            else
            {
                digits[digitCount++] = c;
            }
        }

        // value = 0.d1d2d3... x 10^decimalPoint, with no leading or trailing zero digit.
        int decimalPoint = (pointAt < 0 ? digitCount : pointAt) + exponent;
        int first = 0;
        while (first < digitCount && digits[first] == '0')
        {
            first++;
            decimalPoint--;
        }
        int last = digitCount;
        while (last > first && digits[last - 1] == '0')
        {
            last--;
        }
        if (first == last)
        {
            return put("0.0", out, n);
        }
        int significant = last - first;

        // Java writes at least two digits and takes the closer two-digit decimal; where one digit already reads back
        // (only among the smallest subnormals, whose neighbours are far apart) Python writes that one digit.
        if (significant == 2 && Math.abs(value) < Double.MIN_NORMAL)
        {
            int rounded = ((digits[first] - '0') * 10 + (digits[first + 1] - '0') + 5) / 10;
            int point = decimalPoint;
            if (rounded == 10)
            {
                rounded = 1;
                point++;
            }
            if (Double.parseDouble(rounded + "e" + (point - 1)) == Math.abs(value))
            {
                digits[first] = (char)('0' + rounded);
                last = first + 1;
                significant = 1;
                decimalPoint = point;
            }
        }

        if (decimalPoint <= SCIENTIFIC_BELOW || decimalPoint > SCIENTIFIC_ABOVE)
        {
            out[n++] = digits[first];
            if (significant > 1)
            {
                out[n++] = '.';
                for (int d = first + 1; d < last; d++)
                {
                    out[n++] = digits[d];
                }
            }
            out[n++] = 'e';
            final int e = decimalPoint - 1;
            out[n++] = e < 0 ? '-' : '+';
            final int magnitude = Math.abs(e);
            if (magnitude >= 100)
            {
                out[n++] = (char)('0' + magnitude / 100);
            }
            out[n++] = (char)('0' + magnitude / 10 % 10);
            out[n++] = (char)('0' + magnitude % 10);
            return n;
        }

        if (decimalPoint <= 0)
        {
            out[n++] = '0';
            out[n++] = '.';
            for (int z = decimalPoint; z < 0; z++)
            {
                out[n++] = '0';
            }
            for (int d = first; d < last; d++)
            {
                out[n++] = digits[d];
            }
            return n;
        }

        for (int k = 0; k < decimalPoint; k++)
        {
            out[n++] = k < significant ? digits[first + k] : '0';
        }
        out[n++] = '.';
        if (significant <= decimalPoint)
        {
            out[n++] = '0';
        }
        else
        {
            for (int d = first + decimalPoint; d < last; d++)
            {
                out[n++] = digits[d];
            }
        }
        return n;
    }

    private static int put(final String text, final char[] out, final int at)
    {
        text.getChars(0, text.length(), out, at);
        return at + text.length();
    }
}
