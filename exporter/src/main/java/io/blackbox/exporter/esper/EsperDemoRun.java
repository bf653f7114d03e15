package io.blackbox.exporter.esper;

import io.blackbox.codecs.EsperSeverity;
import io.blackbox.exporter.family.DemoWorkload;
import io.blackbox.exporter.family.SimulatedRun;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.esper.EsperEmitter;
import io.blackbox.recorder.esper.PpoHead;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One simulated esper-lite training run, as its trainer would record it: a host network grown by seeds in slots, a
 * PPO policy choosing each step's action. {@code TRAINING_STARTED}; then batches of {@value #N_ENVS} environments each
 * running an episode of {@value #EPOCHS_PER_EPISODE} epochs, every env-epoch a {@code REWARD_COMPUTED} (the demo's
 * step, whose emit latency is measured: the per-step call, no allocation) and an {@code EPOCH_COMPLETED}; after each
 * batch {@value #UPDATES_PER_BATCH} {@code PPO_UPDATE_COMPLETED}, a {@code BATCH_EPOCH_COMPLETED} and an
 * {@code ANALYTICS_SNAPSHOT} of the batch's actions; seeds germinate, blend and are fossilized or pruned across
 * batches; every fourth batch a {@code COUNTERFACTUAL_MATRIX_COMPUTED}. Every record of the family's range is written.
 * <p>
 * Deterministic for a seed, event ids included ({@link EsperEmitter#eventIdSeed}); only the timestamps are the
 * clock's.
 */
public final class EsperDemoRun extends SimulatedRun
{
    /** Whether a seed-lifecycle emit was refused. */
    private boolean lifecycleRefused;
    public static final int N_ENVS = 4;
    public static final int EPOCHS_PER_EPISODE = 5;
    public static final int UPDATES_PER_BATCH = 2;
    private static final String[] ACTIONS = { "WAIT", "GERMINATE", "SET_ALPHA_TARGET", "PRUNE", "FOSSILIZE" };
    private static final List<String> SLOTS = List.of("r0c0", "r0c1");
    private static final String[] BLUEPRINTS = { "conv_light", "attention", "norm" };

    /**
     * @param recorder the recording.
     * @param index    this run's number among the demo's concurrent runs.
     * @param settings steps to simulate (env-epochs, a {@code REWARD_COMPUTED} each), the seed and the pace.
     */
    public EsperDemoRun(final Recorder recorder, final int index, final DemoWorkload.Settings settings)
    {
        // A step is an environment's epoch, and its reward event.
        super(recorder, index, settings, DemoWorkload.runId(settings.seed() * 41 + index + 0xE5E5), "reward_computed");
    }

    public void run()
    {
        final EsperEmitter esper = recorder.emitter(EsperEmitter::new, runId());
        esper.eventIdSeed(seed * 1_000_039 + index);
        final int[] actions = new int[ACTIONS.length];
        for (int i = 0; i < actions.length; i++)
        {
            actions[i] = esper.symbol(ACTIONS[i]);
        }
        final int[] slots = { esper.symbol(SLOTS.get(0)), esper.symbol(SLOTS.get(1)) };
        final int treatment = esper.symbol(index % 2 == 0 ? "A" : "B");
        final SplittableRandom random = new SplittableRandom(seed * 1_000_003 + index);
        final int stepsPerBatch = N_ENVS * EPOCHS_PER_EPISODE;
        final long batches = Math.max(1, (steps + stepsPerBatch - 1) / stepsPerBatch);
        final long pacedFromNs = System.nanoTime();

        boolean ok = EsperTypedEvents.event(esper, new TrainingStarted(N_ENVS, EPOCHS_PER_EPISODE, "cifar_baseline",
            1_000_000L, SLOTS, seed, (int)Math.min(Integer.MAX_VALUE, batches * N_ENVS), 3e-4, 0.2, 0.01, 50_000L,
            "cpu", List.of("cpu", "cpu", "cpu", "cpu"), "demo-" + index, "", "shaped", 0, null, 1, 0, 0, false, null,
            false, null, null)).message("start").commit();
        long records = 1;
        long done = 0;
        double rollingAccuracy = 40.0;
        for (long batch = 0; batch < batches && done < steps; batch++)
        {
            if (Thread.currentThread().isInterrupted())
            {
                break; // the demo is stopping: the run ends after its last whole batch
            }
            final double progress = (double)batch / batches;
            final int[] actionCounts = new int[ACTIONS.length];
            final double[] envAccuracy = new double[N_ENVS];
            double rewardSum = 0;
            for (int env = 0; env < N_ENVS && done < steps; env++)
            {
                double accuracy = 35.0 + 40.0 * progress + 5.0 * random.nextDouble();
                for (int epoch = 1; epoch <= EPOCHS_PER_EPISODE && done < steps; epoch++)
                {
                    pace(pacedFromNs, done);
                    final int action = random.nextInt(10) < 6 ? 0 : 1 + random.nextInt(ACTIONS.length - 1);
                    actionCounts[action]++;
                    final double delta = 1.5 * random.nextDouble() - 0.3;
                    accuracy += delta;
                    final double rent = 0.01 * random.nextDouble();
                    final double reward = 0.1 * delta - rent + (action == 4 ? 0.5 : 0.0);
                    rewardSum += reward;

                    final long start = System.nanoTime();
                    final boolean recorded = esper.rewardComputed(env, reward, actions[action],
                            0.2 + 0.5 * progress + 0.1 * random.nextDouble(), 0.2 + 0.7 * random.nextDouble())
                        .baseAccDelta(delta)
                        .seedContribution(action == 0 ? 0.0 : 0.05 * delta)
                        .computeRent(rent)
                        .stageBonus(action == 4 ? 0.5 : 0.0)
                        .valAcc(accuracy)
                        .hostAccuracy(accuracy - 1.0)
                        .decisionEntropy(1.6 * (1.0 - 0.5 * progress))
                        .abGroup(treatment)
                        .epoch(epoch)
                        .commit();
                    stepEmitted(start);
                    ok &= recorded;
                    ok &= esper.epochCompleted(env, accuracy, 2.0 - 1.5 * progress + 0.1 * random.nextDouble(), epoch)
                        .epoch(epoch).commit();
                    records += 2;
                    done++;
                    if (recorded)
                    {
                        acknowledge(done);
                    }
                }
                envAccuracy[env] = accuracy;
            }

            for (int update = 0; update < UPDATES_PER_BATCH; update++)
            {
                final boolean spike = random.nextInt(50) == 0;
                final EsperEmitter.PpoUpdate u = esper.ppoUpdate(-0.02 + 0.01 * random.nextDouble(),
                        0.8 * (1.0 - progress) + 0.1 * random.nextDouble(), 1.5 * (1.0 - 0.6 * progress),
                        spike ? Double.POSITIVE_INFINITY : 0.5 + random.nextDouble(),
                        spike ? 0.09 : 0.01 * random.nextDouble(), 0.1 * random.nextDouble(), spike ? 1 : 0)
                    .advantage(0.0, 1.0)
                    .ratio(1.0, 0.8, 1.2 + (spike ? 2.0 : 0.0), 0.05)
                    .lr(3e-4)
                    .entropyCoef(0.01)
                    .updateTimeMs(20.0 + 5.0 * random.nextDouble())
                    .position(update + 1, (int)batch)
                    .updateSkipped(spike)
                    .epoch(batch);
                if (0 == update)
                {
                    // The dict fields, off the zero-allocation path, once a batch.
                    final Map<String, Double> headEntropy = new LinkedHashMap<>();
                    headEntropy.put("mean", 1.2 * (1.0 - 0.5 * progress));
                    u.explainedVariance(0.3 + 0.5 * progress).head(PpoHead.SLOT_ENTROPY, headEntropy);
                }
                if (spike)
                {
                    u.severity(EsperSeverity.WARNING).message("update skipped: non-finite gradient");
                }
                ok &= u.commit();
                records++;
            }

            final double avgAccuracy = (envAccuracy[0] + envAccuracy[1] + envAccuracy[2] + envAccuracy[3]) / N_ENVS;
            rollingAccuracy = 0.8 * rollingAccuracy + 0.2 * avgAccuracy;
            ok &= EsperTypedEvents.event(esper, new BatchEpochCompleted((int)Math.min(Integer.MAX_VALUE,
                (batch + 1) * N_ENVS), (int)batch, avgAccuracy, rewardSum / stepsPerBatch,
                (int)Math.min(Integer.MAX_VALUE, batches * N_ENVS), N_ENVS, rollingAccuracy,
                List.of(envAccuracy[0], envAccuracy[1], envAccuracy[2], envAccuracy[3]))).epoch(batch).commit();
            final Map<String, Integer> counts = new LinkedHashMap<>();
            for (int a = 0; a < ACTIONS.length; a++)
            {
                counts.put(ACTIONS[a], actionCounts[a]);
            }
            ok &= EsperTypedEvents.event(esper, new AnalyticsSnapshot("action_distribution", counts, null, null, null,
                null, null)).epoch(batch).commit();
            records += 2;
            records += seedLifecycle(esper, slots, batch, random);
        }
        esper.close(); // its lane goes back to the ring for the next run
        finish(records, ok && !lifecycleRefused);
    }

    /**
     * A seed's life over three batches: germinated, blending, then fossilized (or pruned, every other seed); every
     * fourth batch the counterfactual matrix of the two slots.
     *
     * @return records written.
     */
    private long seedLifecycle(final EsperEmitter esper, final int[] slots, final long batch,
        final SplittableRandom random)
    {
        final int slot = (int)(batch / 3 % SLOTS.size());
        final String slotId = SLOTS.get(slot);
        final int env = (int)(batch % N_ENVS);
        final String blueprint = BLUEPRINTS[(int)(batch / 3 % BLUEPRINTS.length)];
        final boolean fossilize = batch / 3 % 2 == 0;
        final EsperPayload payload = switch ((int)(batch % 3))
        {
            case 0 -> new SeedGerminated(slotId, env, blueprint, 4096 + 1024L * (batch % 4), 0.0, 0.0, false, false,
                0, 5);
            case 1 -> new SeedStageChanged(slotId, env, "GERMINATED", "BLENDING", 0.1, 0.5 * random.nextDouble(), 1,
                0.9 + 0.2 * random.nextDouble(), false, false);
            default -> fossilize ?
                new SeedFossilized(slotId, env, blueprint, 1.0 + random.nextDouble(), 4096, 1.0, 3, 0.4) :
                new SeedPruned(slotId, env, "no_improvement", blueprint, -0.2, true, 3, -0.1);
        };
        boolean ok = EsperTypedEvents.event(esper, payload).epoch(batch).slotId(slots[slot]).commit();
        long records = 1;
        if (batch % 4 == 3)
        {
            final List<Map<String, Object>> configs = List.of(
                config(true, true, 70.0 + random.nextDouble()),
                config(true, false, 68.0 + random.nextDouble()),
                config(false, true, 66.0 + random.nextDouble()),
                config(false, false, 60.0 + random.nextDouble()));
            ok &= EsperTypedEvents.event(esper, new CounterfactualMatrix(env, SLOTS, configs, "full_factorial",
                12.5)).epoch(batch).commit();
            records++;
        }
        lifecycleRefused |= !ok;
        return records;
    }

    private static Map<String, Object> config(final boolean first, final boolean second, final double accuracy)
    {
        final Map<String, Object> config = new LinkedHashMap<>();
        config.put("mask", List.of(first, second));
        config.put("accuracy", accuracy);
        return config;
    }
}
