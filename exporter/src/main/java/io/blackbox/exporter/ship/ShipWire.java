package io.blackbox.exporter.ship;

import io.blackbox.exporter.RecordingReader;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * What {@code blackbox ship} puts on a Kafka topic, and what {@code export --bootstrap} reads back: one message per
 * queue excerpt (a recording batch, {@link io.blackbox.codecs.layout.RecordingBatchDescriptor}, its bytes as the
 * drainer stored them, CRC and compression included).
 * <pre>
 *   key      the recording's id: 36 ASCII bytes, a UUID made from its first session (host, pid, start)
 *   value    the excerpt's bytes
 *   headers  blackbox.excerpt    8 bytes, big-endian: the excerpt's number in its recording, from 0
 *            blackbox.recording  UTF-8: the recording's directory where it was shipped from (named by the summary)
 * </pre>
 * Keyed by recording, not by run: a batch holds the records of every run its lane carried, and a record's run is a
 * symbol defined earlier in its session, so a run's records mean nothing without the session's other records. One
 * key per recording keeps every record of a recording, so every run's, in order in one partition.
 */
public final class ShipWire
{
    public static final String EXCERPT_HEADER = "blackbox.excerpt";
    public static final String RECORDING_HEADER = "blackbox.recording";
    /** The topic when {@code --topic} is not given. */
    public static final String DEFAULT_TOPIC = "blackbox";

    private ShipWire()
    {
    }

    /**
     * @return the id of the recording whose first session is {@code first}: the same on every read of it, and
     * different for two recordings (another process, ring or start).
     */
    public static String recordingId(final RecordingReader.Session first)
    {
        final String identity = first.host() + '\n' + first.pid() + '\n' + first.timestampNanos();
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static byte[] excerptNumber(final long number)
    {
        return ByteBuffer.allocate(Long.BYTES).putLong(number).array();
    }

    /**
     * @return the excerpt number in {@code header}, or -1 when it is not 8 bytes.
     */
    public static long excerptNumber(final byte[] header)
    {
        return null == header || header.length != Long.BYTES ? -1 : ByteBuffer.wrap(header).getLong();
    }
}
