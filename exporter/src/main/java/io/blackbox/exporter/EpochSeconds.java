package io.blackbox.exporter;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Unix timestamps between their recorded form (integer nanoseconds) and the specs' JSON form (seconds as a
 * number, {@code 1768253565.118277}).
 * <p>
 * The text is the exact decimal of the nanoseconds with trailing zeros removed (at least one fractional digit,
 * so the number stays a float as Python producers write it). Hand-written because no library writes a
 * fixed-point decimal into a reused buffer; the export runs this once per record.
 */
public final class EpochSeconds
{
    /** Longest text: sign, 10 integer digits, point, 9 fraction digits, with room to spare. */
    public static final int MAX_LENGTH = 32;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private EpochSeconds()
    {
    }

    /**
     * Write {@code epochNs} as decimal seconds into {@code dst}.
     *
     * @return the number of chars written.
     */
    public static int format(final long epochNs, final char[] dst)
    {
        int position = 0;
        long seconds = epochNs / NANOS_PER_SECOND;
        long nanos = epochNs % NANOS_PER_SECOND;
        if (epochNs < 0)
        {
            dst[position++] = '-';
            seconds = -seconds;
            nanos = -nanos;
        }

        final int integerStart = position;
        do
        {
            dst[position++] = (char)('0' + seconds % 10);
            seconds /= 10;
        }
        while (seconds != 0);
        reverse(dst, integerStart, position - 1);

        dst[position++] = '.';
        int digits = 9;
        while (digits > 1 && nanos % 10 == 0)
        {
            nanos /= 10;
            digits--;
        }
        for (int i = digits - 1; i >= 0; i--)
        {
            dst[position + i] = (char)('0' + nanos % 10);
            nanos /= 10;
        }
        return position + digits;
    }

    /**
     * @return the text of {@code epochNs} as decimal seconds.
     */
    public static String toString(final long epochNs)
    {
        final char[] chars = new char[MAX_LENGTH];
        return new String(chars, 0, format(epochNs, chars));
    }

    /**
     * Seconds as a JSON number (a Python float) to nanoseconds: the shortest decimal that reads back as that
     * double, rounded to the nanosecond, so {@code 1768253565.118277} records as {@code 1768253565118277000}.
     *
     * @throws ArithmeticException when the value does not fit in a long of nanoseconds.
     */
    public static long toEpochNanos(final double seconds)
    {
        if (!Double.isFinite(seconds))
        {
            throw new ArithmeticException("not a finite timestamp: " + seconds);
        }
        return BigDecimal.valueOf(seconds).movePointRight(9).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /**
     * Seconds written as a decimal to nanoseconds, exactly: the text's value rounded to the nanosecond, so an export's
     * {@code 1796425927.300642554} reads back as {@code 1796425927300642554}, which its double could not hold.
     *
     * @throws ArithmeticException when the value does not fit in a long of nanoseconds.
     */
    public static long toEpochNanos(final BigDecimal seconds)
    {
        return seconds.movePointRight(9).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    private static void reverse(final char[] chars, final int from, final int to)
    {
        for (int i = from, j = to; i < j; i++, j--)
        {
            final char c = chars[i];
            chars[i] = chars[j];
            chars[j] = c;
        }
    }

    /**
     * @return {@code epochNs} as an ISO-8601 instant in UTC, to the nanosecond where it has one
     * ({@code 2026-01-12T21:32:45.118277Z}), for people ({@code print}, {@code summary --recording}).
     */
    public static String toInstant(final long epochNs)
    {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L),
            Math.floorMod(epochNs, 1_000_000_000L)).toString();
    }
}
