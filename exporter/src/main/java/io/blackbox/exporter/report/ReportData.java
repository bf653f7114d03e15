package io.blackbox.exporter.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.exporter.FamilyExports;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.RingBacklog;
import io.blackbox.exporter.Symbols;
import io.blackbox.exporter.family.FamilyReport;
import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import org.agrona.DirectBuffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The sections of a report, from a recording or from exported files: each family with a {@link FamilyReport} gets
 * its records as its export writes them.
 */
public final class ReportData
{
    /**
     * What a report is made of.
     *
     * @param sections    one per family that had records, in registry order.
     * @param records     records read.
     * @param damage      damaged parts of a recording skipped (0 for files).
     * @param damageLines their descriptions, as export gives them.
     */
    public record Result(List<ReportSection> sections, long records, long damage, List<String> damageLines)
    {
    }

    private ReportData()
    {
    }

    /**
     * @param recording a recording directory.
     * @param progress  receives records read so far, about every million.
     * @throws RecordingException when it is not a recording.
     */
    public static Result fromRecording(final Path recording, final LongConsumer progress)
    {
        // A family's report reads its records as its files hold them: the lines of its line export.
        final Map<TelemetryFamily, FamilyReport.Collector> collectors = new LinkedHashMap<>();
        final boolean recorderOpen = RingBacklog.isOwnerAlive(recording.resolve(RecordingDirectoryLayout.RING_FILE));
        try (RecordingReader reader = RecordingReader.open(recording);
            FamilyExports lines = FamilyExports.lines(recording.resolve(".report"), family ->
            {
                final FamilyReport report = family.report();
                if (null == report)
                {
                    return null;
                }
                final FamilyReport.Collector collector = report.newCollector();
                collectors.put(family, collector);
                return (runId, file, bytes, offset, length) -> collector.record(runId, parse(bytes, offset, length));
            }))
        {
            final long[] next = {1 << 20};
            final RecordingReader.RecordHandler handler = new RecordingReader.RecordHandler()
            {
                public void onRecord(final int templateId, final DirectBuffer buffer, final int offset,
                    final int length, final Symbols symbols)
                {
                    if (lines.handles(templateId))
                    {
                        lines.onRecord(templateId, buffer, offset, length, symbols);
                    }
                    if (reader.records() >= next[0])
                    {
                        next[0] += 1 << 20;
                        progress.accept(reader.records());
                    }
                }

                public void onSessionStart(final RecordingReader.Session session)
                {
                    lines.onSessionStart(session);
                }

                public void onSessionEnd(final RecordingReader.Session session)
                {
                    lines.onSessionEnd(session);
                }
            };
            if (recorderOpen)
            {
                reader.read(handler);
                reader.endSession(handler);
            }
            else
            {
                reader.readAll(handler);
            }
            return new Result(sections(collectors.values()), reader.records(), reader.damageCount(),
                List.copyOf(reader.damage()));
        }
    }

    /**
     * @param files    exported files, each of a family with a report (known by its first record).
     * @param progress receives bytes of the files read so far, per file.
     * @throws RecordingException naming the file (and line) that is not a family's, or does not read.
     */
    public static Result fromFiles(final List<Path> files, final LongConsumer progress)
    {
        final Map<FamilyReport, FamilyReport.Collector> collectors = new LinkedHashMap<>();
        final Map<TelemetryFamily, FamilyReport> reports = new LinkedHashMap<>();
        for (final TelemetryFamily family : TelemetryFamilies.all())
        {
            if (null != family.report())
            {
                reports.put(family, family.report());
            }
        }
        long records = 0;
        long bytesRead = 0;
        for (final Path file : files)
        {
            final FamilyReport documentReport = documentReport(file, reports.values());
            if (null != documentReport)
            {
                records += documentReport.readDocument(file,
                    collectors.computeIfAbsent(documentReport, FamilyReport::newCollector));
                bytesRead += size(file);
                progress.accept(bytesRead);
                continue;
            }
            final JsonNode first = firstRecord(file);
            FamilyReport report = null;
            for (final FamilyReport candidate : reports.values())
            {
                if (candidate.recognizes(first))
                {
                    report = candidate;
                    break;
                }
            }
            if (null == report)
            {
                throw new RecordingException(file + ": line 1: not a record of a family with a report (families " +
                    "with one: " + String.join(", ", reports.keySet().stream().map(TelemetryFamily::name).toList()) +
                    ")");
            }
            final FamilyReport.Collector collector = collectors.computeIfAbsent(report, FamilyReport::newCollector);
            final List<Problem> problems = new ArrayList<>();
            final String run = runOfFile(file);
            records += JsonLinesReader.read(file, (line, record) -> collector.record(run, record), problems::add);
            if (!problems.isEmpty())
            {
                throw new RecordingException(problems.get(0).toString() + (problems.size() > 1 ?
                    " (and " + (problems.size() - 1) + " more problems)" : ""));
            }
            bytesRead += size(file);
            progress.accept(bytesRead);
        }
        // Sections in registry order, whatever the order of the files.
        final List<FamilyReport.Collector> ordered = new ArrayList<>();
        for (final FamilyReport report : reports.values())
        {
            final FamilyReport.Collector collector = collectors.get(report);
            if (null != collector)
            {
                ordered.add(collector);
            }
        }
        return new Result(sections(ordered), records, 0, List.of());
    }

    /**
     * @return the report of the family whose document {@code file} is, or null when it is a file of lines.
     */
    private static FamilyReport documentReport(final Path file, final Iterable<FamilyReport> reports)
    {
        for (final FamilyReport report : reports)
        {
            if (report.recognizesDocument(file))
            {
                return report;
            }
        }
        return null;
    }

    /**
     * @return the run id an export names {@code file} by, or its name without {@code .jsonl} when it is not such a name.
     */
    private static String runOfFile(final Path file)
    {
        final String name = file.getFileName().toString();
        final String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
        try
        {
            return io.blackbox.exporter.RunFileNames.decode(stem);
        }
        catch (final IllegalArgumentException ex)
        {
            return stem;
        }
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<ReportSection> sections(final Iterable<FamilyReport.Collector> collectors)
    {
        final List<ReportSection> sections = new ArrayList<>();
        for (final FamilyReport.Collector collector : collectors)
        {
            final ReportSection section = collector.section();
            if (null != section)
            {
                sections.add(section);
            }
        }
        return sections;
    }

    private static JsonNode firstRecord(final Path file)
    {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            final String line = in.readLine();
            if (null == line)
            {
                throw new RecordingException(file + ": empty file, nothing to report");
            }
            return JsonLinesReader.MAPPER.readTree(line);
        }
        catch (final com.fasterxml.jackson.core.JsonProcessingException ex)
        {
            throw new RecordingException(file + ": line 1: not a JSON record (" + ex.getOriginalMessage() + ")");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(file + ": cannot read: " + ex.getMessage(), ex);
        }
    }

    private static ObjectNode parse(final byte[] bytes, final int offset, final int length)
    {
        try
        {
            return (ObjectNode)JsonLinesReader.MAPPER.readTree(bytes, offset, length);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("an exported line does not parse: " + ex.getMessage(), ex);
        }
    }
}
