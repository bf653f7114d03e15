package io.blackbox.bench.training;

import io.blackbox.codecs.PpoDataMode;
import io.blackbox.exporter.esper.EsperTypedEvents;
import io.blackbox.exporter.esper.TrainingStarted;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.esper.EsperEmitter;
import io.blackbox.recorder.ppo.PpoEmitter;
import io.blackbox.recorder.ppo.PpoEpochStatistics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What one PPO training run records, in one of the {@link Mode}s: nothing, or a Blackbox recording of the run as PPO
 * telemetry 1.1 (one record per epoch, its mini-batches and transitions folded in) and as Esper events
 * ({@code TRAINING_STARTED}, a {@code REWARD_COMPUTED} per finished episode, a {@code PPO_UPDATE_COMPLETED} per epoch),
 * each family under a run id of its own.
 * <p>
 * {@link #miniBatch} is the per-optimization-step call the training loop times; as in {@link RunTelemetry}, it is a
 * switch on the mode with a direct call in the arm, so that both modes in one JVM share one monomorphic call site.
 */
final class PpoTelemetry implements AutoCloseable
{
    /**
     * How a run records.
     */
    enum Mode
    {
        /** No recording at all: the baseline. */
        OFF,
        /** A Blackbox recording: PPO telemetry 1.1 and Esper events. */
        BLACKBOX;

        String label()
        {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString()
        {
            return label(); // as the command line and the output spell it
        }
    }

    /** The action names of the Esper reward events, by action. */
    private static final String[] ACTION_NAMES = { "PUSH_LEFT", "PUSH_RIGHT" };
    /** Extra keys of the PPO records, beyond the spec's: what the epoch's rollout achieved. */
    static final String EPISODES_KEY = "episodes";
    static final String EPISODE_LENGTH_MEAN_KEY = "episode_length_mean";
    static final String EXPLAINED_VARIANCE_KEY = "explained_variance";

    private final Mode mode;
    private final Path path;
    private final Recorder recorder;
    private final PpoEmitter ppo;
    private final EsperEmitter esper;
    private final int[] actionSymbols = new int[ACTION_NAMES.length];
    private final int episodesKey;
    private final int episodeLengthKey;
    private final int explainedVarianceKey;
    private long notRecorded;

    private PpoTelemetry(final Mode mode, final Path path, final Recorder recorder, final String ppoRunId,
        final String esperRunId, final long eventIdSeed)
    {
        this.mode = mode;
        this.path = path;
        this.recorder = recorder;
        if (recorder == null)
        {
            ppo = null;
            esper = null;
            episodesKey = 0;
            episodeLengthKey = 0;
            explainedVarianceKey = 0;
            return;
        }
        ppo = recorder.emitter(PpoEmitter::new, ppoRunId);
        esper = recorder.emitter(EsperEmitter::new, esperRunId).eventIdSeed(eventIdSeed);
        for (int i = 0; i < ACTION_NAMES.length; i++)
        {
            actionSymbols[i] = esper.symbol(ACTION_NAMES[i]);
        }
        episodesKey = ppo.symbol(EPISODES_KEY);
        episodeLengthKey = ppo.symbol(EPISODE_LENGTH_MEAN_KEY);
        explainedVarianceKey = ppo.symbol(EXPLAINED_VARIANCE_KEY);
    }

    /**
     * Start recording a run.
     *
     * @param mode        how.
     * @param path        the recording's directory ({@code blackbox}); it must not exist yet. Ignored for {@code off}.
     * @param ppoRunId    the PPO telemetry's run id.
     * @param esperRunId  the Esper events' run id.
     * @param eventIdSeed the seed of the Esper event ids: the same ids for the same run.
     */
    static PpoTelemetry open(final Mode mode, final Path path, final String ppoRunId, final String esperRunId,
        final long eventIdSeed)
    {
        switch (mode)
        {
            case OFF:
                return new PpoTelemetry(mode, null, null, ppoRunId, esperRunId, eventIdSeed);
            case BLACKBOX:
                if (Files.exists(path))
                {
                    throw new IllegalArgumentException(path + " exists: give --out a fresh directory");
                }
                return new PpoTelemetry(mode, path, Recorder.open(new Recorder.Context().directory(path)), ppoRunId,
                    esperRunId, eventIdSeed);
            default:
                throw new IllegalArgumentException("mode " + mode);
        }
    }

    /**
     * @return where this run records, null for {@code off}.
     */
    Path path()
    {
        return path;
    }

    /**
     * @return records the recorder did not take (0 under its default backpressure, which waits).
     */
    long notRecorded()
    {
        return notRecorded;
    }

    /**
     * The Esper {@code TRAINING_STARTED} event.
     */
    void trainingStarted(final TrainingStarted payload)
    {
        if (mode == Mode.BLACKBOX)
        {
            count(EsperTypedEvents.event(esper, payload).message("start").commit());
        }
    }

    /**
     * A PPO epoch begins, with its rollout: one cycle of rollout then training a PPO epoch, all its data the rollout's.
     */
    void epochStart(final long epoch, final long rolloutTicks)
    {
        if (mode == Mode.BLACKBOX)
        {
            ppo.epochStart(epoch, PpoDataMode.ROLLOUT, epoch, rolloutTicks);
        }
    }

    /**
     * An episode ended: the Esper {@code REWARD_COMPUTED} event of its return, with its last decision's context.
     *
     * @param episodeReturn   the episode's total reward.
     * @param lastAction      the action of its last step.
     * @param valueEstimate   the value network's estimate of the state that action was taken in.
     * @param confidence      the probability the policy gave that action.
     * @param decisionEntropy the policy's entropy in that state.
     */
    void episodeEnded(final long epoch, final double episodeReturn, final int lastAction, final double valueEstimate,
        final double confidence, final double decisionEntropy)
    {
        if (mode == Mode.BLACKBOX)
        {
            count(esper.rewardComputed(0, episodeReturn, actionSymbols[lastAction], valueEstimate, confidence)
                .decisionEntropy(decisionEntropy)
                .epoch(epoch)
                .commit());
        }
    }

    /**
     * The rollout's transitions, for the epoch's reward-advantage correlation.
     */
    void transitions(final double[] rewards, final double[] advantages, final int count)
    {
        if (mode == Mode.BLACKBOX)
        {
            ppo.transitions(rewards, advantages, count);
        }
    }

    /**
     * One optimization step's statistics: the call the training loop times.
     */
    void miniBatch(final int transitions, final double policyLoss, final double valueLoss, final double entropy,
        final double totalLoss, final double clipFraction, final double kl, final double gradNorm,
        final double advantageMean, final double advantageStd)
    {
        switch (mode)
        {
            case OFF:
                break;
            case BLACKBOX:
                ppo.miniBatch(transitions, policyLoss, valueLoss, entropy, totalLoss, clipFraction, kl, gradNorm,
                    advantageMean, advantageStd);
                break;
            default:
                throw new IllegalStateException("mode " + mode);
        }
    }

    /**
     * The epoch ends: its PPO record, then its Esper {@code PPO_UPDATE_COMPLETED} with the same means (the emitter's
     * own statistics of the epoch, read before the record is written) and what the PPO record has no key for.
     *
     * @param lr    the learning rate of the epoch's last update.
     * @param steps optimizer steps so far in the run.
     */
    void epochEnd(final long epoch, final double lr, final long steps, final Rollout rollout,
        final PpoTraining.EpochTotals totals, final double entropyCoef)
    {
        if (mode != Mode.BLACKBOX)
        {
            return;
        }
        final PpoEpochStatistics s = ppo.statistics();
        final EsperEmitter.PpoUpdate update = esper.ppoUpdate(s.lossPolicy(), s.lossValue(), s.lossEntropy(),
                s.gradNorm(), s.klDivergence(), s.clipFraction(), totals.nanGradSteps)
            .entropyLoss(-entropyCoef * s.lossEntropy())
            .advantage(s.advMean(), s.advStd())
            .ratio(totals.ratioMean(), totals.ratioMin, totals.ratioMax, totals.ratioStd())
            .lr(lr)
            .entropyCoef(entropyCoef)
            .updateTimeMs(totals.optimizeNs / 1e6)
            .epoch(epoch);
        final double explainedVariance = rollout.explainedVariance();
        if (Double.isFinite(explainedVariance))
        {
            update.explainedVariance(explainedVariance);
            ppo.metric(explainedVarianceKey, explainedVariance);
        }
        ppo.metric(episodesKey, rollout.episodes());
        if (rollout.episodes() > 0)
        {
            ppo.metric(episodeLengthKey, rollout.meanEpisodeLength());
        }
        count(update.commit());
        count(ppo.epochEnd(lr, steps));
    }

    /**
     * Stop recording: the emitters give their lanes back, the recorder drains and closes.
     */
    @Override
    public void close()
    {
        if (ppo != null)
        {
            ppo.close();
        }
        if (esper != null)
        {
            esper.close();
        }
        if (recorder != null)
        {
            recorder.close();
        }
    }

    private void count(final boolean recorded)
    {
        if (!recorded)
        {
            notRecorded++;
        }
    }
}
