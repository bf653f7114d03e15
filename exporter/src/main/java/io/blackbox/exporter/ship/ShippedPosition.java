package io.blackbox.exporter.ship;

import io.blackbox.exporter.AtomicFiles;
import io.blackbox.exporter.RecordingException;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * How far {@code blackbox ship} got with a recording on one topic: the excerpts the broker acknowledged, from the
 * first. Kept next to the recording ({@code RECORDING/shipped-TOPIC.properties}), written whole (temporary file,
 * then rename) after acknowledgements, so a shipper that is killed resumes at the last number written. Excerpts it
 * sent after that may be on the topic already: they are sent again, and the collector drops the copies by their
 * number ({@link ShipWire#EXCERPT_HEADER}).
 * <pre>
 *   recording=&lt;the recording's id, ShipWire.recordingId&gt;
 *   topic=&lt;topic&gt;
 *   excerpts=&lt;excerpts acknowledged&gt;
 * </pre>
 */
final class ShippedPosition
{
    private static final String RECORDING = "recording";
    private static final String TOPIC = "topic";
    private static final String EXCERPTS = "excerpts";
    static final long SAVE_INTERVAL_NS = 100_000_000L;

    private final Path file;
    private final String recordingId;
    private final String topic;
    private long written;
    private long savedNs = System.nanoTime();

    private ShippedPosition(final Path file, final String recordingId, final String topic, final long excerpts)
    {
        this.file = file;
        this.recordingId = recordingId;
        this.topic = topic;
        this.written = excerpts;
    }

    static Path file(final Path recording, final String topic)
    {
        return recording.resolve("shipped-" + topic + ".properties");
    }

    /**
     * @return the position of {@code recordingId} on {@code topic}: where it was left, or 0 when never shipped.
     * @throws RecordingException naming the file and field when it does not hold, or holds another recording's.
     */
    static ShippedPosition load(final Path recording, final String recordingId, final String topic)
    {
        final Path file = file(recording, topic);
        final String text;
        try
        {
            text = Files.readString(file);
        }
        catch (final NoSuchFileException ex)
        {
            return new ShippedPosition(file, recordingId, topic, 0);
        }
        catch (final IOException ex)
        {
            throw new RecordingException(file + ": cannot read the shipped position: " + ex.getMessage());
        }
        final Properties properties = new Properties();
        try
        {
            properties.load(new StringReader(text));
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new RecordingException(file + ": not a shipped position: " + ex.getMessage());
        }
        if (!recordingId.equals(properties.getProperty(RECORDING)))
        {
            throw new RecordingException(file + ": recording: " + properties.getProperty(RECORDING) +
                " is not this recording's id " + recordingId + " (a position copied from another recording?); " +
                "remove the file to ship this recording from its start");
        }
        final long excerpts;
        try
        {
            excerpts = Long.parseLong(properties.getProperty(EXCERPTS, ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new RecordingException(file + ": excerpts: not a number: " + properties.getProperty(EXCERPTS));
        }
        if (excerpts < 0)
        {
            throw new RecordingException(file + ": excerpts: must be 0 or more, was " + excerpts);
        }
        return new ShippedPosition(file, recordingId, topic, excerpts);
    }

    long excerpts()
    {
        return written;
    }

    /**
     * {@link #save}, at most every {@link #SAVE_INTERVAL_NS}: a shipper that keeps up acknowledges every few
     * milliseconds, and a position a little behind costs only excerpts sent again, which the collector drops.
     */
    void saveIfDue(final long excerpts)
    {
        if (System.nanoTime() - savedNs >= SAVE_INTERVAL_NS)
        {
            save(excerpts);
        }
    }

    /**
     * Write {@code excerpts} acknowledged, when it moved. Not synced to the disk: a process killed loses nothing
     * written; a machine that loses its page cache may find an older position, which again costs only copies.
     */
    void save(final long excerpts)
    {
        savedNs = System.nanoTime();
        if (excerpts == written)
        {
            return;
        }
        AtomicFiles.writeString(file, RECORDING + "=" + recordingId + "\n" + TOPIC + "=" + topic + "\n" + EXCERPTS +
            "=" + excerpts + "\n");
        written = excerpts;
    }

    Path path()
    {
        return file;
    }
}
