package io.blackbox.bench.clamp;

import io.blackbox.bench.BenchJvm;
import io.blackbox.bench.RecorderState;
import io.blackbox.bench.gradience.JfrRecordingState;
import io.blackbox.bench.gradience.TrainStepValues;
import io.blackbox.jni.NativeSupport;
import io.blackbox.recorder.clamp.ClampAnchor;
import io.blackbox.recorder.clamp.ClampEmitter;
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
 * What an anchor's lock and release cost the thread that takes it, with Blackbox and with JDK Flight Recorder, in the
 * same run (the bound: at most two JFR commits):
 * <ul>
 *     <li>{@code blackboxLockRelease}: {@code clamp.lock(symbol)} and {@code close()}: two records into the ring (a
 *     seed from the pool, the cached host thread id, two clock reads), no allocation;</li>
 *     <li>{@code jfrTimedEvent}: one {@link ClampAnchorEvent}, {@code begin()} at the lock and {@code commit()} at the
 *     release, with a seed from the JDK's {@code ThreadLocalRandom} (JFR has no entropy source) and the JVM thread
 *     id: one commit;</li>
 *     <li>{@code jfrTwoCommits}: the same event committed at the lock and again at the release, what recording both
 *     moments takes in JFR (an anchor held at a crash is in a JFR file only then).</li>
 * </ul>
 * Run with {@code bench/run.sh -prof gc ClampAnchorCost}: B/op must be 0 for Blackbox.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchJvm.ARGFILE)
public class ClampAnchorCost
{
    @Benchmark
    public boolean blackboxLockRelease(final ClampEmitterState s)
    {
        try (ClampAnchor anchor = s.emitter.lock(s.context))
        {
            s.step++;
            return anchor.recorded();
        }
    }

    @Benchmark
    public void jfrTimedEvent(final JfrClampState s)
    {
        final ClampAnchorEvent event = new ClampAnchorEvent();
        event.begin();
        event.context = "kernel-launch";
        event.seed = java.util.concurrent.ThreadLocalRandom.current().nextLong();
        event.threadId = Thread.currentThread().getId();
        s.step++;
        event.stabilityScore = 1.0;
        event.commit();
    }

    @Benchmark
    public void jfrTwoCommits(final JfrClampState s)
    {
        final ClampAnchorEvent acquired = new ClampAnchorEvent();
        acquired.context = "kernel-launch";
        acquired.seed = java.util.concurrent.ThreadLocalRandom.current().nextLong();
        acquired.threadId = Thread.currentThread().getId();
        acquired.commit();
        s.step++;
        final ClampAnchorEvent released = new ClampAnchorEvent();
        released.context = acquired.context;
        released.seed = acquired.seed;
        released.threadId = acquired.threadId;
        released.stabilityScore = 1.0;
        released.commit();
        s.step++; // two events: the JFR state counts each
    }

    /**
     * One Clamp emitter per benchmark thread, from the trial's shared recorder, its context's symbol defined.
     */
    @State(Scope.Thread)
    public static class ClampEmitterState extends TrainStepValues
    {
        ClampEmitter emitter;
        int context;

        @Setup(Level.Trial)
        public void open(final RecorderState recording)
        {
            emitter = recording.recorder.emitter(ClampEmitter::new, runId);
            context = emitter.symbol("kernel-launch");
            recording.emitted.add(() -> 2 * step);
            if (!NativeSupport.isNativeLoaded())
            {
                throw new IllegalStateException("the bench measures the native shim: " +
                    NativeSupport.loadFailureReason());
            }
        }
    }

    /**
     * One committing thread's values, counted by the JFR recording state.
     */
    @State(Scope.Thread)
    public static class JfrClampState extends TrainStepValues
    {
        @Setup(Level.Trial)
        public void register(final JfrRecordingState recording)
        {
            recording.register(this);
        }
    }
}
