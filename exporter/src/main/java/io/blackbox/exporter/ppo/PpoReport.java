package io.blackbox.exporter.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.family.FamilyReport;
import io.blackbox.exporter.report.Plot;
import io.blackbox.exporter.report.ReportSection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PPO's part of {@code blackbox report}: per epoch, each run's policy, value and entropy losses, KL divergence, clip
 * fraction and gradient norm (the keys townlet's harness watches), and a row per run.
 */
final class PpoReport implements FamilyReport
{
    /** Key, plot id and title, in the order drawn. */
    private static final String[][] PLOTS = {
        {PpoWire.LOSS_POLICY, "loss-policy", "Policy loss"},
        {PpoWire.LOSS_VALUE, "loss-value", "Value loss"},
        {PpoWire.LOSS_ENTROPY, "loss-entropy", "Entropy"},
        {PpoWire.KL_DIVERGENCE, "kl", "KL divergence"},
        {PpoWire.CLIP_FRACTION, "clip-fraction", "Clip fraction"},
        {PpoWire.GRAD_NORM, "grad-norm", "Gradient norm"},
    };

    @Override
    public boolean recognizes(final JsonNode firstRecord)
    {
        return firstRecord.has(PpoWire.TELEMETRY_VERSION) && firstRecord.has(PpoWire.LOSS_POLICY) &&
            firstRecord.has(PpoWire.EPOCH);
    }

    @Override
    public Collector newCollector()
    {
        return new PpoCollector();
    }

    private static final class PpoCollector implements Collector
    {
        private final List<Plot> plots = new ArrayList<>();
        private final Map<String, double[]> lastByRun = new LinkedHashMap<>(); // epochs, last epoch, last policy loss, last kl

        PpoCollector()
        {
            for (final String[] plot : PLOTS)
            {
                plots.add(new Plot(plot[1], plot[2], "epoch", plot[0], false));
            }
        }

        @Override
        public void record(final String run, final ObjectNode record)
        {
            final JsonNode epoch = record.get(PpoWire.EPOCH);
            final double[] last = lastByRun.computeIfAbsent(run, r -> new double[] {0, Double.NaN, Double.NaN, Double.NaN});
            last[0]++;
            if (null == epoch || !epoch.isNumber())
            {
                return;
            }
            final double x = epoch.asDouble();
            last[1] = x;
            last[2] = record.path(PpoWire.LOSS_POLICY).asDouble(Double.NaN);
            last[3] = record.path(PpoWire.KL_DIVERGENCE).asDouble(Double.NaN);
            for (int i = 0; i < PLOTS.length; i++)
            {
                plots.get(i).addNumber(run, run, x, record.get(PLOTS[i][0]));
            }
        }

        @Override
        public ReportSection section()
        {
            if (lastByRun.isEmpty())
            {
                return null;
            }
            final List<List<String>> rows = new ArrayList<>();
            for (final Map.Entry<String, double[]> run : lastByRun.entrySet())
            {
                final double[] last = run.getValue();
                rows.add(List.of(run.getKey(), String.format(Locale.ROOT, "%,d", (long)last[0]), number(last[1]),
                    number(last[2]), number(last[3])));
            }
            return new ReportSection(PpoWire.FAMILY, "PPO (telemetry 1.0 and 1.1)",
                List.of("run", "records", "last epoch", "last policy loss", "last KL"), rows, plots);
        }

        private static String number(final double value)
        {
            return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4g", value);
        }
    }
}
