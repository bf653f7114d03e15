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
}
