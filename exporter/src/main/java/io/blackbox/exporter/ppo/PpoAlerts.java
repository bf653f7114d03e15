package io.blackbox.exporter.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.AtomicFiles;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.PythonFloats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The alert rules over one PPO stream's lines, in order, and where in the stream they stand, as townlet's
 * {@code telemetry_watch.py} applies them; {@link PpoWatch} feeds it a file's lines, {@link PpoRecordingWatch} a
 * recording's run's.
 * <p>
 * Lines: blank ones skipped, one that is not a JSON object reported and skipped. Rules, each off when its threshold is
 * null: {@code kl_divergence_max} (1.0 records: {@code kl_divergence}) above the KL threshold; {@code grad_norm_max}
 * (1.0: {@code grad_norm}) above the gradient threshold; {@code loss_total} above the loss threshold;
 * {@code batch_entropy_mean} (1.0: {@code loss_entropy}) below the entropy threshold (entropy collapse);
 * {@code reward_advantage_corr} below the correlation threshold (1.1 records only). NaN breaks every rule.
 * <p>
 * Resuming: a record is identified by its {@code log_stream_offset}, or by its line number when it has none (1.0). The
 * stream's identity is a hash of its first line. Given where an earlier watcher stopped ({@link #resumeAfter}), the
 * stream is read from its start again but alerts only on records after that one: no alert repeated, none skipped.
 */
final class PpoAlerts
{
    /**
     * Thresholds; null turns a rule off.
     */
    record Thresholds(Double kl, Double grad, Double loss, Double entropy, Double rewardCorr)
    {
    }

    /**
     * Where a stream stands.
     *
     * @param firstLineHash SHA-256 of the stream's first line, hex; empty until it has one.
     * @param lastOffset    the last processed record's log_stream_offset, -1 when none had one.
     * @param lastLine      the last processed record's line number, 0 before any.
     */
    record Position(String firstLineHash, double lastOffset, long lastLine)
    {
        static final Position START = new Position("", -1, 0);

        /**
         * @return the position's JSON object members, as a state file keeps them.
         */
        String toJsonMembers()
        {
            return String.format(Locale.ROOT,
                "\"first_line_sha256\": \"%s\", \"last_log_stream_offset\": %s, \"last_line\": %d",
                firstLineHash, PythonFloats.toString(lastOffset), lastLine);
        }

        /**
         * @param saved a state file's object holding {@link #toJsonMembers()}.
         * @return the position.
         */
        static Position fromJson(final JsonNode saved)
        {
            return new Position(saved.path("first_line_sha256").asText(""),
                saved.path("last_log_stream_offset").asDouble(-1), saved.path("last_line").asLong(0));
        }
    }

    private final String label;
    private final Thresholds thresholds;
    private final Consumer<String> alerts;
    private final Consumer<String> problems;

    private Position resumeAfter;
    private Position position = Position.START;
    private long lineNumber;
    private long alertCount;

    /**
     * @param label      names the stream in alerts and problems (a file's path).
     * @param thresholds the rules.
     * @param alerts     receives each alert line.
     * @param problems   receives each problem line (a malformed line; not fatal).
     */
    PpoAlerts(final String label, final Thresholds thresholds, final Consumer<String> alerts,
        final Consumer<String> problems)
    {
        this.label = label;
        this.thresholds = thresholds;
        this.alerts = alerts;
        this.problems = problems;
    }

    /**
     * @param saved where an earlier watcher of this stream stopped: records up to it are not alerted on again.
     */
    void resumeAfter(final Position saved)
    {
        this.resumeAfter = saved;
    }

    /**
     * @return where the stream stands.
     */
    Position position()
    {
        return position;
    }

    /**
     * @return alerts given so far.
     */
    long alerts()
    {
        return alertCount;
    }

    /**
     * Process the stream's next line.
     *
     * @param text the line, without its newline.
     * @throws IllegalArgumentException when the stream's first record is not the one the resumed position was saved
     *                                  for: its state belongs to another stream.
     */
    void line(final String text)
    {
        lineNumber++;
        if (text.isBlank())
        {
            return;
        }
        if (position.firstLineHash().isEmpty())
        {
            // The stream's identity: its first record's line, which a resumed watcher must find again.
            position = new Position(sha256(text), position.lastOffset(), position.lastLine());
            if (null != resumeAfter && !resumeAfter.firstLineHash().isEmpty() &&
                !resumeAfter.firstLineHash().equals(position.firstLineHash()))
            {
                throw new IllegalArgumentException("was saved for another stream at " + label +
                    " (its first record differs): remove it to start over");
            }
        }
        final JsonNode parsed;
        try
        {
            parsed = JsonLinesReader.MAPPER.readTree(text);
        }
        catch (final IOException ex)
        {
            problems.accept(label + ":" + lineNumber + ": not valid JSON, skipped (" +
                String.valueOf(ex.getMessage()).lines().findFirst().orElse("") + ")");
            return;
        }
        if (null == parsed || !parsed.isObject())
        {
            problems.accept(label + ":" + lineNumber + ": not a JSON object, skipped");
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
        position = new Position(position.firstLineHash(), offset >= 0 ? offset : position.lastOffset(), lineNumber);
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
            label, lineNumber, offset >= 0 ? "log_stream_offset " + number(offset) + ", " : "",
            null == epoch ? "-" : number(epoch.asDouble()), rule, key, number(value), direction, number(threshold)));
    }

    private static String number(final double value)
    {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long)value) :
            PythonFloats.toString(value);
    }

    /**
     * Replace a state file atomically: a temporary file beside it, then a rename.
     */
    static void replaceStateFile(final Path stateFile, final String json)
    {
        AtomicFiles.writeString(stateFile, json);
    }

    /**
     * Read a state file as a JSON object.
     *
     * @throws IllegalArgumentException naming the file when it is not one.
     */
    static JsonNode readStateFile(final Path stateFile)
    {
        try
        {
            final JsonNode saved = JsonLinesReader.MAPPER.readTree(Files.readString(stateFile));
            if (null == saved || !saved.isObject())
            {
                throw new IllegalArgumentException("--state " + stateFile + ": not a JSON object");
            }
            return saved;
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("--state " + stateFile + ": cannot be read as JSON (" +
                String.valueOf(ex.getMessage()).lines().findFirst().orElse("") + ")");
        }
    }

    /**
     * @return {@code text} as a JSON string.
     */
    static String quote(final String text)
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
