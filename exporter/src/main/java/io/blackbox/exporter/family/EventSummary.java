package io.blackbox.exporter.family;

import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.exporter.FamilyValidator;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.PythonFloats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A summary of a JSON Lines family whose records are events of kinds ({@code blackbox summary FAMILY FILE}): a row
 * {@code events.KIND} counting each kind, and a row {@code KIND.PATH} for each number a kind's records hold (nested
 * objects by their dotted path; lists are not rows), with its last value and the mean, minimum and maximum of its
 * finite numbers. A kind may be qualified by another key ({@code eval[test]} for Gradience's evals per split), so that
 * rows of different series are not mixed. A row's count is the records that had the number: one that was absent in
 * some records shows fewer than its kind. A file with problems (the family's validator) is not summarised.
 */
public final class EventSummary implements FamilySummary
{
    private final FamilyValidator validator;
    private final String kindKey;
    private final String qualifierKey;

    /**
     * @param validator    the family's validator: a file with problems is not summarised.
     * @param kindKey      the key naming a record's kind ({@code event}).
     * @param qualifierKey a key whose value qualifies the kind ({@code split}), or null.
     */
    public EventSummary(final FamilyValidator validator, final String kindKey, final String qualifierKey)
    {
        this.validator = validator;
        this.kindKey = kindKey;
        this.qualifierKey = qualifierKey;
    }

    public Summary summarize(final Path file)
    {
        final List<Problem> problems = new ArrayList<>(validator.validate(file));
        if (!problems.isEmpty())
        {
            return new Summary(problems, 0, List.of());
        }
        final Map<String, Accumulator> rows = new LinkedHashMap<>();
        final Map<String, Long> counts = new LinkedHashMap<>();
        final long[] records = { 0 };
        JsonLinesReader.read(file, (line, record) ->
        {
            records[0]++;
            String kind = record.path(kindKey).asText("-");
            if (null != qualifierKey && record.path(qualifierKey).isTextual())
            {
                kind += "[" + record.get(qualifierKey).textValue() + "]";
            }
            counts.merge(kind, 1L, Long::sum);
            rows.computeIfAbsent("events." + kind, key -> new Accumulator());
            numbers(rows, kind, record);
        }, problems::add);
        if (!problems.isEmpty())
        {
            return new Summary(problems, 0, List.of());
        }
        final List<Field> fields = new ArrayList<>(rows.size());
        for (final Map.Entry<String, Accumulator> row : rows.entrySet())
        {
            if (row.getKey().startsWith("events."))
            {
                final long count = counts.get(row.getKey().substring("events.".length()));
                fields.add(new Field(row.getKey(), Long.toString(count), count, Double.NaN, Double.NaN, Double.NaN));
            }
            else
            {
                fields.add(row.getValue().toField(row.getKey()));
            }
        }
        return new Summary(List.of(), records[0], fields);
    }

    private static void numbers(final Map<String, Accumulator> rows, final String prefix, final JsonNode node)
    {
        node.properties().forEach(member ->
        {
            final JsonNode value = member.getValue();
            final String path = prefix + "." + member.getKey();
            if (value.isObject())
            {
                numbers(rows, path, value);
            }
            else if (value.isNumber())
            {
                final Accumulator row = rows.computeIfAbsent(path, key -> new Accumulator());
                row.last(value.isFloatingPointNumber() ? PythonFloats.toString(value.doubleValue()) : value.asText());
                row.add(value.doubleValue());
            }
        });
    }
}
