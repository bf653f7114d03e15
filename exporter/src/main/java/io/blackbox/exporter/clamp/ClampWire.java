package io.blackbox.exporter.clamp;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The Clamp v0.5 wire: keys, the session file's name, and the number and time forms the original writes.
 */
public final class ClampWire
{
    /** The family's name. */
    public static final String FAMILY = "clamp";
    /** Where session files go under an export root (and where the original's CI keeps them). */
    public static final String TELEMETRY_DIRECTORY = "build/telemetry";
    /** The summary the aggregator writes, beside the telemetry directory. */
    public static final String SUMMARY_FILE = "build/telemetry_summary.json";
    /** The provenance snapshot the aggregator copies into the summary. */
    public static final String SNAPSHOT_FILE = "build/rocm_snapshot.json";

    /** File key: the mean of the records' scores. */
    public static final String STABILITY_SCORE = "stability_score";
    /** File key: the records. */
    public static final String RECORDS = "records";
    /** Record key: the anchor's logical name. */
    public static final String CONTEXT = "context";
    /** Record key: the 64-bit entropy seed, never 0 for a valid anchor. */
    public static final String SEED = "seed";
    /** Record key: the host thread id, a string. */
    public static final String THREAD_ID = "thread_id";
    /** Record key: ISO-8601 UTC. */
    public static final String ACQUIRED_AT = "acquired_at";
    /** Record key: ISO-8601 UTC, or null while in flight. */
    public static final String RELEASED_AT = "released_at";
    /** Record key: milliseconds, 3 decimals. */
    public static final String DURATION_MS = "duration_ms";
    /** Record keys in the spec's order. */
    public static final List<String> RECORD_KEYS =
        List.of(CONTEXT, SEED, THREAD_ID, ACQUIRED_AT, RELEASED_AT, DURATION_MS, STABILITY_SCORE);

    private static final DateTimeFormatter FILE_TIME =
        DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ClampWire()
    {
    }

    /**
     * @param sessionStart when the recorder session began.
     * @return {@code clamp_run_YYYYMMDDTHHMMSSZ.json}, the original's name.
     */
    public static String sessionFileName(final Instant sessionStart)
    {
        return "clamp_run_" + FILE_TIME.format(sessionStart) + ".json";
    }

    /**
     * @return {@code value} with 3 decimals ({@code duration_ms}).
     */
    public static String threeDecimals(final double value)
    {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /**
     * @return {@code value} with 6 decimals (a file's {@code stability_score}, the summary's mean).
     */
    public static String sixDecimals(final double value)
    {
        return String.format(Locale.ROOT, "%.6f", value);
    }

    /**
     * @param epochNanos a time.
     * @return it as ISO-8601 UTC, {@code Z}, with as many fraction digits as it has (none for a whole second).
     */
    public static String formatTime(final long epochNanos)
    {
        return io.blackbox.exporter.EpochSeconds.toInstant(epochNanos); // ISO_INSTANT, as Instant.toString writes it
    }

    /**
     * @return a recorded time as the export writes it: to the millisecond, as {@code duration_ms} is.
     */
    public static long toMillisecond(final long epochNanos)
    {
        return nanos(instant(epochNanos).truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * @return the instant of epoch nanoseconds.
     */
    public static Instant instant(final long epochNanos)
    {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
            Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /**
     * @return epoch nanoseconds of an instant.
     * @throws ArithmeticException when it is out of the range of a long's nanoseconds (years 1677-2262).
     */
    public static long nanos(final Instant instant)
    {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }
}
