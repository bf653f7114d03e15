package io.blackbox.exporter.esper;

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
 * Esper's part of {@code blackbox report}: each environment's reward ({@code REWARD_COMPUTED}) and validation accuracy
 * ({@code EPOCH_COMPLETED}) in the order it sent them (its epoch starts again each episode), and the PPO updates' policy and value losses, entropy and KL divergence in update
 * order; a row per run with its events and episodes.
 */
final class EsperReport implements FamilyReport
{
    @Override
    public boolean recognizes(final JsonNode firstRecord)
    {
        return firstRecord.has(EsperWire.EVENT_ID) && firstRecord.has(EsperWire.EVENT_TYPE) &&
            firstRecord.has(EsperWire.DATA);
    }

    @Override
    public Collector newCollector()
    {
        return new EsperCollector();
    }

    private static final class EsperCollector implements Collector
    {
        // An environment's epoch starts again with each episode: its events are numbered in the order it sent them.
        private final Plot reward = new Plot("reward", "Reward by environment (REWARD_COMPUTED)",
            "environment's event", "total_reward", false);
        private final Plot accuracy = new Plot("val-accuracy", "Validation accuracy by environment (EPOCH_COMPLETED)",
            "environment's epoch", "val_accuracy", false);
        private final Map<String, long[]> eventsOfEnvironment = new java.util.HashMap<>();
        private final Plot policyLoss = new Plot("policy-loss", "PPO policy loss", "update", "policy_loss", false);
        private final Plot valueLoss = new Plot("value-loss", "PPO value loss", "update", "value_loss", false);
        private final Plot kl = new Plot("kl", "PPO KL divergence", "update", "kl_divergence", false);
        /** Per run: events, PPO updates, last val_accuracy. */
        private final Map<String, double[]> runs = new LinkedHashMap<>();

        @Override
        public void record(final String run, final ObjectNode record)
        {
            final double[] counts = runs.computeIfAbsent(run, r -> new double[] {0, 0, Double.NaN});
            counts[0]++;
            final JsonNode data = record.path(EsperWire.DATA);
            final String env = data.has(EsperWire.ENV_ID) ? " env " + data.path(EsperWire.ENV_ID).asText() : "";
            switch (record.path(EsperWire.EVENT_TYPE).asText(""))
            {
                case "REWARD_COMPUTED" ->
                    reward.addNumber(run, run + env, next(run + env + "\0reward"), data.get("total_reward"));
                case "EPOCH_COMPLETED" ->
                {
                    accuracy.addNumber(run, run + env, next(run + env + "\0epoch"), data.get(EsperWire.VAL_ACCURACY));
                    counts[2] = data.path(EsperWire.VAL_ACCURACY).asDouble(counts[2]);
                }
                case "PPO_UPDATE_COMPLETED" ->
                {
                    final double update = ++counts[1];
                    policyLoss.addNumber(run, run, update, data.get("policy_loss"));
                    valueLoss.addNumber(run, run, update, data.get("value_loss"));
                    kl.addNumber(run, run, update, data.get("kl_divergence"));
                }
                default ->
                {
                    // seeds, snapshots and matrices are counted, not plotted
                }
            }
        }

        private double next(final String key)
        {
            return ++eventsOfEnvironment.computeIfAbsent(key, k -> new long[1])[0];
        }

        @Override
        public ReportSection section()
        {
            if (runs.isEmpty())
            {
                return null;
            }
            final List<List<String>> rows = new ArrayList<>();
            for (final Map.Entry<String, double[]> run : runs.entrySet())
            {
                final double[] counts = run.getValue();
                rows.add(List.of(run.getKey(), String.format(Locale.ROOT, "%,d", (long)counts[0]),
                    String.format(Locale.ROOT, "%,d", (long)counts[1]),
                    Double.isNaN(counts[2]) ? "-" : String.format(Locale.ROOT, "%.4g", counts[2])));
            }
            return new ReportSection(EsperWire.FAMILY, "Esper (typed payloads)",
                List.of("run", "events", "PPO updates", "last val_accuracy"), rows,
                List.of(reward, accuracy, policyLoss, valueLoss, kl));
        }
    }
}
