package io.blackbox.exporter.gradience;

import io.blackbox.codecs.GradienceRunStartDecoder;
import io.blackbox.codecs.GradienceTrainStepDecoder;
import io.blackbox.codecs.GradienceEvalDecoder;
import io.blackbox.codecs.GradienceMetricsDecoder;
import io.blackbox.codecs.GradienceAlertDecoder;
import io.blackbox.codecs.GradienceRecommendationDecoder;
import io.blackbox.codecs.GradienceRunEndDecoder;
import io.blackbox.exporter.family.FamilyReport;
import io.blackbox.exporter.family.RecordOutline;
import io.blackbox.exporter.RunJsonLines;
import io.blackbox.exporter.FamilyExport;
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
 * Gradience vNext telemetry, {@code gradience.vnext.telemetry/v1}: one JSONL file per run. Registered in
 * {@code META-INF/services/io.blackbox.exporter.family.TelemetryFamily}.
 */
public final class GradienceFamily implements TelemetryFamily
{
    private static final RecordOutline OUTLINE = new RecordOutline()
        .event(GradienceRunStartDecoder.TEMPLATE_ID, GradienceWire.EVENT_RUN_START,
            GradienceRunStartDecoder.timestampEncodingOffset(), GradienceRunStartDecoder.runEncodingOffset())
        .event(GradienceTrainStepDecoder.TEMPLATE_ID, GradienceWire.EVENT_TRAIN_STEP,
            GradienceTrainStepDecoder.timestampEncodingOffset(), GradienceTrainStepDecoder.runEncodingOffset())
        .event(GradienceEvalDecoder.TEMPLATE_ID, GradienceWire.EVENT_EVAL,
            GradienceEvalDecoder.timestampEncodingOffset(), GradienceEvalDecoder.runEncodingOffset())
        .event(GradienceMetricsDecoder.TEMPLATE_ID, GradienceWire.EVENT_METRICS,
            GradienceMetricsDecoder.timestampEncodingOffset(), GradienceMetricsDecoder.runEncodingOffset())
        .event(GradienceAlertDecoder.TEMPLATE_ID, GradienceWire.EVENT_ALERT,
            GradienceAlertDecoder.timestampEncodingOffset(), GradienceAlertDecoder.runEncodingOffset())
        .event(GradienceRecommendationDecoder.TEMPLATE_ID, GradienceWire.EVENT_RECOMMENDATION,
            GradienceRecommendationDecoder.timestampEncodingOffset(), GradienceRecommendationDecoder.runEncodingOffset())
        .event(GradienceRunEndDecoder.TEMPLATE_ID, GradienceWire.EVENT_RUN_END,
            GradienceRunEndDecoder.timestampEncodingOffset(), GradienceRunEndDecoder.runEncodingOffset());

    public String name()
    {
        return GradienceExport.FAMILY;
    }

    public String title()
    {
        return "Gradience vNext fine-tuning telemetry, one JSONL file per run";
    }

    public List<String> specVersions()
    {
        return List.of(GradienceWire.SCHEMA_ID);
    }

    public int firstTemplateId()
    {
        return GradienceExport.FIRST_TEMPLATE_ID;
    }

    public int lastTemplateId()
    {
        return GradienceExport.LAST_TEMPLATE_ID;
    }

    public String exportLayout()
    {
        return "ROOT/" + GradienceExport.FAMILY + "/<run_id>.jsonl, one file per run";
    }

    public FamilyExport newExport(final Path root, final boolean live)
    {
        return new GradienceExport(root, live);
    }

    /**
     * 18 ns a byte (18-19) on the demo's runs, the family exported alone: a train_step's line is
     * formatted from its typed fields.
     */
    @Override
    public double exportNanosPerByte()
    {
        return 18;
    }

    @Override
    public FamilyReport report()
    {
        return new GradienceReport();
    }

    @Override
    public RecordOutline outline()
    {
        return OUTLINE;
    }

    @Override
    public FamilyExport newLineExport(final Path root, final RunJsonLines.RunLineSink sink)
    {
        return new GradienceExport(new RunJsonLines(root.resolve(GradienceExport.FAMILY), sink));
    }

    public FamilyValidator validator()
    {
        return new GradienceValidator();
    }

    public FamilyImporter importer()
    {
        return new FamilyImporter()
        {
            public List<Problem> check(final Path file, final int maxRecordLength)
            {
                return GradienceImporter.check(file, maxRecordLength);
            }

            public Imported importFile(final Recorder recorder, final Path file)
            {
                // Closed when the file is in: an importer holds a lane of the ring until then.
                try (GradienceImporter importer = new GradienceImporter(recorder))
                {
                    final long records = importer.importFile(file);
                    return new Imported(records, importer.runs());
                }
            }
        };
    }

    /**
     * {@code blackbox serve}: the last loss and learning rate, and the step count ({@link GradienceMetrics}).
     */
    public io.blackbox.exporter.family.FamilyMetrics newMetrics(
        final io.prometheus.metrics.model.registry.PrometheusRegistry registry, final java.util.Set<String> tagLabels)
    {
        return new GradienceMetrics(registry);
    }

    /**
     * {@code blackbox summary gradience FILE}: events by kind (evals by split), and each numeric field of each
     * ({@code train_step.loss}, {@code eval[test].metrics.ppl}; {@link io.blackbox.exporter.family.EventSummary}).
     */
    public io.blackbox.exporter.family.FamilySummary summary()
    {
        return new io.blackbox.exporter.family.EventSummary(validator(), "event", "split");
    }

    public FamilyMonitor newMonitor()
    {
        return new GradienceGapMonitor();
    }

    public DemoWorkload demo()
    {
        return new DemoWorkload()
        {
            public String description()
            {
                return "LoRA fine-tuning runs (run_start, a train_step every step, evals on train and test, an alert " +
                    "and a recommendation when the generalization gap crosses " + GradienceDemoRun.GAP_THRESHOLD +
                    ", run_end)";
            }

            public DemoRun newRun(final Recorder recorder, final int index, final Settings settings)
            {
                return new GradienceDemoRun(recorder, index, settings);
            }
        };
    }
}
