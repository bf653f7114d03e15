package io.blackbox.exporter.clamp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.AtomicFiles;
import io.blackbox.exporter.Problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The original's {@code TemporalAggregator}: every session file directly under a directory (by name order) into one
 * summary, {@code telemetry_summary.json}, each field under its snake_case name and its camelCase alias with equal
 * values: {@code source_directory} (absolute), {@code session_count} (records, as the original counts them, not
 * files), {@code mean_stability} (6 decimals), {@code stability_variance} (the sample variance, n - 1; 0 for fewer
 * than two records), {@code drift_index} (latest minus earliest {@code acquired_at} over all records, in
 * milliseconds; 0 for one record or none), {@code build_info} (the snapshot file's object, as it is; null when there
 * is none).
 * <p>
 * It reads as the original does, only what it needs: a record counts when it has a numeric {@code stability_score}
 * in [0, 1], and gives a time to the drift when it has an ISO-8601 {@code acquired_at}. A file that is not a session
 * file, or a record without a usable score (the sample's {@code "oops"}, a record of only a context), is reported by
 * name, {@code FILE:RECORD: field: problem}, and skipped; it does not stop the summary. Session files are streamed, a
 * record at a time, so a directory of large sessions needs no more memory than one record.
 */
public final class ClampAggregator
{
    private static final ObjectMapper WRITER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What was aggregated.
     *
     * @param summary the summary document.
     * @param files   session files read.
     * @param skipped what was skipped, and why.
     */
    public record Result(ObjectNode summary, int files, List<Problem> skipped)
    {
    }

    private ClampAggregator()
    {
    }

    /**
     * @param directory the session files' directory.
     * @param snapshot  the provenance snapshot ({@code rocm_snapshot.json}), or a path that does not exist (then
     *                  {@code build_info} is null and that is reported).
     * @return the summary, not written.
     * @throws UncheckedIOException when the directory cannot be listed.
     */
    public static Result aggregate(final Path directory, final Path snapshot)
    {
        final List<Problem> skipped = new ArrayList<>();
        final List<Path> files;
        try (Stream<Path> listing = Files.list(directory))
        {
            files = listing.filter(file -> file.getFileName().toString().endsWith(".json") &&
                Files.isRegularFile(file)).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + directory + ": " + ex.getMessage(), ex);
        }
        final Stats stats = new Stats();
        for (final Path file : files)
        {
            read(file, stats, skipped);
        }
        JsonNode buildInfo = null;
        if (Files.isRegularFile(snapshot))
        {
            try
            {
                buildInfo = WRITER.readTree(Files.readString(snapshot, StandardCharsets.UTF_8));
            }
            catch (final IOException ex)
            {
                skipped.add(Problem.ofFile(snapshot.toString(), "not a JSON document, build_info left null (" +
                    String.valueOf(ex.getMessage()).lines().findFirst().orElse("") + ")"));
            }
        }
        else
        {
            skipped.add(Problem.ofFile(snapshot.toString(), "no such file: build_info is null"));
        }

        final double mean = 0 == stats.count ? 0.0 : stats.sum / stats.count;
        // Welford's sum of squares, divided by n - 1: the sample variance.
        final double variance = stats.count < 2 ? 0.0 : stats.m2 / (stats.count - 1);
        final double drift = stats.count < 2 || Long.MAX_VALUE == stats.earliest ? 0.0 :
            (stats.latest - stats.earliest) / 1e6;
        final ObjectNode summary = WRITER.createObjectNode();
        final String source = directory.toAbsolutePath().normalize().toString();
        summary.put("source_directory", source);
        summary.put("sourceDirectory", source);
        summary.put("session_count", stats.count);
        summary.put("sessionCount", stats.count);
        final BigDecimal sixDecimals = BigDecimal.valueOf(mean).setScale(6, RoundingMode.HALF_EVEN);
        summary.put("mean_stability", sixDecimals);
        summary.put("meanStability", sixDecimals);
        summary.put("stability_variance", variance);
        summary.put("stabilityVariance", variance);
        summary.put("drift_index", drift);
        summary.put("driftIndex", drift);
        summary.set("build_info", buildInfo);
        summary.set("buildInfo", null == buildInfo ? null : buildInfo.deepCopy());
        return new Result(summary, files.size(), skipped);
    }

    /**
     * Write a summary whole: a temporary file beside it, then a rename.
     */
    public static void write(final ObjectNode summary, final Path out)
    {
        try
        {
            AtomicFiles.writeString(out, WRITER.writeValueAsString(summary) + "\n");
        }
        catch (final com.fasterxml.jackson.core.JsonProcessingException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static final class Stats
    {
        long count;
        double sum;
        double welfordMean;
        double m2;
        long earliest = Long.MAX_VALUE;
        long latest = Long.MIN_VALUE;

        void add(final double score)
        {
            count++;
            sum += score;
            final double delta = score - welfordMean;
            welfordMean += delta / count;
            m2 += delta * (score - welfordMean);
        }
    }

    private static void read(final Path file, final Stats stats, final List<Problem> skipped)
    {
        final String name = file.toString();
        final List<Problem> fileSkipped = new ArrayList<>();
        final List<Double> scores = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        try
        {
            final int[] number = { 0 };
            final ClampSessionFile.Document document = ClampSessionFile.stream(file,
                node -> record(node, name, ++number[0], scores, times, fileSkipped));
            if (!document.hasRecords())
            {
                skipped.add(new Problem(name, 0, ClampWire.RECORDS, "not a session file (no records array): skipped"));
                return;
            }
        }
        catch (final IOException ex)
        {
            skipped.add(Problem.ofFile(name, "not a JSON document, skipped (" +
                String.valueOf(ex.getMessage()).lines().findFirst().orElse("") + ")"));
            return;
        }
        // Only a file that read to its end counts, so a half-read file adds nothing.
        skipped.addAll(fileSkipped);
        for (final double score : scores)
        {
            stats.add(score);
        }
        for (final long time : times)
        {
            stats.earliest = Math.min(stats.earliest, time);
            stats.latest = Math.max(stats.latest, time);
        }
    }

    private static void record(final JsonNode record, final String file, final int number, final List<Double> scores,
        final List<Long> times, final List<Problem> skipped)
    {
        final JsonNode score = record.isObject() ? record.get(ClampWire.STABILITY_SCORE) : null;
        if (null == score || !score.isNumber() || !(score.doubleValue() >= 0.0 && score.doubleValue() <= 1.0))
        {
            skipped.add(new Problem(file, number, ClampWire.STABILITY_SCORE, (null == score ? "missing" :
                score.isNumber() ? "outside [0, 1]: " + score : "not a number: " + score) + ", record skipped"));
            return;
        }
        scores.add(score.doubleValue());
        final JsonNode acquired = record.get(ClampWire.ACQUIRED_AT);
        if (null != acquired && acquired.isTextual())
        {
            try
            {
                times.add(ClampWire.nanos(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(acquired.textValue(),
                    Instant::from)));
            }
            catch (final DateTimeParseException | ArithmeticException ex)
            {
                skipped.add(new Problem(file, number, ClampWire.ACQUIRED_AT, "not an ISO-8601 time: " + acquired +
                    ", left out of the drift"));
            }
        }
    }
}
