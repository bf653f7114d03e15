package io.blackbox.exporter.esper;

import io.blackbox.codecs.EsperRewardComputedDecoder;
import io.blackbox.codecs.EsperPpoUpdateDecoder;
import io.blackbox.codecs.EsperEpochCompletedDecoder;
import io.blackbox.codecs.EsperEventDecoder;
import io.blackbox.codecs.EsperEventCode;
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
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.recorder.Recorder;

import java.nio.file.Path;
import java.util.List;

/**
 * Esper typed payloads ({@code specs/esper-typed-payloads.md}, esper-lite's {@code TelemetryEvent}): an envelope
 * around one of eleven typed payloads, a JSON line per event, one file per run. Registered in
 * {@code META-INF/services/io.blackbox.exporter.family.TelemetryFamily}.
 */
public final class EsperFamily implements TelemetryFamily
{
    private static final RecordOutline OUTLINE = new RecordOutline()
        .event(EsperRewardComputedDecoder.TEMPLATE_ID, EsperEventCode.REWARD_COMPUTED.name(),
            EsperRewardComputedDecoder.timestampEncodingOffset(), EsperRewardComputedDecoder.runEncodingOffset())
        .event(EsperPpoUpdateDecoder.TEMPLATE_ID, EsperEventCode.PPO_UPDATE_COMPLETED.name(),
            EsperPpoUpdateDecoder.timestampEncodingOffset(), EsperPpoUpdateDecoder.runEncodingOffset())
        .event(EsperEpochCompletedDecoder.TEMPLATE_ID, EsperEventCode.EPOCH_COMPLETED.name(),
            EsperEpochCompletedDecoder.timestampEncodingOffset(), EsperEpochCompletedDecoder.runEncodingOffset())
        .codeEvent(EsperEventDecoder.TEMPLATE_ID, EsperEventDecoder.timestampEncodingOffset(),
            EsperEventDecoder.runEncodingOffset(), EsperEventDecoder.eventTypeEncodingOffset(), EsperFamily::eventName);

    public String name()
    {
        return EsperWire.FAMILY;
    }

    public String title()
    {
        return "Esper typed-payload events (esper-lite), one JSON Lines file per run";
    }

    public List<String> specVersions()
    {
        return List.of("typed payloads");
    }

    public int firstTemplateId()
    {
        return EsperExport.FIRST_TEMPLATE_ID;
    }

    public int lastTemplateId()
    {
        return EsperExport.LAST_TEMPLATE_ID;
    }

    public String exportLayout()
    {
        return "ROOT/" + EsperWire.FAMILY + "/<run>.jsonl, one file per run, an event a line";
    }

    public FamilyExport newExport(final Path root, final boolean live)
    {
        return new EsperExport(root, live);
    }

    /**
     * 25 ns a byte (25-26) on the demo's runs, the family exported alone: typed payloads are formatted
     * field by field.
     */
    @Override
    public double exportNanosPerByte()
    {
        return 25;
    }

    @Override
    public FamilyReport report()
    {
        return new EsperReport();
    }

    @Override
    public RecordOutline outline()
    {
        return OUTLINE;
    }

    @Override
    public FamilyExport newLineExport(final Path root, final RunJsonLines.RunLineSink sink)
    {
        return new EsperExport(new RunJsonLines(root.resolve(EsperWire.FAMILY), sink));
    }

    /**
     * Every line a typed event, each event id once ({@link EsperValidator}).
     */
    public FamilyValidator validator()
    {
        return new EsperValidator();
    }

    public FamilySummary summary()
    {
        return new EsperSummary();
    }

    public FamilyImporter importer()
    {
        return new FamilyImporter()
        {
            public List<Problem> check(final Path file, final int maxRecordLength)
            {
                return EsperImporter.check(file, maxRecordLength);
            }

            public Imported importFile(final Recorder recorder, final Path file)
            {
                return EsperImporter.importFile(recorder, file);
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
                return "esper-lite morphogenetic RL runs (" + EsperDemoRun.N_ENVS + " environments, seeds " +
                    "germinating, blending and fossilized or pruned, PPO updates, typed events; a step is an " +
                    "environment's epoch and its reward event)";
            }

            public DemoRun newRun(final Recorder recorder, final int index, final Settings settings)
            {
                return new EsperDemoRun(recorder, index, settings);
            }
        };
    }

    private static String eventName(final int code)
    {
        try
        {
            final EsperEventCode eventCode = EsperEventCode.get((short)code);
            return EsperEventCode.NULL_VAL == eventCode ? null : eventCode.name();
        }
        catch (final IllegalArgumentException ex)
        {
            return null; // a code of a newer schema
        }
    }
}
