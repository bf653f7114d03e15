package io.blackbox.exporter.clamp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.family.FamilyReport;
import io.blackbox.exporter.report.Plot;
import io.blackbox.exporter.report.ReportSection;

import io.blackbox.exporter.RecordingException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Clamp's part of {@code blackbox report}, from a recording (its line export's entries, a lock and its release each):
 * each run's anchor hold times ({@code duration_ms}) by context and its stability scores, in the order the anchors were
 * released; a row per run with its anchors, those in flight, and the mean duration and score. From files, each session
 * file is a run named by the file (a file does not name its run).
 */
final class ClampReport implements FamilyReport
{
    @Override
    public boolean recognizes(final JsonNode firstRecord)
    {
        return false; // a session file's first line is not a record: see recognizesDocument
    }

    /**
     * A session file: a {@code .json} file holding an object with a {@code records} array.
     */
    @Override
    public boolean recognizesDocument(final Path file)
    {
        if (!file.getFileName().toString().endsWith(".json"))
        {
            return false;
        }
        try
        {
            return ClampSessionFile.stream(file, record -> { }).hasRecords();
        }
        catch (final IOException ex)
        {
            return false; // not JSON: the lines' reader says what is wrong with it
        }
    }

    /**
     * The session file's records, its run being its name without {@code .json} (a file does not name its run).
     */
    @Override
    public long readDocument(final Path file, final Collector into)
    {
        final String name = file.getFileName().toString();
        final String run = name.substring(0, name.length() - ".json".length());
        final long[] count = new long[1];
        try
        {
            ClampSessionFile.stream(file, record ->
            {
                count[0]++;
                if (!record.isObject())
                {
                    throw new RecordingException(file + ": record " + count[0] + ": not a JSON object");
                }
                into.record(run, (ObjectNode)record);
            });
        }
        catch (final IOException ex)
        {
            throw new RecordingException(file + ": cannot read the session file: " + ex.getMessage());
        }
        return count[0];
    }

    @Override
    public Collector newCollector()
    {
        return new ClampCollector();
    }

    /**
     * One run's sums.
     */
    private static final class Run
    {
        private long anchors;
        private long inFlight;
        private double durationSum;
        private double scoreSum;
    }

    private static final class ClampCollector implements Collector
    {
        private final Plot duration = new Plot("duration", "Anchor hold time by context (duration_ms)", "anchor",
            "duration_ms", true);
        private final Plot score = new Plot("stability", "Stability score", "anchor", "stability_score", false);
        private final Map<String, Run> runs = new LinkedHashMap<>();

        @Override
        public void record(final String run, final ObjectNode record)
        {
            final Run stats = runs.computeIfAbsent(run, r -> new Run());
            final double x = ++stats.anchors;
            if (record.path(ClampWire.RELEASED_AT).isNull())
            {
                stats.inFlight++;
                return; // in flight: no duration, no score of its own
            }
            final JsonNode durationNode = record.get(ClampWire.DURATION_MS);
            final JsonNode scoreNode = record.get(ClampWire.STABILITY_SCORE);
            stats.durationSum += durationNode.asDouble(0);
            stats.scoreSum += scoreNode.asDouble(0);
            // A hold of 0.000 ms cannot be drawn on a log scale: it is counted in the row, not plotted.
            if (durationNode.asDouble(0) > 0)
            {
                duration.addNumber(run, run + " " + record.path(ClampWire.CONTEXT).asText(""), x, durationNode);
            }
            score.addNumber(run, run, x, scoreNode);
        }

        @Override
        public ReportSection section()
        {
            if (runs.isEmpty())
            {
                return null;
            }
            final List<List<String>> rows = new ArrayList<>();
            for (final Map.Entry<String, Run> entry : runs.entrySet())
            {
                final Run run = entry.getValue();
                final long released = run.anchors - run.inFlight;
                rows.add(List.of(entry.getKey(), String.format(Locale.ROOT, "%,d", run.anchors),
                    Long.toString(run.inFlight),
                    0 == released ? "-" : String.format(Locale.ROOT, "%.3f", run.durationSum / released),
                    0 == released ? "-" : String.format(Locale.ROOT, "%.6f", run.scoreSum / released)));
            }
            return new ReportSection(ClampWire.FAMILY, "Clamp (v0.5)",
                List.of("run", "anchors", "in flight", "mean duration_ms", "mean stability_score"), rows,
                List.of(duration, score));
        }
    }
}
