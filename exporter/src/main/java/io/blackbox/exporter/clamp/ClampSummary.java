package io.blackbox.exporter.clamp;

import io.blackbox.exporter.family.FamilySummary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code blackbox summary clamp FILE}: a session file's anchors, streamed ({@link ClampSessionFile#read(Path,
 * java.util.function.Consumer)}): {@code duration_ms} and {@code stability_score} over its records (last, mean, min,
 * max), the anchors still in flight, and the anchors of each context. A file with problems is not summarised.
 */
public final class ClampSummary implements FamilySummary
{
    public Summary summarize(final Path file)
    {
        final Accumulator duration = new Accumulator();
        final Accumulator score = new Accumulator();
        final long[] inFlight = { 0 };
        final Map<String, Long> contexts = new LinkedHashMap<>();
        final ClampSessionFile.Contents contents = ClampSessionFile.read(file, record ->
        {
            duration.last(ClampWire.threeDecimals(record.durationMs()));
            duration.add(record.durationMs());
            score.last(Double.toString(record.stabilityScore()));
            score.add(record.stabilityScore());
            inFlight[0] += null == record.releasedAt() ? 1 : 0;
            contexts.merge(record.context(), 1L, Long::sum);
        });
        if (!contents.problems().isEmpty())
        {
            return new Summary(contents.problems(), 0, List.of());
        }
        final List<Field> fields = new ArrayList<>();
        fields.add(duration.toField(ClampWire.DURATION_MS));
        fields.add(score.toField(ClampWire.STABILITY_SCORE));
        fields.add(count("in_flight", inFlight[0]));
        for (final Map.Entry<String, Long> context : contexts.entrySet())
        {
            fields.add(count("context." + context.getKey(), context.getValue()));
        }
        return new Summary(List.of(), contents.total(), fields);
    }

    private static Field count(final String name, final long count)
    {
        return new Field(name, Long.toString(count), count, Double.NaN, Double.NaN, Double.NaN);
    }
}
