package io.blackbox.exporter.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.PythonFloats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Follows a PPO NDJSON stream as it grows and alerts on thresholds, one line per alert, as townlet's
 * {@code telemetry_watch.py} does, and resumes where it stopped.
 * <p>
 * Reading: whole lines only (a half-written last line waits for its newline), blank lines skipped, a line that is not
 * a JSON object reported and skipped; none of these stops the watch. Rules, each off when its threshold is null:
 * {@code kl_divergence_max} (1.0 records: {@code kl_divergence}) above the KL threshold; {@code grad_norm_max} (1.0:
 * {@code grad_norm}) above the gradient threshold; {@code loss_total} above the loss threshold;
 * {@code batch_entropy_mean} (1.0: {@code loss_entropy}) below the entropy threshold (entropy collapse);
 * {@code reward_advantage_corr} below the correlation threshold (1.1 records only).
 * <p>
 * Resuming: a record is identified by its {@code log_stream_offset}, or by its line number when it has none (1.0). The
 * state file holds the stream's path, a hash of its first line (so a state is never applied to another stream) and
 * the last record processed; it is replaced atomically (temporary file, then rename) after every batch of lines read.
 * A watcher started again with the same state reads the stream from its start but alerts only on records after the
 * saved one: no alert is repeated and none skipped.
 */
public final class PpoWatch
{
    /**
     * Thresholds; null turns a rule off.
     */
    public record Thresholds(Double kl, Double grad, Double loss, Double entropy, Double rewardCorr)
    {
    }

    /**
     * What the watcher has processed, as the state file keeps it.
     *
     * @param stream        the stream's absolute path.
     * @param firstLineHash SHA-256 of the stream's first line, hex; empty until it has one.
     * @param lastOffset    the last processed record's log_stream_offset, -1 when none had one.
     * @param lastLine      the last processed record's line number, 0 before any.
     */
    public record State(String stream, String firstLineHash, double lastOffset, long lastLine)
    {
    }

    private final Path file;
    private final Thresholds thresholds;
    private final Path stateFile;
    private final Consumer<String> alerts;
    private final Consumer<String> problems;

    private State resumeAfter;
    private State state;
    private long position;
    private long lineNumber;
    /** The bytes after the last newline read: a line still being written, decoded once it is whole. */
    private byte[] pending = new byte[0];
    private long alertCount;

    /**
     * @param file       the stream.
     * @param thresholds the rules.
     * @param stateFile  where to keep the state, or null for none.
     * @param alerts     receives each alert line.
     * @param problems   receives each problem line (a malformed line; not fatal).
     */
    public PpoWatch(final Path file, final Thresholds thresholds, final Path stateFile, final Consumer<String> alerts,
        final Consumer<String> problems)
    {
        this.file = file;
        this.thresholds = thresholds;
        this.stateFile = stateFile;
        this.alerts = alerts;
        this.problems = problems;
        this.state = new State(file.toAbsolutePath().normalize().toString(), "", -1, 0);
    }

    /**
     * Load the state file, when one is given and exists.
     *
     * @throws IllegalArgumentException when it cannot be read or belongs to another stream.
     */
    public void loadState()
    {
        if (null == stateFile || !Files.exists(stateFile))
        {
            return;
        }
        try
        {
            final JsonNode saved = JsonLinesReader.MAPPER.readTree(Files.readString(stateFile));
            final String stream = saved.path("stream").asText("");
            if (!stream.equals(state.stream()))
            {
                throw new IllegalArgumentException("--state " + stateFile + ": belongs to the stream " + stream +
                    ", not " + state.stream());
            }
            resumeAfter = new State(stream, saved.path("first_line_sha256").asText(""),
                saved.path("last_log_stream_offset").asDouble(-1), saved.path("last_line").asLong(0));
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("--state " + stateFile + ": cannot be read as JSON (" +
                String.valueOf(ex.getMessage()).lines().findFirst().orElse("") + ")");
        }
    }

    /**
     * Read what the stream holds now, from where the last call stopped, and alert.
     *
     * @return whether anything was read.
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
            try (var channel = Files.newByteChannel(file))
            {
                channel.position(position);
                final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int)Math.min(size - position, 1 << 24));
                while (buffer.hasRemaining() && channel.read(buffer) > 0)
                {
                    // read until the buffer is full or the file ends
                }
                chunk = new byte[buffer.position()];
                buffer.flip();
                buffer.get(chunk);
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
        for (int i = 0; i < bytes.length; i++)
        {
            if (bytes[i] == '\n')
            {
                line(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        pending = java.util.Arrays.copyOfRange(bytes, start, bytes.length);
        saveState();
        return true;
    }

    /**
     * @return alerts given so far.
     */
    public long alerts()
    {
        return alertCount;
    }

    private void line(final String text)
    {
        lineNumber++;
        if (text.isBlank())
        {
            return;
        }
        if (state.firstLineHash().isEmpty())
        {
            // The stream's identity: its first record's line, which a resumed watcher must find again.
            state = new State(state.stream(), sha256(text), state.lastOffset(), state.lastLine());
            if (null != resumeAfter && !resumeAfter.firstLineHash().isEmpty() &&
                !resumeAfter.firstLineHash().equals(state.firstLineHash()))
            {
                throw new IllegalArgumentException("--state " + stateFile + ": was saved for another stream at " +
                    file + " (its first record differs): remove it to start over");
            }
        }
        final JsonNode parsed;
        try
        {
            parsed = JsonLinesReader.MAPPER.readTree(text);
        }
        catch (final IOException ex)
        {
            problems.accept(file + ":" + lineNumber + ": not valid JSON, skipped (" +
                String.valueOf(ex.getMessage()).lines().findFirst().orElse("") + ")");
            return;
        }
        if (null == parsed || !parsed.isObject())
        {
            problems.accept(file + ":" + lineNumber + ": not a JSON object, skipped");
            return;
        }
        final ObjectNode record = (ObjectNode)parsed;
        final JsonNode offsetNode = record.get(PpoWire.LOG_STREAM_OFFSET);
        final double offset = null != offsetNode && offsetNode.isNumber() ? offsetNode.doubleValue() : -1;
        final boolean seen = null != resumeAfter &&
            (offset >= 0 && resumeAfter.lastOffset() >= 0 ? offset <= resumeAfter.lastOffset() :
                lineNumber <= resumeAfter.lastLine());
        if (!seen)
        {
            check(record, offset);
        }
        state = new State(state.stream(), state.firstLineHash(), offset >= 0 ? offset : state.lastOffset(), lineNumber);
    }

    private void check(final ObjectNode record, final double offset)
    {
        final boolean v11 = record.has(PpoWire.LOG_STREAM_OFFSET);
        above(record, offset, v11 ? PpoWire.KL_DIVERGENCE_MAX : PpoWire.KL_DIVERGENCE, thresholds.kl(), "KL");
        above(record, offset, v11 ? PpoWire.GRAD_NORM_MAX : PpoWire.GRAD_NORM, thresholds.grad(), "gradient norm");
        above(record, offset, PpoWire.LOSS_TOTAL, thresholds.loss(), "loss");
        below(record, offset, v11 ? PpoWire.BATCH_ENTROPY_MEAN : PpoWire.LOSS_ENTROPY, thresholds.entropy(),
            "entropy collapse");
        if (v11)
        {
            below(record, offset, PpoWire.REWARD_ADVANTAGE_CORR, thresholds.rewardCorr(),
                "reward-advantage correlation");
        }
    }

    private void above(final ObjectNode record, final double offset, final String key, final Double threshold,
        final String rule)
    {
        final JsonNode value = record.get(key);
        if (null != threshold && null != value && value.isNumber() &&
            (value.doubleValue() > threshold || Double.isNaN(value.doubleValue())))
        {
            alert(record, offset, rule, key, value.doubleValue(), "above", threshold);
        }
    }

    private void below(final ObjectNode record, final double offset, final String key, final Double threshold,
        final String rule)
    {
        final JsonNode value = record.get(key);
        if (null != threshold && null != value && value.isNumber() &&
            (value.doubleValue() < threshold || Double.isNaN(value.doubleValue())))
        {
            alert(record, offset, rule, key, value.doubleValue(), "below", threshold);
        }
    }

    private void alert(final ObjectNode record, final double offset, final String rule, final String key,
        final double value, final String direction, final double threshold)
    {
        alertCount++;
        final JsonNode epoch = record.get(PpoWire.EPOCH);
        alerts.accept(String.format(Locale.ROOT, "ALERT %s:%d: %sepoch %s: %s: %s %s %s %s",
            file, lineNumber, offset >= 0 ? "log_stream_offset " + number(offset) + ", " : "",
            null == epoch ? "-" : number(epoch.asDouble()), rule, key, number(value), direction, number(threshold)));
    }

    private static String number(final double value)
    {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long)value) :
            PythonFloats.toString(value);
    }

    private void saveState()
    {
        if (null == stateFile)
        {
            return;
        }
        final String json = String.format(Locale.ROOT,
            "{\"stream\": %s, \"first_line_sha256\": \"%s\", \"last_log_stream_offset\": %s, \"last_line\": %d}%n",
            quote(state.stream()), state.firstLineHash(), PythonFloats.toString(state.lastOffset()),
            state.lastLine());
        final Path temporary = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
        try
        {
            Files.writeString(temporary, json, StandardCharsets.UTF_8);
            try
            {
                Files.move(temporary, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temporary, stateFile, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static String quote(final String text)
    {
        try
        {
            return JsonLinesReader.MAPPER.writeValueAsString(text);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static String sha256(final String text)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
