package io.blackbox.exporter.gradience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.PythonFloats;
import io.blackbox.exporter.family.FamilyReport;
import io.blackbox.exporter.report.Plot;
import io.blackbox.exporter.report.ReportSection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gradience's part of {@code blackbox report}: per step, loss and learning rate; per eval, perplexity and accuracy of
 * each split; and the generalization gap (test ppl / train ppl of each split's last eval, as {@link GradienceMonitor}
 * computes it) against its threshold, each alert marked where it was raised. Every run is a series.
 */
final class GradienceReport implements FamilyReport
{
    @Override
    public boolean recognizes(final JsonNode firstRecord)
    {
        return GradienceWire.SCHEMA_ID.equals(firstRecord.path(GradienceWire.SCHEMA).asText(null));
    }

    @Override
    public Collector newCollector()
    {
        return new GradienceCollector();
    }

    /**
     * One run's state between records.
     */
    private static final class Run
    {
        private final String id;
        private long trainSteps;
        private long lastStep = Long.MIN_VALUE;
        private double lastLoss = Double.NaN;
        private double trainPpl = Double.NaN;
        private double testPpl = Double.NaN;
        private double lastGap = Double.NaN;
        /** The step of the evals not yet turned into a gap point: a step's evals end when another step's begin. */
        private long pendingEvalStep = Long.MIN_VALUE;
        private int alerts;
        private String status = "";

        Run(final String id)
        {
            this.id = id;
        }
    }

    private static final class GradienceCollector implements Collector
    {
        private final Plot loss = new Plot("loss", "Training loss", "step", "loss", false);
        private final Plot lr = new Plot("lr", "Learning rate", "step", "lr", false);
        private final Plot ppl = new Plot("eval-ppl", "Eval perplexity by split", "step", "ppl", true);
        private final Plot accuracy = new Plot("eval-accuracy", "Eval accuracy by split", "step", "accuracy", false);
        private final Plot gap = new Plot("gap", "Generalization gap (test ppl / train ppl)", "step", "gap", false);
        private final Map<String, Run> runs = new LinkedHashMap<>();
        private double threshold = GradienceMonitor.DEFAULT_THRESHOLD;
        private long records;

        @Override
        public void record(final String fileRun, final ObjectNode record)
        {
            records++;
            final String runId = record.path(GradienceWire.RUN_ID).asText("");
            final Run run = runs.computeIfAbsent(runId, Run::new);
            final JsonNode stepNode = record.get(GradienceWire.STEP);
            final boolean hasStep = null != stepNode && stepNode.isIntegralNumber();
            final long step = hasStep ? stepNode.asLong() : run.lastStep;
            if (hasStep)
            {
                run.lastStep = Math.max(run.lastStep, step);
            }
            switch (record.path(GradienceWire.EVENT).asText(""))
            {
                case GradienceWire.EVENT_TRAIN_STEP -> trainStep(run, step, hasStep, record);
                case GradienceWire.EVENT_EVAL -> eval(run, step, hasStep, record);
                case GradienceWire.EVENT_ALERT ->
                {
                    run.alerts++;
                    final JsonNode context = record.path(GradienceWire.CONTEXT);
                    if (context.path("threshold").isNumber())
                    {
                        threshold = context.path("threshold").asDouble();
                    }
                    if (hasStep)
                    {
                        gap.marker(step, runId, record.path(GradienceWire.CODE).asText("alert"));
                    }
                }
                case GradienceWire.EVENT_RUN_END -> run.status = record.path(GradienceWire.STATUS).asText("");
                default ->
                {
                    // run_start, metrics and recommendations are not plotted
                }
            }
        }

        private void trainStep(final Run run, final long step, final boolean hasStep, final ObjectNode record)
        {
            run.trainSteps++;
            if (!hasStep)
            {
                return;
            }
            final JsonNode lossNode = record.get(GradienceWire.LOSS);
            if (null != lossNode && lossNode.isNumber())
            {
                run.lastLoss = lossNode.asDouble();
                loss.series(run.id, run.id).add(step, run.lastLoss);
            }
            final JsonNode lrNode = record.get(GradienceWire.LR);
            if (null != lrNode && lrNode.isNumber())
            {
                lr.series(run.id, run.id).add(step, lrNode.asDouble());
            }
            else if (null != lrNode && lrNode.isArray())
            {
                for (int group = 0; group < lrNode.size(); group++)
                {
                    lr.series(run.id, run.id + " group " + group).add(step, lrNode.get(group).asDouble());
                }
            }
        }

        private void eval(final Run run, final long step, final boolean hasStep, final ObjectNode record)
        {
            if (!hasStep)
            {
                return;
            }
            if (run.pendingEvalStep != Long.MIN_VALUE && run.pendingEvalStep != step)
            {
                gapPoint(run);
            }
            run.pendingEvalStep = step;
            final String split = record.path(GradienceWire.SPLIT).asText("");
            final JsonNode metrics = record.path(GradienceWire.METRICS);
            final JsonNode pplNode = metrics.get(GradienceWire.PPL);
            if (null != pplNode && pplNode.isNumber())
            {
                ppl.series(run.id, run.id + " " + split).add(step, pplNode.asDouble());
                if (GradienceWire.SPLIT_TRAIN.equals(split))
                {
                    run.trainPpl = pplNode.asDouble();
                }
                else if (GradienceWire.SPLIT_TEST.equals(split))
                {
                    run.testPpl = pplNode.asDouble();
                }
            }
            final JsonNode accuracyNode = metrics.get(GradienceWire.ACCURACY);
            if (null != accuracyNode && accuracyNode.isNumber())
            {
                accuracy.series(run.id, run.id + " " + split).add(step, accuracyNode.asDouble());
            }
        }

        /**
         * The gap after the evals of the run's pending step, when both splits have a perplexity by then.
         */
        private void gapPoint(final Run run)
        {
            if (Double.isFinite(run.trainPpl) && Double.isFinite(run.testPpl) && run.trainPpl > 0)
            {
                run.lastGap = run.testPpl / run.trainPpl;
                gap.series(run.id, run.id).add(run.pendingEvalStep, run.lastGap);
            }
            run.pendingEvalStep = Long.MIN_VALUE;
        }

        @Override
        public ReportSection section()
        {
            if (0 == records)
            {
                return null;
            }
            final List<List<String>> rows = new ArrayList<>();
            for (final Run run : runs.values())
            {
                if (run.pendingEvalStep != Long.MIN_VALUE)
                {
                    gapPoint(run);
                }
                rows.add(List.of(run.id, String.format(java.util.Locale.ROOT, "%,d", run.trainSteps),
                    Long.MIN_VALUE == run.lastStep ? "-" : Long.toString(run.lastStep), number(run.lastLoss),
                    number(run.lastGap), Integer.toString(run.alerts), run.status.isEmpty() ? "-" : run.status));
            }
            gap.threshold(threshold, "threshold " + PythonFloats.toString(threshold));
            return new ReportSection(GradienceExport.FAMILY, "Gradience (" + GradienceWire.SCHEMA_ID + ")",
                List.of("run", "train steps", "last step", "last loss", "last gap", "alerts", "status"), rows,
                List.of(loss, lr, ppl, accuracy, gap));
        }

        private static String number(final double value)
        {
            return Double.isNaN(value) ? "-" : String.format(java.util.Locale.ROOT, "%.4g", value);
        }
    }
}
