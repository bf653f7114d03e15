package io.blackbox.bench.training;

import com.fasterxml.jackson.core.JsonGenerator;
import io.blackbox.bench.ppo.PpoMiniBatchEvent;
import io.blackbox.codecs.PpoDataMode;
import io.blackbox.exporter.esper.EsperTypedEvents;
import io.blackbox.exporter.esper.TrainingStarted;
import io.blackbox.recorder.CalibratedEpochNanoClock;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.esper.EsperEmitter;
import io.blackbox.recorder.ppo.PpoEmitter;
import io.blackbox.recorder.ppo.PpoEpochStatistics;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What one PPO training run records, in one of the {@link RecordingMode}s: nothing; a Blackbox recording of the run
 * as PPO telemetry 1.1 (one record per epoch, its mini-batches and transitions folded in) and as Esper events
 * ({@code TRAINING_STARTED}, a {@code REWARD_COMPUTED} per finished episode, a {@code PPO_UPDATE_COMPLETED} per epoch),
 * each family under a run id of its own; a JFR recording of one {@link PpoMiniBatchEvent} per optimization step; or
 * one JSON line per optimization step, written with Jackson's streaming generator into a 64 KiB buffer. The last two
 * are what a user would otherwise write per mini-batch, for comparing their cost with Blackbox's.
 * <p>
 * {@link #miniBatch} is the per-optimization-step call the training loop times; as in {@link RunTelemetry}, it is a
 * switch on the mode with direct calls in each arm (rather than an interface with four implementations), so that
 * every mode in one JVM shares one monomorphic call site and no mode is charged for the others. The JFR and JSON arms
 * are written out in the switch, not in methods of their own: then C2 compiles every arm with the one method whose
 * calls the JIT warm-up counted, where a method of its own (166 bytes, too big to inline unless hot when C2 compiled
 * the switch) was still in C1's profiling tier after 20,000 warm-up calls on a 2-core machine. The rollout's, the
 * episodes' and the epochs' calls record in {@code blackbox} mode only, outside the timed steps: in {@code jfr} and
 * {@code jsonl} the mini-batch events and lines are the whole recording.
 */
final class PpoTelemetry implements AutoCloseable
{
    /** The action names of the Esper reward events, by action. */
    private static final String[] ACTION_NAMES = { "PUSH_LEFT", "PUSH_RIGHT" };
    /** Extra keys of the PPO records, beyond the spec's: what the epoch's rollout achieved. */
    static final String EPISODES_KEY = "episodes";
    static final String EPISODE_LENGTH_MEAN_KEY = "episode_length_mean";
    static final String EXPLAINED_VARIANCE_KEY = "explained_variance";

    // The keys of a jsonl line: the miniBatch call's parameters in snake case, after ts, run_id and epoch.
    static final String TS = "ts";
    static final String RUN_ID = "run_id";
    static final String EPOCH = "epoch";
    static final String TRANSITIONS = "transitions";
    static final String POLICY_LOSS = "policy_loss";
    static final String VALUE_LOSS = "value_loss";
    static final String ENTROPY = "entropy";
    static final String TOTAL_LOSS = "total_loss";
    static final String CLIP_FRACTION = "clip_fraction";
    static final String KL = "kl";
    static final String GRAD_NORM = "grad_norm";
    static final String ADVANTAGE_MEAN = "advantage_mean";
    static final String ADVANTAGE_STD = "advantage_std";

    private final RecordingMode mode;
    private final String runId;
    private final RunOutput output;
    private final PpoEmitter ppo;
    private final EsperEmitter esper;
    private final int[] actionSymbols = new int[ACTION_NAMES.length];
    private final int episodesKey;
    private final int episodeLengthKey;
    private final int explainedVarianceKey;

    private final JsonGenerator json;
    private final CalibratedEpochNanoClock clock;

    /** The current epoch, for the mini-batch events and lines; kept in every mode. */
    private long epoch;

    private PpoTelemetry(final RecordingMode mode, final RunOutput output, final String ppoRunId,
        final String esperRunId, final long eventIdSeed)
    {
        this.mode = mode;
        this.runId = ppoRunId;
        this.output = output;
        this.json = output.json;
        this.clock = output.clock;
        final Recorder recorder = output.recorder;
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
     * @param path        where: the recording's directory ({@code blackbox}), the JFR file ({@code jfr}) or the JSONL
     *                    file ({@code jsonl}); it must not exist yet. Ignored for {@code off}.
     * @param ppoRunId    the PPO telemetry's run id, also the run id of the JFR events and the JSON lines.
     * @param esperRunId  the Esper events' run id.
     * @param eventIdSeed the seed of the Esper event ids: the same ids for the same run.
     */
    static PpoTelemetry open(final RecordingMode mode, final Path path, final String ppoRunId, final String esperRunId,
        final long eventIdSeed) throws IOException
    {
        return new PpoTelemetry(mode,
            RunOutput.open(mode, path, "blackbox-ppo-training-" + ppoRunId, PpoMiniBatchEvent.class), ppoRunId,
            esperRunId, eventIdSeed);
    }

    /**
     * @return where the run records, and how many of its records were not taken.
     */
    RunOutput output()
    {
        return output;
    }

    /**
     * The Esper {@code TRAINING_STARTED} event.
     */
    void trainingStarted(final TrainingStarted payload)
    {
        if (mode == RecordingMode.BLACKBOX)
        {
            output.count(EsperTypedEvents.event(esper, payload).message("start").commit());
        }
    }

    /**
     * A PPO epoch begins, with its rollout: one cycle of rollout then training a PPO epoch, all its data the rollout's.
     * Every mode keeps the epoch's number for its mini-batches.
     */
    void epochStart(final long epoch, final long rolloutTicks)
    {
        this.epoch = epoch;
        if (mode == RecordingMode.BLACKBOX)
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
        if (mode == RecordingMode.BLACKBOX)
        {
            output.count(esper.rewardComputed(0, episodeReturn, actionSymbols[lastAction], valueEstimate, confidence)
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
        if (mode == RecordingMode.BLACKBOX)
        {
            ppo.transitions(rewards, advantages, count);
        }
    }

    /**
     * One optimization step's statistics: the call the training loop times. In {@code blackbox} mode they are added
     * to the epoch's statistics in memory (its record follows at {@link #epochEnd}); in {@code jfr} a
     * {@link PpoMiniBatchEvent} is committed; in {@code jsonl} a line is written to the buffer.
     */
    void miniBatch(final int transitions, final double policyLoss, final double valueLoss, final double entropy,
        final double totalLoss, final double clipFraction, final double kl, final double gradNorm,
        final double advantageMean, final double advantageStd) throws IOException
    {
        switch (mode)
        {
            case OFF:
                break;
            case BLACKBOX:
                ppo.miniBatch(transitions, policyLoss, valueLoss, entropy, totalLoss, clipFraction, kl, gradNorm,
                    advantageMean, advantageStd);
                break;
            case JFR:
            {
                final PpoMiniBatchEvent event = new PpoMiniBatchEvent();
                event.runId = runId;
                event.epoch = epoch;
                event.transitions = transitions;
                event.policyLoss = policyLoss;
                event.valueLoss = valueLoss;
                event.entropy = entropy;
                event.totalLoss = totalLoss;
                event.clipFraction = clipFraction;
                event.klDivergence = kl;
                event.gradNorm = gradNorm;
                event.advantageMean = advantageMean;
                event.advantageStd = advantageStd;
                event.commit();
                break;
            }
            case JSONL:
            {
                // ts in seconds since the epoch, as Python's time.time() would write it.
                final JsonGenerator g = json;
                g.writeStartObject();
                g.writeNumberField(TS, clock.nanoTime() * 1e-9);
                g.writeStringField(RUN_ID, runId);
                g.writeNumberField(EPOCH, epoch);
                g.writeNumberField(TRANSITIONS, transitions);
                g.writeNumberField(POLICY_LOSS, policyLoss);
                g.writeNumberField(VALUE_LOSS, valueLoss);
                g.writeNumberField(ENTROPY, entropy);
                g.writeNumberField(TOTAL_LOSS, totalLoss);
                g.writeNumberField(CLIP_FRACTION, clipFraction);
                g.writeNumberField(KL, kl);
                g.writeNumberField(GRAD_NORM, gradNorm);
                g.writeNumberField(ADVANTAGE_MEAN, advantageMean);
                g.writeNumberField(ADVANTAGE_STD, advantageStd);
                g.writeEndObject();
                g.writeRaw('\n');
                break;
            }
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
        if (mode != RecordingMode.BLACKBOX)
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
        output.count(update.commit());
        output.count(ppo.epochEnd(lr, steps));
    }

    /**
     * Stop recording: the emitters give their lanes back and the recorder drains and closes, JFR writes its file, the
     * JSONL buffer is flushed and the file closed.
     */
    @Override
    public void close() throws IOException
    {
        if (ppo != null)
        {
            ppo.close();
        }
        if (esper != null)
        {
            esper.close();
        }
        output.close();
    }
}
