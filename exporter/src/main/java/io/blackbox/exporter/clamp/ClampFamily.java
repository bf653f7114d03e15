package io.blackbox.exporter.clamp;

import io.blackbox.codecs.ClampAnchorAcquiredDecoder;
import io.blackbox.codecs.ClampAnchorReleasedDecoder;
import io.blackbox.codecs.ClampRecordDecoder;
import io.blackbox.exporter.family.FamilyReport;
import io.blackbox.exporter.family.RecordOutline;
import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.RunJsonLines;
import io.blackbox.exporter.FamilyValidator;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.family.DemoWorkload;
import io.blackbox.exporter.family.FamilyImporter;
import io.blackbox.exporter.family.FamilyMonitor;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.recorder.Recorder;

import java.nio.file.Path;
import java.util.List;

/**
 * Clamp v0.5 ({@code specs/clamp-telemetry-v0.5.md}, ROCForge Clamp's {@code EntropyTelemetry}): every anchor lock
 * and release, a session file per recorder session. Registered in
 * {@code META-INF/services/io.blackbox.exporter.family.TelemetryFamily}.
 */
public final class ClampFamily implements TelemetryFamily
{
    // A lock and its release fold into one entry of the session file: the outline names the records themselves.
    private static final RecordOutline OUTLINE = new RecordOutline()
        .event(ClampAnchorAcquiredDecoder.TEMPLATE_ID, "lock",
            ClampAnchorAcquiredDecoder.timestampEncodingOffset(), ClampAnchorAcquiredDecoder.runEncodingOffset())
        .event(ClampAnchorReleasedDecoder.TEMPLATE_ID, "release",
            ClampAnchorReleasedDecoder.timestampEncodingOffset(), ClampAnchorReleasedDecoder.runEncodingOffset())
        .event(ClampRecordDecoder.TEMPLATE_ID, "imported_record",
            ClampRecordDecoder.acquiredAtEncodingOffset(), ClampRecordDecoder.runEncodingOffset());

    public String name()
    {
        return ClampWire.FAMILY;
    }

    public String title()
    {
        return "Clamp anchor telemetry (ROCForge), one JSON document per recorder session";
    }

    public List<String> specVersions()
    {
        return List.of("v0.5");
    }

    public int firstTemplateId()
    {
        return ClampExport.FIRST_TEMPLATE_ID;
    }

    public int lastTemplateId()
    {
        return ClampExport.LAST_TEMPLATE_ID;
    }

    public String exportLayout()
    {
        return "ROOT/" + ClampWire.TELEMETRY_DIRECTORY + "/clamp_run_<YYYYMMDDTHHMMSSZ>.json, one per recorder " +
            "session";
    }

    public FamilyExport newExport(final Path root, final boolean live)
    {
        return new ClampExport(root, live);
    }

    /**
     * 51-61 ns a byte on the demo's runs, the family exported alone: anchors are paired and kept until
     * their session's document is written.
     */
    @Override
    public double exportNanosPerByte()
    {
        return 55;
    }

    @Override
    public FamilyExport newLineExport(final Path root, final RunJsonLines.RunLineSink sink)
    {
        return new ClampExport(new RunJsonLines(root.resolve(ClampWire.FAMILY), sink));
    }

    @Override
    public FamilyReport report()
    {
        return new ClampReport();
    }

    @Override
    public boolean linesNeedEveryRecord()
    {
        return true; // an entry is a lock and its release
    }

    @Override
    public RecordOutline outline()
    {
        return OUTLINE;
    }

    /**
     * The spec's rules, {@code FILE:RECORD: field: problem} ({@link ClampSessionFile#read}).
     */
    public FamilyValidator validator()
    {
        return file -> ClampSessionFile.read(file).problems();
    }

    /**
     * A session file's records: the lines between {@code "records": [} and {@code ]}, one record each (the file's
     * own mean, a line of its header, is not a record).
     */
    public List<String> exportedRecords(final Path file)
    {
        final ClampSessionFile.Contents contents = ClampSessionFile.read(file, record ->
        {
        });
        if (0 == contents.total() && !contents.problems().isEmpty())
        {
            throw new IllegalArgumentException(contents.problems().toString());
        }
        try
        {
            final List<String> records = new java.util.ArrayList<>();
            for (final String line : java.nio.file.Files.readAllLines(file))
            {
                if (line.startsWith("    {"))
                {
                    records.add(line.strip().replaceAll(",$", ""));
                }
            }
            if (records.size() != contents.total())
            {
                throw new IllegalArgumentException(file + ": " + contents.total() + " records, " + records.size() +
                    " of them a line of their own");
            }
            return records;
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalArgumentException(file + ": " + ex.getMessage());
        }
    }

    /**
     * An anchor whose release was lost to damage is exported in flight: the same record up to {@code released_at},
     * which is null, with the in-flight duration and score.
     */
    public boolean isPartOf(final String record, final String whole)
    {
        final String released = ", \"" + ClampWire.RELEASED_AT + "\": ";
        final int cut = whole.indexOf(released);
        return record.equals(whole) || (cut > 0 && record.equals(whole.substring(0, cut) + released +
            "null, \"" + ClampWire.DURATION_MS + "\": 0.000, \"" + ClampWire.STABILITY_SCORE + "\": 0.0}"));
    }

    /**
     * {@code blackbox clamp aggregate} and {@code blackbox clamp align}.
     */
    public List<Object> commands()
    {
        return List.of(new ClampAggregateCommand(), new ClampAlignCommand());
    }

    /**
     * {@code blackbox summary clamp FILE} ({@link ClampSummary}).
     */
    public io.blackbox.exporter.family.FamilySummary summary()
    {
        return new ClampSummary();
    }

    public FamilyImporter importer()
    {
        return new FamilyImporter()
        {
            public List<Problem> check(final Path file, final int maxRecordLength)
            {
                return ClampImporter.check(file);
            }

            public Imported importFile(final Recorder recorder, final Path file)
            {
                return ClampImporter.importFile(recorder, file);
            }
        };
    }

    public FamilyMonitor newMonitor()
    {
        return null;
    }

    public DemoWorkload demo()
    {
        return new DemoWorkload()
        {
            public String description()
            {
                return "simulated GPU work under Clamp anchors (kernel launches, all-reduces, checkpoints held " +
                    "across a launch; a step is an anchor's cycle)";
            }

            public DemoRun newRun(final Recorder recorder, final int index, final Settings settings)
            {
                return new ClampDemoRun(recorder, index, settings);
            }

            /**
             * The session files' summary, {@code ROOT/build/telemetry_summary.json}, as the original's CI makes it
             * ({@code build_info} null: the demo has no ROCm snapshot).
             */
            public List<Path> afterExport(final Path exportRoot)
            {
                final Path telemetry = exportRoot.resolve(ClampWire.TELEMETRY_DIRECTORY);
                if (!java.nio.file.Files.isDirectory(telemetry))
                {
                    return List.of();
                }
                final Path summary = exportRoot.resolve(ClampWire.SUMMARY_FILE);
                ClampAggregator.write(ClampAggregator.aggregate(telemetry, exportRoot.resolve(ClampWire.SNAPSHOT_FILE))
                    .summary(), summary);
                return List.of(summary);
            }
        };
    }
}
