package io.blackbox.bench.gradience;

import io.blackbox.bench.BenchJvm;
import io.blackbox.recorder.Recorder;
import org.agrona.concurrent.UnsafeBuffer;
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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;


/**
 * What recording one Gradience {@code train_step} costs the training thread, with Blackbox and with the
 * alternatives a JVM user would pick, in the same run. Every alternative writes the same fields (step, loss, lr, a
 * timestamp it takes itself, the run id) into files in a fresh temporary directory, with its writer open for the
 * whole trial, and deletes them when the trial ends:
 * <ul>
 *     <li>{@code blackboxTrainStep}, {@code blackboxEval}: a record into the recorder's ring (timestamp, claim,
 *     encode, commit), with the drainer appending to the Chronicle Queue on its own thread; the default
 *     timestamps, which share one clock read among up to 64 records of a thread emitting faster than one a
 *     microsecond, as this one does;</li>
 *     <li>{@code blackboxTrainStepExactTimestamps}: the same with {@code Context.exactTimestamps(true)}, one clock
 *     read per record;</li>
 *     <li>{@code jfrEventCommit}: a {@link TrainStepEvent} committed into a running JFR recording on disk
 *     ({@link JfrRecordingState});</li>
 *     <li>{@code chronicleRawAppend}: one Chronicle Queue excerpt per record, raw bytes, on the calling thread
 *     ({@link ChronicleQueueState});</li>
 *     <li>{@code chronicleWireAppend}: one self-describing Chronicle Wire document per record (field names and
 *     typed values);</li>
 *     <li>{@code jacksonJsonLine}: the Gradience JSONL line through Jackson into a buffered file, what the Python
 *     producers do ({@link JsonLinesState});</li>
 *     <li>{@code log4j2AsyncLogger}: the same fields as a Log4j 2 message, all loggers asynchronous (Disruptor),
 *     garbage-free parameters, into a file ({@link Log4jAsyncState});</li>
 *     <li>{@code rawStoreFloor}: plain stores of the same fields (step, loss, lr, timestamp) into direct
 *     memory of the ring's size, no clock, no claim, no commit — what no recorder can beat;</li>
 *     <li>{@code nanoTime}: one {@link System#nanoTime()}, the order of a timestamp read.</li>
 * </ul>
 * Run with {@code bench/run.sh EmitLatency} (add {@code -prof gc} for allocation per op).
 */
@BenchmarkMode({ Mode.AverageTime, Mode.SampleTime })
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchJvm.ARGFILE)
public class EmitLatency
{
    @Benchmark
    public boolean blackboxTrainStep(final GradienceEmitterState s)
    {
        return s.emitTrainStep();
    }

    @Benchmark
    public boolean blackboxTrainStepExactTimestamps(final ExactTimestampsEmitterState s)
    {
        return s.emitter.emitTrainStep();
    }

    @Benchmark
    public boolean blackboxEval(final GradienceEmitterState s)
    {
        return s.emitEval();
    }

    @Benchmark
    public void jfrEventCommit(final JfrRecordingState.Emitter s)
    {
        s.commit();
    }

    @Benchmark
    public void chronicleRawAppend(final ChronicleQueueState.Appender s)
    {
        s.appendRaw();
    }

    @Benchmark
    public void chronicleWireAppend(final ChronicleQueueState.Appender s)
    {
        s.appendSelfDescribing();
    }

    @Benchmark
    public void log4j2AsyncLogger(final Log4jAsyncState state, final Log4jAsyncState.Logging s)
    {
        s.log(state);
    }

    @Benchmark
    public void jacksonJsonLine(final JsonLinesState s) throws IOException
    {
        s.writeLine();
    }

    @Benchmark
    public void rawStoreFloor(final RawStores s)
    {
        final UnsafeBuffer buffer = s.buffer;
        final int offset = s.offset;
        buffer.putLong(offset + RawStores.STEP_OFFSET, s.step++);
        buffer.putDouble(offset + RawStores.LOSS_OFFSET, s.loss);
        buffer.putDouble(offset + RawStores.LR_OFFSET, s.lr);
        buffer.putLong(offset + RawStores.TIMESTAMP_OFFSET, s.timestamp);
        s.offset = (offset + RawStores.SLOT_LENGTH) & s.mask;
    }

    @Benchmark
    public long nanoTime()
    {
        return System.nanoTime();
    }

    /**
     * Direct memory the size of the recorder's default ring, written slot after slot and wrapped, so the floor
     * walks memory the way emits walk the ring.
     */
    @State(Scope.Thread)
    public static class RawStores
    {
        static final int STEP_OFFSET = 0;
        static final int LOSS_OFFSET = STEP_OFFSET + Long.BYTES;
        static final int LR_OFFSET = LOSS_OFFSET + Double.BYTES;
        static final int TIMESTAMP_OFFSET = LR_OFFSET + Double.BYTES;
        static final int SLOT_LENGTH = TIMESTAMP_OFFSET + Long.BYTES;

        UnsafeBuffer buffer;
        int mask;
        int offset;
        long step;
        long timestamp;
        double loss = 0.6931;
        double lr = 3e-4;

        @Setup(Level.Trial)
        public void allocate()
        {
            final int capacity = Recorder.Context.DEFAULT_RING_CAPACITY;
            buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
            mask = capacity - 1;
            timestamp = System.nanoTime();
        }
    }
}
