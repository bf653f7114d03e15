package io.blackbox.bench.ppo;

import io.blackbox.bench.BenchJvm;
import io.blackbox.bench.RecorderState;
import io.blackbox.bench.gradience.JfrRecordingState;
import io.blackbox.bench.gradience.TrainStepValues;
import io.blackbox.codecs.PpoDataMode;
import io.blackbox.recorder.ppo.PpoEmitter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What PPO telemetry costs the training thread, per mini-batch and per epoch, with Blackbox and with JDK Flight
 * Recorder, in the same run:
 * <ul>
 *     <li>{@code blackboxMiniBatch}: {@link PpoEmitter#miniBatch}, folded into the epoch's statistics in memory (no
 *     record); {@code jfrMiniBatchCommit}: a {@link PpoMiniBatchEvent} committed into a running JFR recording on
 *     disk, what a JFR user writes per mini-batch;</li>
 *     <li>{@code blackboxTransition}: one reward and advantage into the correlation;</li>
 *     <li>{@code blackboxEpochRecord}: one epoch record from given values ({@code epoch()...commit()}: the 29 keys of
 *     1.1 with health, and 17 extra keys as townlet writes them) into the recorder's ring, the drainer appending to
 *     the queue on its own thread; {@code jfrEpochCommit}: a {@link PpoEpochEvent} with the 29 keys (JFR has no
 *     open keys).</li>
 * </ul>
 * Run with {@code bench/run.sh -prof gc PpoEmitCost}: B/op must be 0 for the Blackbox calls.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchJvm.ARGFILE)
public class PpoEmitCost
{
    /** The extra keys of a townlet record: queue and social counters, the baseline, the conflict averages. */
    static final int EXTRA_KEYS = 17;

    @Benchmark
    public void blackboxMiniBatch(final PpoEmitterState s)
    {
        s.emitter.miniBatch(64, s.policyLoss, s.valueLoss, s.entropy, s.totalLoss, s.clip, s.kl, s.gradNorm,
            s.advMean, s.advStd);
    }

    @Benchmark
    public void blackboxTransition(final PpoEmitterState s)
    {
        s.emitter.transition(s.reward, s.advStd);
    }

    @Benchmark
    public boolean blackboxEpochRecord(final PpoEmitterState s)
    {
        final PpoEmitter.Epoch e = s.emitter.epoch()
            .epoch(s.step++).updates(16).transitions(1024).losses(s.policyLoss, s.valueLoss, s.entropy, s.totalLoss)
            .clipFraction(s.clip).advantages(s.advMean, s.advStd).gradNorm(s.gradNorm).klDivergence(s.kl).lr(3e-4)
            .steps(1024.0 * s.step).health(0, 0.8, 12, 0.31).epochDurationSec(0.42).dataMode(PpoDataMode.MIXED)
            .cycleId(3).batchEntropy(s.entropy, 0.05).gradNormMax(2.5).klDivergenceMax(0.02)
            .rewardAdvantageCorr(0.47).rolloutTicks(1024);
        for (int k = 0; k < EXTRA_KEYS; k++)
        {
            e.metric(s.keys[k], s.reward);
        }
        return e.commit();
    }

    @Benchmark
    public void jfrMiniBatchCommit(final JfrPpoState s)
    {
        final PpoMiniBatchEvent event = new PpoMiniBatchEvent();
        event.transitions = 64;
        event.policyLoss = s.policyLoss;
        event.valueLoss = s.valueLoss;
        event.entropy = s.entropy;
        event.totalLoss = s.totalLoss;
        event.clipFraction = s.clip;
        event.klDivergence = s.kl;
        event.gradNorm = s.gradNorm;
        event.advantageMean = s.advMean;
        event.advantageStd = s.advStd;
        event.commit();
        s.step++;
    }

    @Benchmark
    public void jfrEpochCommit(final JfrPpoState s)
    {
        final PpoEpochEvent event = new PpoEpochEvent();
        event.runId = s.runId;
        event.epoch = s.step;
        event.updates = 16;
        event.transitions = 1024;
        event.lossPolicy = s.policyLoss;
        event.lossValue = s.valueLoss;
        event.lossEntropy = s.entropy;
        event.lossTotal = s.totalLoss;
        event.clipFraction = s.clip;
        event.advMean = s.advMean;
        event.advStd = s.advStd;
        event.gradNorm = s.gradNorm;
        event.klDivergence = s.kl;
        event.telemetryVersion = 1.1;
        event.lr = 3e-4;
        event.steps = 1024.0 * s.step;
        event.advZeroStdBatches = 0;
        event.advMinStd = 0.8;
        event.clipTriggeredMinibatches = 12;
        event.clipFractionMax = 0.31;
        event.epochDurationSec = 0.42;
        event.dataMode = "mixed";
        event.cycleId = 3;
        event.batchEntropyMean = s.entropy;
        event.batchEntropyStd = 0.05;
        event.gradNormMax = 2.5;
        event.klDivergenceMax = 0.02;
        event.rewardAdvantageCorr = 0.47;
        event.rolloutTicks = 1024;
        event.logStreamOffset = s.step;
        event.commit();
        s.step++;
    }

    /**
     * A mini-batch's values, non-final so that the JIT cannot fold them.
     */
    public static class MiniBatchValues extends TrainStepValues
    {
        public double policyLoss = -0.0123;
        public double valueLoss = 0.734;
        public double entropy = 1.21;
        public double totalLoss = 0.352;
        public double clip = 0.14;
        public double kl = 0.0041;
        public double gradNorm = 1.73;
        public double advMean = 0.003;
        public double advStd = 0.997;
        public double reward = -0.2;
    }

    /**
     * One PPO emitter per benchmark thread, from the trial's shared recorder, its extra keys defined.
     */
    @State(Scope.Thread)
    public static class PpoEmitterState extends MiniBatchValues
    {
        PpoEmitter emitter;
        final int[] keys = new int[EXTRA_KEYS];

        @Setup(Level.Trial)
        public void open(final RecorderState recording)
        {
            emitter = recording.recorder.emitter(PpoEmitter::new, runId);
            for (int k = 0; k < EXTRA_KEYS; k++)
            {
                keys[k] = emitter.symbol("extra_key_" + k);
            }
            recording.emitted.add(() -> step);
        }
    }

    /**
     * One committing thread's values, counted by the JFR recording state.
     */
    @State(Scope.Thread)
    public static class JfrPpoState extends MiniBatchValues
    {
        @Setup(Level.Trial)
        public void register(final JfrRecordingState recording)
        {
            recording.register(this);
        }
    }
}
