package io.blackbox.exporter.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.exporter.family.FamilyWatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Follows a PPO NDJSON file as it grows and alerts on thresholds ({@link PpoAlerts}), one line per alert, as townlet's
 * {@code telemetry_watch.py} does, and resumes where it stopped.
 * <p>
 * Reading: whole lines only (a half-written last line waits for its newline); a file that shrinks was truncated or
 * replaced, and ends the watch with an error. The state file holds the file's path, a hash of its first line (so a
 * state is never applied to another stream) and the last record processed; it is replaced atomically after every
 * batch of lines read.
 */
final class PpoWatch implements FamilyWatch.Watcher
{
    private final Path file;
    private final Path stateFile;
    private final String stream;
    private final PpoAlerts alerts;

    private long position;
    /** The bytes after the last newline read: a line still being written, decoded once it is whole. */
    private byte[] pending = new byte[0];

    /**
     * @param file       the stream.
     * @param thresholds the rules.
     * @param stateFile  where to keep the state, or null for none.
     * @param alerts     receives each alert line.
     * @param problems   receives each problem line (a malformed line; not fatal).
     */
    PpoWatch(final Path file, final PpoAlerts.Thresholds thresholds, final Path stateFile,
        final Consumer<String> alerts, final Consumer<String> problems)
    {
        this.file = file;
        this.stateFile = stateFile;
        this.stream = file.toAbsolutePath().normalize().toString();
        this.alerts = new PpoAlerts(file.toString(), thresholds, alerts, problems);
    }

    public void loadState()
    {
        if (null == stateFile || !Files.exists(stateFile))
        {
            return;
        }
        final JsonNode saved = PpoAlerts.readStateFile(stateFile);
        final String savedStream = saved.path("stream").asText("");
        if (!savedStream.equals(stream))
        {
            throw new IllegalArgumentException("--state " + stateFile + ": belongs to " + (savedStream.isEmpty() ?
                "the recording " + saved.path("recording").asText("(none)") : "the stream " + savedStream) +
                ", not the stream " + stream);
        }
        alerts.resumeAfter(PpoAlerts.Position.fromJson(saved));
    }

    /**
     * @throws UncheckedIOException when the stream cannot be read, or shrank (it was replaced or truncated).
     */
    public boolean poll()
    {
        final byte[] chunk;
        try
        {
            final long size = Files.size(file);
            if (size < position)
            {
                throw new UncheckedIOException(new IOException(file + ": shrank from " + position + " to " + size +
                    " bytes: the stream was truncated or replaced"));
            }
            if (size == position)
            {
                return false;
            }
            try (SeekableByteChannel channel = Files.newByteChannel(file))
            {
                channel.position(position);
                final ByteBuffer buffer = ByteBuffer.allocate((int)Math.min(size - position, 1 << 24));
                while (buffer.hasRemaining() && channel.read(buffer) > 0)
                {
                    // read until the buffer is full or the file ends
                }
                chunk = Arrays.copyOf(buffer.array(), buffer.position());
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        position += chunk.length;
        final byte[] bytes = new byte[pending.length + chunk.length];
        System.arraycopy(pending, 0, bytes, 0, pending.length);
        System.arraycopy(chunk, 0, bytes, pending.length, chunk.length);
        int start = 0;
        try
        {
            for (int i = 0; i < bytes.length; i++)
            {
                if (bytes[i] == '\n')
                {
                    alerts.line(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--state " + stateFile + ": " + ex.getMessage());
        }
        pending = Arrays.copyOfRange(bytes, start, bytes.length);
        saveState();
        return true;
    }

    public long alerts()
    {
        return alerts.alerts();
    }

    private void saveState()
    {
        if (null != stateFile)
        {
            PpoAlerts.replaceStateFile(stateFile,
                "{\"stream\": " + PpoAlerts.quote(stream) + ", " + alerts.position().toJsonMembers() + "}\n");
        }
    }
}
