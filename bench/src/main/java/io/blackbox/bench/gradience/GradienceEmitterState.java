package io.blackbox.bench.gradience;

import io.blackbox.bench.RecorderState;
import io.blackbox.recorder.gradience.GradienceEmitter;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One Gradience emitter per benchmark thread, from the trial's shared recorder, and the values it emits.
 * The values are non-final fields so the JIT cannot fold them into constants.
 */
@State(Scope.Thread)
public class GradienceEmitterState extends TrainStepValues
{
    public GradienceEmitter emitter;
    public int validSplit;
    public double ppl = 2.0;
    public double accuracy = 0.5;
    public long n = 10_000;

    @Setup(Level.Trial)
    public void open(final RecorderState recording)
    {
        take(recording);
    }

    final void take(final RecorderState recording)
    {
        emitter = recording.recorder.emitter(GradienceEmitter::new, runId);
        validSplit = emitter.symbol("val");
        recording.emitted.add(() -> step);
    }

    /**
     * One {@code train_step}: the operation EmitLatency and EmitThroughput both measure.
     */
    public boolean emitTrainStep()
    {
        return emitter.trainStep(step++, loss, lr);
    }

    /**
     * One {@code eval} with the four frozen metrics.
     */
    public boolean emitEval()
    {
        return emitter.eval(step++, validSplit).ppl(ppl).accuracy(accuracy).loss(loss).n(n).commit();
    }
}
