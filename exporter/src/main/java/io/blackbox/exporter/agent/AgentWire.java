package io.blackbox.exporter.agent;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The agent telemetry 0.1 wire: the envelope's keys in the spec's order and its time form.
 */
public final class AgentWire
{
    /** The family's name. */
    public static final String FAMILY = "agent";
    /** Where the files go under an export root: the spec's default transport. */
    public static final String DIRECTORY = "logs/telemetry";

    public static final String SCHEMA_VERSION = "schema_version";
    public static final String TIMESTAMP = "timestamp";
    public static final String SOURCE = "source";
    public static final String RUN_ID = "run_id";
    public static final String CYCLE = "cycle";
    public static final String EVENT = "event";
    public static final String PAYLOAD = "payload";
    public static final String TAGS = "tags";
    /** The envelope's keys, in the spec's order. */
    public static final List<String> ENVELOPE_KEYS =
        List.of(SCHEMA_VERSION, TIMESTAMP, SOURCE, RUN_ID, CYCLE, EVENT, PAYLOAD, TAGS);

    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private AgentWire()
    {
    }

    /**
     * @param epochNanos a time.
     * @return it as the spec writes it: ISO-8601 UTC, milliseconds, {@code Z} ({@code 2025-10-06T12:34:56.789Z}).
     */
    public static String formatTime(final long epochNanos)
    {
        return TIME.format(Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
            Math.floorMod(epochNanos, 1_000_000_000L)));
    }

    /**
     * {@link #formatTime} for one thread, without a {@link DateTimeFormatter} a call: the date's text is kept for the
     * day it was last asked for and the time of day written digit by digit (an export formats millions of timestamps,
     * most of the same day). Years outside 0000-9999 go to {@link #formatTime}. Not thread-safe: one per export.
     */
    static final class TimeFormat
    {
        private static final long NANOS_PER_DAY = 86_400_000_000_000L;

        private final char[] text = "0000-00-00T00:00:00.000Z".toCharArray();
        private long day = Long.MIN_VALUE;

        String format(final long epochNanos)
        {
            final long epochDay = Math.floorDiv(epochNanos, NANOS_PER_DAY);
            if (epochDay != day)
            {
                final java.time.LocalDate date = java.time.LocalDate.ofEpochDay(epochDay);
                if (date.getYear() < 0 || date.getYear() > 9999)
                {
                    return formatTime(epochNanos);
                }
                digits(date.getYear(), 0, 4);
                digits(date.getMonthValue(), 5, 2);
                digits(date.getDayOfMonth(), 8, 2);
                day = epochDay;
            }
            final long millisOfDay = Math.floorMod(epochNanos, NANOS_PER_DAY) / 1_000_000L;
            digits((int)(millisOfDay / 3_600_000L), 11, 2);
            digits((int)(millisOfDay / 60_000L % 60), 14, 2);
            digits((int)(millisOfDay / 1000L % 60), 17, 2);
            digits((int)(millisOfDay % 1000L), 20, 3);
            return new String(text);
        }

        private void digits(final int value, final int at, final int width)
        {
            int v = value;
            for (int i = at + width - 1; i >= at; i--)
            {
                text[i] = (char)('0' + v % 10);
                v /= 10;
            }
        }
    }
}
