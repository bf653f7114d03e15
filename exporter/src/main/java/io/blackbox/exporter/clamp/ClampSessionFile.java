package io.blackbox.exporter.clamp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.exporter.AtomicFiles;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Clamp session file: one JSON document, {@code stability_score} (the mean of the records' scores, 6 decimals) and
 * {@code records}, each record on a line of its own (the original aggregator reads the file line by line), its keys in
 * the spec's order, {@code duration_ms} with 3 decimals, times ISO-8601 UTC; the deprecated {@code backend} and
 * {@code deviceName} never written.
 * <p>
 * Reading checks the spec's rules and reports each break as a {@link Problem} numbered by record ({@code FILE:RECORD:
 * field: problem}; record 0 is the file): a zero seed (a failed acquisition), a stability score outside [0, 1], a
 * release before its acquisition, a file score that is not the mean of its records, and any value of the wrong type.
 */
public final class ClampSessionFile
{
    /** How far a file's score may be from its records' mean: it is written with 6 decimals. */
    static final double SCORE_TOLERANCE = 5.000001e-7;
    private static final BigInteger MAX_SEED = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    /** Parses a whole session document a record at a time: no limit on its tokens, a record's on its own. */
    private static final JsonFactory FACTORY = new com.fasterxml.jackson.databind.ObjectMapper().getFactory();

    /**
     * What a file holds.
     *
     * @param records  the records that read cleanly, in file order.
     * @param problems every problem, in file order.
     * @param total    records in the file, good or not.
     */
    public record Contents(List<ClampRecordValue> records, List<Problem> problems, int total)
    {
    }

    private ClampSessionFile()
    {
    }

    /**
     * @param records a session's records, at least one.
     * @return the file's text.
     */
    public static String toJson(final List<ClampRecordValue> records)
    {
        if (records.isEmpty())
        {
            throw new IllegalArgumentException("a session file is never empty");
        }
        double sum = 0;
        for (final ClampRecordValue record : records)
        {
            sum += record.stabilityScore();
        }
        final StringBuilder out = new StringBuilder(256 + 200 * records.size());
        out.append("{\n  \"").append(ClampWire.STABILITY_SCORE).append("\": ")
            .append(ClampWire.sixDecimals(sum / records.size())).append(",\n  \"").append(ClampWire.RECORDS)
            .append("\": [\n");
        for (int i = 0; i < records.size(); i++)
        {
            out.append("    ");
            appendRecord(out, records.get(i));
            out.append(i + 1 < records.size() ? ",\n" : "\n");
        }
        return out.append("  ]\n}\n").toString();
    }

    /**
     * One entry of a session file's {@code records}, as the file writes it (one line, no indent, no comma after):
     * also a line of {@code print --json}.
     */
    static void appendRecord(final StringBuilder out, final ClampRecordValue r)
    {
        out.append("{\"").append(ClampWire.CONTEXT).append("\": ").append(quote(r.context()))
            .append(", \"").append(ClampWire.SEED).append("\": ").append(Long.toUnsignedString(r.seed()))
            .append(", \"").append(ClampWire.THREAD_ID).append("\": ").append(quote(r.threadId()))
            .append(", \"").append(ClampWire.ACQUIRED_AT).append("\": \"")
            .append(ClampWire.formatTime(r.acquiredAt())).append('"')
            .append(", \"").append(ClampWire.RELEASED_AT).append("\": ")
            .append(null == r.releasedAt() ? "null" : '"' + ClampWire.formatTime(r.releasedAt()) + '"')
            .append(", \"").append(ClampWire.DURATION_MS).append("\": ")
            .append(ClampWire.threeDecimals(r.durationMs()))
            .append(", \"").append(ClampWire.STABILITY_SCORE).append("\": ").append(r.stabilityScore())
            .append('}');
    }

    /**
     * Write a session file whole: a temporary file beside it, then a rename over it.
     */
    public static void write(final Path file, final List<ClampRecordValue> records)
    {
        AtomicFiles.writeString(file, toJson(records));
    }

    /**
     * Read a session file and check it, holding its records.
     *
     * @param file the file; problems name it as {@code file.toString()}.
     * @return its records and problems.
     */
    public static Contents read(final Path file)
    {
        final List<ClampRecordValue> records = new ArrayList<>();
        final Contents contents = read(file, records::add);
        return new Contents(records, contents.problems(), contents.total());
    }

    /**
     * Read a session file and check it, a record at a time: a session file is one document, as large as its session
     * (millions of anchors), so it is streamed, each record parsed alone.
     *
     * @param file    the file; problems name it as {@code file.toString()}.
     * @param records receives each record that reads cleanly, in file order.
     * @return its problems (and no records: they went to {@code records}).
     */
    public static Contents read(final Path file, final java.util.function.Consumer<ClampRecordValue> records)
    {
        final String name = file.toString();
        final List<Problem> problems = new ArrayList<>();
        final int[] total = { 0 };
        final double[] sum = { 0 };
        final int[] scored = { 0 };
        final Document document;
        try
        {
            document = stream(file, node ->
            {
                total[0]++;
                final ClampRecordValue record = record(node, name, total[0], problems);
                if (null != record)
                {
                    records.accept(record);
                }
                final JsonNode score = node.isObject() ? node.get(ClampWire.STABILITY_SCORE) : null;
                if (null != score && score.isNumber() && Double.isFinite(score.doubleValue()))
                {
                    sum[0] += score.doubleValue();
                    scored[0]++;
                }
            });
        }
        catch (final IOException ex)
        {
            problems.add(Problem.ofFile(name, ex instanceof java.io.FileNotFoundException &&
                !Files.exists(file) ? "no such file" : "not a JSON document (" +
                String.valueOf(ex.getMessage()).lines().findFirst().orElse("") + ")"));
            return new Contents(List.of(), problems, total[0]);
        }
        final boolean sawRecords = document.hasRecords();
        final JsonNode fileScore = document.score();
        if (document.trailingText())
        {
            problems.add(Problem.ofFile(name, "text after the session's document"));
        }
        if (!sawRecords)
        {
            problems.add(new Problem(name, 0, ClampWire.RECORDS, "a session file is an object with a records array"));
            return new Contents(List.of(), problems, 0);
        }
        if (0 == total[0])
        {
            problems.add(new Problem(name, 0, ClampWire.RECORDS, "empty: a session file holds at least one record"));
        }
        if (null == fileScore || !fileScore.isNumber())
        {
            problems.add(new Problem(name, 0, ClampWire.STABILITY_SCORE, null == fileScore ? "missing" :
                "not a number: " + fileScore));
        }
        else if (scored[0] > 0 && Math.abs(fileScore.doubleValue() - sum[0] / scored[0]) > SCORE_TOLERANCE)
        {
            problems.add(new Problem(name, 0, ClampWire.STABILITY_SCORE, "not the mean of its records' scores: " +
                fileScore.asText() + ", the mean is " + ClampWire.sixDecimals(sum[0] / scored[0])));
        }
        return new Contents(List.of(), problems, total[0]);
    }

    /**
     * What a session document holds besides its records.
     *
     * @param hasRecords   whether it is an object with a {@code records} array.
     * @param score        its {@code stability_score} member, or null.
     * @param trailingText whether text follows the document.
     */
    public record Document(boolean hasRecords, JsonNode score, boolean trailingText)
    {
    }

    /**
     * Stream a session document a record at a time (a session file is as large as its session: millions of anchors),
     * each record parsed alone, whatever it holds: the reader and the aggregator each check what they need.
     *
     * @param file    the file.
     * @param records receives each element of {@code records}, in order.
     * @return what the document holds besides its records.
     * @throws IOException when the file cannot be read or is not JSON.
     */
    public static Document stream(final Path file, final java.util.function.Consumer<JsonNode> records)
        throws IOException
    {
        JsonNode score = null;
        boolean hasRecords = false;
        try (JsonParser parser = FACTORY.createParser(file.toFile()))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                return new Document(false, null, false);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = parser.currentName();
                final JsonToken value = parser.nextToken();
                if (ClampWire.STABILITY_SCORE.equals(field))
                {
                    score = parser.readValueAsTree();
                }
                else if (ClampWire.RECORDS.equals(field) && value == JsonToken.START_ARRAY)
                {
                    hasRecords = true;
                    while (parser.nextToken() != JsonToken.END_ARRAY)
                    {
                        records.accept(parser.readValueAsTree());
                    }
                }
                else
                {
                    parser.skipChildren();
                }
            }
            return new Document(hasRecords, score, null != parser.nextToken());
        }
    }

    /**
     * @return the file's problems but a missing file-level {@code stability_score}, which a writer computes anyway
     * (the original's own samples leave it out): what stops an import or an alignment.
     */
    public static List<Problem> problemsButMissingScore(final Contents contents)
    {
        return contents.problems().stream().filter(problem -> !(0 == problem.line() &&
            ClampWire.STABILITY_SCORE.equals(problem.field()) && "missing".equals(problem.message()))).toList();
    }

    /**
     * Check one record.
     *
     * @return it, or null when it has a problem (each added to {@code problems}).
     */
    private static ClampRecordValue record(final JsonNode node, final String name, final int number,
        final List<Problem> problems)
    {
        final int before = problems.size();
        if (!node.isObject())
        {
            problems.add(new Problem(name, number, null, "a record is an object"));
            return null;
        }
        final String context = text(node, ClampWire.CONTEXT, name, number, problems);
        final long seed = seed(node, name, number, problems);
        final String threadId = text(node, ClampWire.THREAD_ID, name, number, problems);
        final Long acquired = time(node, ClampWire.ACQUIRED_AT, false, name, number, problems);
        final Long released = time(node, ClampWire.RELEASED_AT, true, name, number, problems);
        final double duration = number(node, ClampWire.DURATION_MS, name, number, problems);
        final double score = number(node, ClampWire.STABILITY_SCORE, name, number, problems);
        if (!Double.isNaN(score) && (score < 0.0 || score > 1.0))
        {
            problems.add(new Problem(name, number, ClampWire.STABILITY_SCORE, "outside [0, 1]: " + score +
                " (telemetry corruption, the spec says)"));
        }
        if (!Double.isNaN(duration) && duration < 0)
        {
            problems.add(new Problem(name, number, ClampWire.DURATION_MS, "negative: " + duration));
        }
        if (null != acquired && null != released && released < acquired)
        {
            problems.add(new Problem(name, number, ClampWire.RELEASED_AT, "before its acquisition (" +
                node.get(ClampWire.RELEASED_AT).asText() + " < " + node.get(ClampWire.ACQUIRED_AT).asText() + ")"));
        }
        return problems.size() == before ?
            new ClampRecordValue(context, seed, threadId, acquired, released, duration, score) : null;
    }

    private static String text(final JsonNode record, final String key, final String file, final int number,
        final List<Problem> problems)
    {
        final JsonNode value = record.get(key);
        if (null == value || !value.isTextual())
        {
            problems.add(new Problem(file, number, key, null == value ? "missing" : "not a string: " + value));
            return null;
        }
        return value.textValue();
    }

    private static long seed(final JsonNode record, final String file, final int number,
        final List<Problem> problems)
    {
        final JsonNode value = record.get(ClampWire.SEED);
        if (null == value || !value.isIntegralNumber())
        {
            problems.add(new Problem(file, number, ClampWire.SEED, null == value ? "missing" :
                "not an integer: " + value));
            return 0;
        }
        final BigInteger seed = value.bigIntegerValue();
        if (seed.signum() == 0)
        {
            problems.add(new Problem(file, number, ClampWire.SEED, "zero: a failed acquisition, the spec says"));
            return 0;
        }
        if (seed.signum() < 0 || seed.compareTo(MAX_SEED) > 0)
        {
            problems.add(new Problem(file, number, ClampWire.SEED, "not a 64-bit unsigned seed: " + seed));
            return 0;
        }
        return seed.longValue();
    }

    private static Long time(final JsonNode record, final String key, final boolean nullable, final String file,
        final int number, final List<Problem> problems)
    {
        final JsonNode value = record.get(key);
        if (nullable && null != value && value.isNull())
        {
            return null;
        }
        if (null == value || !value.isTextual())
        {
            problems.add(new Problem(file, number, key, null == value ? "missing" :
                "not an ISO-8601 string" + (nullable ? " or null" : "") + ": " + value));
            return null;
        }
        try
        {
            final Instant instant = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value.textValue(), Instant::from);
            return ClampWire.nanos(instant);
        }
        catch (final DateTimeParseException | ArithmeticException ex)
        {
            problems.add(new Problem(file, number, key, "not an ISO-8601 UTC time: " + value));
            return null;
        }
    }

    private static double number(final JsonNode record, final String key, final String file, final int number,
        final List<Problem> problems)
    {
        final JsonNode value = record.get(key);
        if (null == value || !value.isNumber() || !Double.isFinite(value.doubleValue()))
        {
            problems.add(new Problem(file, number, key, null == value ? "missing" : "not a finite number: " + value));
            return Double.NaN;
        }
        return value.doubleValue();
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
}
