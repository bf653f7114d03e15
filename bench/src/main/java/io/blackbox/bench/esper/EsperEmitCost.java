package io.blackbox.bench.esper;

import io.blackbox.bench.BenchJvm;
import io.blackbox.bench.RecorderState;
import io.blackbox.bench.gradience.JfrRecordingState;
import io.blackbox.bench.gradience.TrainStepValues;
import io.blackbox.recorder.esper.EsperEmitter;
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
 * What Esper telemetry costs the training thread per environment step and per PPO update, with Blackbox and with JDK
 * Flight Recorder, in the same run:
 * <ul>
 *     <li>{@code blackboxRewardComputed}: a {@code REWARD_COMPUTED} with its 16 scalar components, the action and A/B
 *     group as symbols and the epoch, into the recorder's ring (the drainer appends to the queue on its own thread);
 *     {@code jfrRewardCommit}: an {@link EsperRewardEvent} with the same fields committed into a running JFR recording
 *     on disk;</li>
 *     <li>{@code blackboxPpoUpdate}: a {@code PPO_UPDATE_COMPLETED} with its required fields and 13 optional scalars;
 *     {@code jfrPpoUpdateCommit}: an {@link EsperPpoUpdateEvent} with the same.</li>
 * </ul>
 * Run with {@code bench/run.sh -prof gc EsperEmitCost}: B/op must be 0 for the Blackbox calls.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchJvm.ARGFILE)
public class EsperEmitCost
{
    @Benchmark
    public boolean blackboxRewardComputed(final EsperEmitterState s)
    {
        return s.emitter.rewardComputed(s.env, s.reward, s.action, s.value, s.confidence)
            .baseAccDelta(s.delta).boundedAttribution(s.delta).seedContribution(s.delta).computeRent(s.rent)
            .alphaShock(0.0).ratioPenalty(0.0).stageBonus(s.reward).fossilizeTerminalBonus(0.0).blendingWarning(0.0)
            .holdingWarning(0.0).valAcc(s.accuracy).hostAccuracy(s.accuracy).decisionEntropy(s.confidence)
            .abGroup(s.group).epoch(s.step++).commit();
    }

    @Benchmark
    public boolean blackboxPpoUpdate(final EsperEmitterState s)
    {
        return s.emitter.ppoUpdate(s.reward, s.value, s.confidence, s.delta, s.rent, s.rent, 0)
            .explainedVariance(s.confidence).advantage(0.0, 1.0).ratio(1.0, 0.8, 1.2, 0.05).lr(3e-4)
            .entropyCoef(0.01).updateTimeMs(s.accuracy).position(1, (int)s.step).epoch(s.step++).commit();
    }

    @Benchmark
    public void jfrRewardCommit(final JfrEsperState s)
    {
        final EsperRewardEvent event = new EsperRewardEvent();
        event.runId = s.runId;
        event.epoch = s.step++;
        event.envId = s.env;
        event.actionName = "WAIT";
        event.abGroup = "treatment";
        event.totalReward = s.reward;
        event.valueEstimate = s.value;
        event.actionConfidence = s.confidence;
        event.baseAccDelta = s.delta;
        event.boundedAttribution = s.delta;
        event.seedContribution = s.delta;
        event.computeRent = s.rent;
        event.alphaShock = 0.0;
        event.ratioPenalty = 0.0;
        event.stageBonus = s.reward;
        event.fossilizeTerminalBonus = 0.0;
        event.blendingWarning = 0.0;
        event.holdingWarning = 0.0;
        event.valAcc = s.accuracy;
        event.hostAccuracy = s.accuracy;
        event.decisionEntropy = s.confidence;
        event.commit();
    }

    @Benchmark
    public void jfrPpoUpdateCommit(final JfrEsperState s)
    {
        final EsperPpoUpdateEvent event = new EsperPpoUpdateEvent();
        event.runId = s.runId;
        event.epoch = s.step;
        event.policyLoss = s.reward;
        event.valueLoss = s.value;
        event.entropy = s.confidence;
        event.gradNorm = s.delta;
        event.klDivergence = s.rent;
        event.clipFraction = s.rent;
        event.nanGradCount = 0;
        event.explainedVariance = s.confidence;
        event.advantageMean = 0.0;
        event.advantageStd = 1.0;
        event.ratioMean = 1.0;
        event.ratioMin = 0.8;
        event.ratioMax = 1.2;
        event.ratioStd = 0.05;
        event.lr = 3e-4;
        event.entropyCoef = 0.01;
        event.updateTimeMs = s.accuracy;
        event.innerEpoch = 1;
        event.batch = (int)s.step++;
        event.commit();
    }

    /**
     * An environment step's values, non-final so that the JIT cannot fold them.
     */
    public static class StepValues extends TrainStepValues
    {
        public int env = 2;
        public double reward = 0.0367;
        public double value = 0.296;
        public double confidence = 0.265;
        public double delta = 0.439;
        public double rent = 0.0072;
        public double accuracy = 61.5;
    }

    /**
     * One Esper emitter per benchmark thread, from the trial's shared recorder, its symbols defined.
     */
    @State(Scope.Thread)
    public static class EsperEmitterState extends StepValues
    {
        EsperEmitter emitter;
        int action;
        int group;

        @Setup(Level.Trial)
        public void open(final RecorderState recording)
        {
            emitter = recording.recorder.emitter(EsperEmitter::new, runId).eventIdSeed(1);
            action = emitter.symbol("WAIT");
            group = emitter.symbol("treatment");
            recording.emitted.add(() -> step);
        }
    }

    /**
     * One committing thread's values, counted by the JFR recording state.
     */
    @State(Scope.Thread)
    public static class JfrEsperState extends StepValues
    {
        @Setup(Level.Trial)
        public void register(final JfrRecordingState recording)
        {
            recording.register(this);
        }
    }
}
