package io.blackbox.exporter.ppo;

import io.blackbox.codecs.PpoDataMode;
import io.blackbox.exporter.family.DemoWorkload;
import io.blackbox.exporter.family.SimulatedRun;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.ppo.PpoEmitter;

import java.util.SplittableRandom;

/**
 * One simulated PPO training run of townlet's kind, as its harness would record it: alternating rollout and train
 * cycles ({@value #EPOCHS_PER_CYCLE} epochs on each cycle's rollout), {@value #MINI_BATCHES_PER_EPOCH} mini-batches of
 * {@value #TRANSITIONS_PER_MINI_BATCH} transitions an epoch, each transition's reward and advantage fed to the
 * correlation, and the extra keys townlet's harness adds (queue and social counters, the baseline, the four
 * {@code conflict.rivalry_*} averages its validator requires). A demo step is a mini-batch: the family's unit of
 * progress, whose accumulate call's latency is measured; one record is written per epoch.
 * <p>
 * The curves are deterministic for a seed: losses decay, the policy's entropy falls slowly (and collapses in the last
 * tenth of the run, for {@code watch} to find), KL and clip fraction wander with rare spikes, rewards correlate with
 * advantages. Run 0, 2, ... train on alternating cycles ({@code mixed}), run 1, 3, ... on rollouts only.
 */
public final class PpoDemoRun extends SimulatedRun
{
    public static final int MINI_BATCHES_PER_EPOCH = 16;
    public static final int TRANSITIONS_PER_MINI_BATCH = 64;
    public static final int EPOCHS_PER_CYCLE = 4;
    private static final double LR = 3e-4;

    /** The extra keys of every record, in townlet's order. */
    private static final String[] EXTRA_KEYS = {
        PpoWire.QUEUE_CONFLICT_EVENTS, PpoWire.QUEUE_CONFLICT_INTENSITY_SUM, "shared_meal_events", "late_help_events",
        "shift_takeover_events", "chat_success_events", "chat_failure_events", "chat_quality_mean",
        "baseline_sample_count", "baseline_reward_mean", "baseline_reward_sum", "baseline_reward_sum_mean",
        "baseline_log_prob_mean",
        PpoWire.RIVALRY_KEYS.get(0), PpoWire.RIVALRY_KEYS.get(1), PpoWire.RIVALRY_KEYS.get(2),
        PpoWire.RIVALRY_KEYS.get(3) };

    /**
     * @param recorder the recording.
     * @param index    this run's number among the demo's concurrent runs.
     * @param settings mini-batches to simulate (the demo's steps), the seed and the pace (mini-batches a second).
     */
    public PpoDemoRun(final Recorder recorder, final int index, final DemoWorkload.Settings settings)
    {
        // A step is a mini-batch, accumulated in memory (no record of its own): it outlives a crash once its epoch's
        // record does.
        super(recorder, index, settings, DemoWorkload.runId(settings.seed() * 37 + index + 0x7070), "mini_batch");
    }

    public void run()
    {
        final PpoEmitter ppo = recorder.emitter(PpoEmitter::new, runId());
        final int[] extraKeys = new int[EXTRA_KEYS.length];
        for (int i = 0; i < extraKeys.length; i++)
        {
            extraKeys[i] = ppo.symbol(EXTRA_KEYS[i]);
        }
        final SplittableRandom random = new SplittableRandom(seed * 1_000_033 + index);
        final double[] rewards = new double[TRANSITIONS_PER_MINI_BATCH];
        final double[] advantages = new double[TRANSITIONS_PER_MINI_BATCH];
        final boolean mixed = index % 2 == 0;
        // Exactly the steps asked: the last epoch takes what is left when they are not a whole number of epochs.
        final long epochs = Math.max(1, (steps + MINI_BATCHES_PER_EPOCH - 1) / MINI_BATCHES_PER_EPOCH);
        final double tau = Math.max(1.0, epochs / 4.0);
        final long pacedFromNs = System.nanoTime();

        boolean ok = true;
        long records = 0;
        long done = 0;
        long harnessSteps = 0; // the harness's steps: transitions so far
        long cycleId = 0;
        for (long epoch = 1; epoch <= epochs; epoch++)
        {
            if (Thread.currentThread().isInterrupted())
            {
                break; // the demo is stopping (SIGTERM, Ctrl-C): the run ends after its last whole epoch
            }
            final boolean newCycle = (epoch - 1) % EPOCHS_PER_CYCLE == 0;
            if (newCycle)
            {
                cycleId++;
            }
            final long rolloutTicks = newCycle ? (long)MINI_BATCHES_PER_EPOCH * TRANSITIONS_PER_MINI_BATCH : 0;
            ppo.epochStart(epoch, mixed ? PpoDataMode.MIXED : PpoDataMode.ROLLOUT, cycleId, rolloutTicks);

            final double progress = (double)epoch / epochs;
            final double decay = Math.exp(-epoch / tau);
            final double entropyLevel = progress > 0.9 ? 0.02 : 1.2 * Math.exp(-epoch / (4 * tau)) + 0.3;
            final long epochMiniBatches = Math.min(MINI_BATCHES_PER_EPOCH, steps - done);
            for (int m = 0; m < epochMiniBatches; m++)
            {
                pace(pacedFromNs, done);
                final double correlation = 0.35 + 0.3 * random.nextDouble();
                double advSum = 0;
                for (int t = 0; t < TRANSITIONS_PER_MINI_BATCH; t++)
                {
                    final double advantage = gaussian(random);
                    advantages[t] = advantage;
                    rewards[t] = correlation * advantage + 0.8 * gaussian(random) - 0.2;
                    advSum += advantage;
                }
                final double advMean = advSum / TRANSITIONS_PER_MINI_BATCH;
                double advSquares = 0;
                for (int t = 0; t < TRANSITIONS_PER_MINI_BATCH; t++)
                {
                    advSquares += (advantages[t] - advMean) * (advantages[t] - advMean);
                }
                final double advStd = Math.sqrt(advSquares / TRANSITIONS_PER_MINI_BATCH);
                final double policyLoss = -0.02 * decay + 0.005 * (random.nextDouble() - 0.5);
                final double valueLoss = 0.15 + 1.1 * decay + 0.05 * random.nextDouble();
                final double entropy = entropyLevel * (0.95 + 0.1 * random.nextDouble());
                final double totalLoss = policyLoss + 0.5 * valueLoss - 0.01 * entropy;
                final boolean spike = random.nextInt(200) == 0;
                final double clip = Math.min(1.0, (spike ? 0.45 : 0.12 * decay + 0.02) * random.nextDouble());
                final double kl = (spike ? 0.08 : 0.004 + 0.01 * decay) * (random.nextDouble() - 0.2);
                final double gradNorm = 0.4 + 1.6 * decay + (spike ? 6.0 : 0.3) * random.nextDouble();

                final long start = System.nanoTime();
                ppo.miniBatch(TRANSITIONS_PER_MINI_BATCH, policyLoss, valueLoss, entropy, totalLoss, clip, kl,
                    gradNorm, advMean, advStd);
                ppo.transitions(rewards, advantages, TRANSITIONS_PER_MINI_BATCH);
                stepEmitted(start);
                harnessSteps += TRANSITIONS_PER_MINI_BATCH;
                done++;
            }

            final double queueConflicts = random.nextInt(6);
            ppo.metric(extraKeys[0], queueConflicts)
                .metric(extraKeys[1], queueConflicts * (0.5 + random.nextDouble()))
                .metric(extraKeys[2], random.nextInt(4))
                .metric(extraKeys[3], random.nextInt(3))
                .metric(extraKeys[4], random.nextInt(2))
                .metric(extraKeys[5], random.nextInt(10))
                .metric(extraKeys[6], random.nextInt(4))
                .metric(extraKeys[7], 0.5 + 0.4 * random.nextDouble())
                .metric(extraKeys[8], 1.0)
                .metric(extraKeys[9], -0.2)
                .metric(extraKeys[10], -4.0)
                .metric(extraKeys[11], -4.0)
                .metric(extraKeys[12], -1.3)
                .metric(extraKeys[13], 0.2 * random.nextDouble())
                .metric(extraKeys[14], 0.4 * random.nextDouble())
                .metric(extraKeys[15], random.nextInt(3) / 4.0)
                .metric(extraKeys[16], random.nextInt(5) / 4.0);
            final boolean recorded = ppo.epochEnd(LR * (1.0 - 0.5 * progress), harnessSteps);
            records++;
            ok &= recorded;
            if (recorded)
            {
                acknowledge(done);
            }
        }
        ppo.close(); // its lane goes back to the ring for the next run
        finish(records, ok);
    }

    /**
     * A standard normal variate (Box-Muller, one of the pair): SplittableRandom has none of its own.
     */
    private static double gaussian(final SplittableRandom random)
    {
        final double u = 1.0 - random.nextDouble(); // (0, 1]: log(0) never
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * random.nextDouble());
    }
}
