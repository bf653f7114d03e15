package io.blackbox.exporter.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.PythonFloats;
import io.blackbox.exporter.family.FamilySummary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code blackbox summary ppo FILE}: per key of the epoch records, in the order keys first appear (the harness's),
 * the last record's value and the mean, minimum and maximum of its finite numbers over the run, as townlet's
 * {@code telemetry_summary.py} does. A file with problems ({@link PpoValidator}) is not summarised. Means are summed in
 * record order, then divided (Kahan's compensation keeps a long run's mean exact to the last bits).
 */
public final class PpoSummary implements FamilySummary
{
    public Summary summarize(final Path file)
    {
        final List<Problem> problems = new PpoValidator().validate(file);
        if (!problems.isEmpty())
        {
            return new Summary(problems, 0, List.of());
        }
        final Map<String, Accumulator> fields = new LinkedHashMap<>();
        final long[] records = { 0 };
        JsonLinesReader.read(file, (line, record) ->
        {
            records[0]++;
            for (final Accumulator stats : fields.values())
            {
                stats.last(null);
            }
            for (final Map.Entry<String, JsonNode> member : record.properties())
            {
                final Accumulator stats = fields.computeIfAbsent(member.getKey(), key -> new Accumulator());
                final JsonNode value = member.getValue();
                stats.last(value.isTextual() ? value.textValue() :
                    value.isFloatingPointNumber() ? PythonFloats.toString(value.doubleValue()) : value.toString());
                if (value.isNumber())
                {
                    stats.add(value.doubleValue());
                }
            }
        }, problems::add);
        if (!problems.isEmpty())
        {
            return new Summary(problems, 0, List.of());
        }
        final List<Field> out = new ArrayList<>(fields.size());
        for (final Map.Entry<String, Accumulator> entry : fields.entrySet())
        {
            out.add(entry.getValue().toField(entry.getKey()));
        }
        return new Summary(List.of(), records[0], out);
    }
}
