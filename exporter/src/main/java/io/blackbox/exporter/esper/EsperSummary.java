package io.blackbox.exporter.esper;

import io.blackbox.exporter.Problem;
import io.blackbox.exporter.PythonFloats;
import io.blackbox.exporter.family.FamilySummary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code blackbox summary esper FILE}: a run's events read as typed events ({@link EsperEvents}, never a map lookup
 * with a default), as rows of last value and mean, minimum and maximum:
 * <ul>
 *     <li>{@code events.TYPE}: how many events of each type (its {@code numbers});</li>
 *     <li>episodes: {@code episodes_completed}, {@code total_episodes}, {@code avg_accuracy}, {@code avg_reward},
 *     {@code rolling_accuracy} of the batch epochs;</li>
 *     <li>accuracy per environment: {@code env[N].val_accuracy} and {@code env[N].val_loss} of its epochs;</li>
 *     <li>PPO health: each scalar of the updates ({@code policy_loss} ... {@code update_time_ms}), and
 *     {@code updates_with_nan_grads}, {@code updates_skipped};</li>
 *     <li>reward components: each component of the rewards ({@code reward.total_reward}, {@code reward.compute_rent}
 *     ...).</li>
 * </ul>
 * An optional field is counted only in the events that carry a value: a field that may be None
 * ({@code explained_variance}, {@code lr}, {@code rolling_accuracy}) that was absent or null in some events has fewer
 * {@code numbers} than events, and its {@code last} is empty ({@code -}) when the last event had none: no default
 * stands in for a value that was not there. A file with problems is not summarised.
 */
public final class EsperSummary implements FamilySummary
{
    /** A row: a field's values, or a counter of events. */
    private static final class Stats
    {
        private final Accumulator values = new Accumulator();
        private long count;
        private boolean counter;

        /** The last value, or none when the latest event had none; numbers are counted when finite. */
        void add(final Double value)
        {
            values.last(null == value ? null : PythonFloats.toString(value));
            if (null != value)
            {
                values.add(value);
            }
        }

        /** An integer field: its last value as an integer. */
        void add(final long value)
        {
            values.add((double)value);
            values.last(Long.toString(value));
        }

        /** A counter: how many events were {@code hit} so far, its last the count. */
        void tally(final boolean hit)
        {
            counter = true;
            count += hit ? 1 : 0;
            values.last(Long.toString(count));
        }

        Field toField(final String name)
        {
            final Field field = values.toField(name);
            return counter ? new Field(name, field.last(), count, Double.NaN, Double.NaN, Double.NaN) : field;
        }
    }

    public Summary summarize(final Path file)
    {
        final List<Problem> problems = new ArrayList<>();
        final Map<String, Stats> rows = new LinkedHashMap<>();
        final long[] events = { 0 };
        EsperEvents.read(file, event ->
        {
            events[0]++;
            row(rows, "events." + event.eventType().name()).tally(true);
            if (event.data() instanceof BatchEpochCompleted b)
            {
                row(rows, EsperWire.EPISODES_COMPLETED).add((long)b.episodesCompleted());
                row(rows, EsperWire.TOTAL_EPISODES).add((long)b.totalEpisodes());
                row(rows, EsperWire.AVG_ACCURACY).add(b.avgAccuracy());
                row(rows, EsperWire.AVG_REWARD).add(b.avgReward());
                row(rows, EsperWire.ROLLING_ACCURACY).add(b.rollingAccuracy());
            }
            else if (event.data() instanceof EpochCompleted e)
            {
                row(rows, "env[" + e.envId() + "]." + EsperWire.VAL_ACCURACY).add(e.valAccuracy());
                row(rows, "env[" + e.envId() + "]." + EsperWire.VAL_LOSS).add(e.valLoss());
            }
            else if (event.data() instanceof PpoUpdate u)
            {
                ppo(rows, u);
            }
            else if (event.data() instanceof RewardComputed r)
            {
                reward(rows, r);
            }
        }, problems::add);
        if (!problems.isEmpty())
        {
            return new Summary(problems, 0, List.of());
        }
        final List<Field> fields = new ArrayList<>(rows.size());
        for (final Map.Entry<String, Stats> row : rows.entrySet())
        {
            fields.add(row.getValue().toField(row.getKey()));
        }
        return new Summary(List.of(), events[0], fields);
    }

    private static void ppo(final Map<String, Stats> rows, final PpoUpdate u)
    {
        row(rows, EsperWire.POLICY_LOSS).add(u.policyLoss());
        row(rows, EsperWire.VALUE_LOSS).add(u.valueLoss());
        row(rows, EsperWire.ENTROPY).add(u.entropy());
        row(rows, EsperWire.KL_DIVERGENCE).add(u.klDivergence());
        row(rows, EsperWire.CLIP_FRACTION).add(u.clipFraction());
        row(rows, EsperWire.GRAD_NORM).add(u.gradNorm());
        row(rows, EsperWire.EXPLAINED_VARIANCE).add(u.explainedVariance());
        row(rows, EsperWire.RATIO_MAX).add(u.ratioMax());
        row(rows, EsperWire.LR).add(u.lr());
        row(rows, EsperWire.UPDATE_TIME_MS).add(u.updateTimeMs());
        row(rows, "updates_with_nan_grads").tally(u.nanGradCount() > 0);
        row(rows, "updates_skipped").tally(u.updateSkipped() || u.skipped());
    }

    private static void reward(final Map<String, Stats> rows, final RewardComputed r)
    {
        row(rows, "reward." + EsperWire.TOTAL_REWARD).add(r.totalReward());
        row(rows, "reward." + EsperWire.BASE_ACC_DELTA).add(r.baseAccDelta());
        row(rows, "reward." + EsperWire.BOUNDED_ATTRIBUTION).add(r.boundedAttribution());
        row(rows, "reward." + EsperWire.SEED_CONTRIBUTION).add(r.seedContribution());
        row(rows, "reward." + EsperWire.COMPUTE_RENT).add(r.computeRent());
        row(rows, "reward." + EsperWire.ALPHA_SHOCK).add(r.alphaShock());
        row(rows, "reward." + EsperWire.RATIO_PENALTY).add(r.ratioPenalty());
        row(rows, "reward." + EsperWire.STAGE_BONUS).add(r.stageBonus());
        row(rows, "reward." + EsperWire.FOSSILIZE_TERMINAL_BONUS).add(r.fossilizeTerminalBonus());
        row(rows, "reward." + EsperWire.BLENDING_WARNING).add(r.blendingWarning());
        row(rows, "reward." + EsperWire.HOLDING_WARNING).add(r.holdingWarning());
    }

    private static Stats row(final Map<String, Stats> rows, final String name)
    {
        return rows.computeIfAbsent(name, key -> new Stats());
    }
}
