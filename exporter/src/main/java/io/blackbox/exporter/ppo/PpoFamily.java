package io.blackbox.exporter.ppo;

import io.blackbox.codecs.PpoEpochDecoder;
import io.blackbox.exporter.family.FamilyReport;
import io.blackbox.exporter.family.RecordOutline;
import io.blackbox.exporter.RunJsonLines;
import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.FamilyValidator;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.family.DemoWorkload;
import io.blackbox.exporter.family.FamilyImporter;
import io.blackbox.exporter.family.FamilyMonitor;
import io.blackbox.exporter.family.FamilySummary;
import io.blackbox.exporter.family.FamilyValidation;
import io.blackbox.exporter.family.FamilyWatch;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.recorder.Recorder;

import java.nio.file.Path;
import java.util.List;

/**
 * PPO telemetry 1.0 and 1.1 ({@code specs/ppo-telemetry-v1.1.md}, townlet's PPO harness): one flat record per PPO
 * epoch, an NDJSON stream per run. Registered in {@code META-INF/services/io.blackbox.exporter.family.TelemetryFamily}.
 */
public final class PpoFamily implements TelemetryFamily
{
    private static final RecordOutline OUTLINE = new RecordOutline()
        .event(PpoEpochDecoder.TEMPLATE_ID, "epoch", PpoEpochDecoder.timestampEncodingOffset(),
            PpoEpochDecoder.runEncodingOffset());

    public String name()
    {
        return PpoWire.FAMILY;
    }

    public String title()
    {
        return "PPO epoch telemetry (townlet), one NDJSON stream per run";
    }

    public List<String> specVersions()
    {
        return PpoWire.SPEC_VERSIONS;
    }

    public int firstTemplateId()
    {
        return PpoExport.FIRST_TEMPLATE_ID;
    }

    public int lastTemplateId()
    {
        return PpoExport.LAST_TEMPLATE_ID;
    }

    public String exportLayout()
    {
        return "ROOT/" + PpoWire.FAMILY + "/<run>.jsonl, one file per run, an epoch a line";
    }

    public FamilyExport newExport(final Path root, final boolean live)
    {
        return new PpoExport(root, live);
    }

    /**
     * 18-45 ns a byte on the demo's runs (a short export), the family exported alone: every field of an
     * epoch is formatted as Python writes it.
     */
    @Override
    public double exportNanosPerByte()
    {
        return 30;
    }

    @Override
    public FamilyReport report()
    {
        return new PpoReport();
    }

    @Override
    public RecordOutline outline()
    {
        return OUTLINE;
    }

    @Override
    public FamilyExport newLineExport(final Path root, final RunJsonLines.RunLineSink sink)
    {
        return new PpoExport(new RunJsonLines(root.resolve(PpoWire.FAMILY), sink));
    }

    public FamilyValidator validator()
    {
        return new PpoValidator();
    }

    public FamilyValidation newValidation()
    {
        return new PpoDrift();
    }

    public FamilySummary summary()
    {
        return new PpoSummary();
    }

    public FamilyWatch newWatch()
    {
        return new PpoWatchOptions();
    }

    public FamilyImporter importer()
    {
        return new FamilyImporter()
        {
            public List<Problem> check(final Path file, final int maxRecordLength)
            {
                return PpoImporter.check(file, maxRecordLength);
            }

            public Imported importFile(final Recorder recorder, final Path file)
            {
                return PpoImporter.importFile(recorder, file);
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
                return "PPO training runs (alternating rollout and train cycles, " + PpoDemoRun.MINI_BATCHES_PER_EPOCH +
                    " mini-batches an epoch accumulated in memory, one record an epoch with townlet's conflict and " +
                    "baseline keys; a step is a mini-batch)";
            }

            public DemoRun newRun(final Recorder recorder, final int index, final Settings settings)
            {
                return new PpoDemoRun(recorder, index, settings);
            }
        };
    }
}
