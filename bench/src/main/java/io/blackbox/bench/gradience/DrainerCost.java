package io.blackbox.bench.gradience;

import io.blackbox.bench.BenchJvm;
import io.blackbox.bench.TemporaryDirectory;
import io.blackbox.recorder.Backpressure;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What moving one record from the ring into the Chronicle Queue costs Blackbox's drainer, beside what one
 * record costs Chronicle when the writing thread appends it as an excerpt of its own. Reported per record.
 * <ul>
 *     <li>{@code blackboxEmitAndDrain}: one emitter emits {@value #RECORDS} {@code train_step}s into a 64 MiB
 *     ring (they fit: no emit waits) and the invocation ends when {@link Recorder#drainedRecords()} shows every
 *     one of them in the queue. The emits run on the benchmark thread while the drainer copies batches on its
 *     own, so the time is that of the slower of the two: the drainer, unless emitting is slower.</li>
 *     <li>{@code blackboxEmitOnly}: the same emits, without waiting for the drainer (the next invocation starts
 *     once it is idle again). Where this is well below {@code blackboxEmitAndDrain}, the drainer is the
 *     bound and the difference is its cost beyond the emitter's.</li>
 *     <li>{@code chronicleRawAppendPerRecord}: the same number of records, each appended as raw bytes in one
 *     excerpt by the benchmark thread, into a queue configured as Blackbox's.</li>
 * </ul>
 * {@code compressionLevel} is the drainer's zstd level (batch version 5), 0 for none (version 4); {@code loss} is
 * {@code constant} (every record after the first two is predicted: a byte stored) or {@code noisy} (a training curve
 * with noise, as the demo's: the loss's bytes change every step and the coder stores them).
 * Both writers stay open for the trial, so the numbers are steady state: the ring's pages are mapped after
 * the first invocations, and neither side pays for opening or closing its files inside the measurement.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(DrainerCost.RECORDS)
@Warmup(iterations = 10)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = BenchJvm.ARGFILE)
public class DrainerCost
{
    public static final int RECORDS = 250_000;
    public static final int RING_CAPACITY = 64 * 1024 * 1024;

    @Benchmark
    public long blackboxEmitAndDrain(final BlackboxRecording s)
    {
        final GradienceEmitter emitter = s.emitter;
        for (int i = 0; i < RECORDS; i++)
        {
            if (!emitter.trainStep(s.step, s.loss(s.step++), s.lr))
            {
                throw new IllegalStateException("emit refused: step=" + (s.step - 1));
            }
        }
        final long target = s.drainedBefore + RECORDS;
        long drained;
        while ((drained = s.recorder.drainedRecords()) < target)
        {
            Thread.onSpinWait();
        }
        return drained;
    }

    @Benchmark
    public long blackboxEmitOnly(final BlackboxRecording s)
    {
        final GradienceEmitter emitter = s.emitter;
        for (int i = 0; i < RECORDS; i++)
        {
            if (!emitter.trainStep(s.step, s.loss(s.step++), s.lr))
            {
                throw new IllegalStateException("emit refused: step=" + (s.step - 1));
            }
        }
        return s.step;
    }

    @Benchmark
    public long chronicleRawAppendPerRecord(final ChronicleQueueState.Appender s)
    {
        for (int i = 0; i < RECORDS; i++)
        {
            s.appendRaw();
        }
        return s.step;
    }

    /**
     * A recorder with a ring that holds an invocation's records, open for the trial in a fresh temporary directory.
     */
    @State(Scope.Benchmark)
    public static class BlackboxRecording extends TrainStepValues
    {
        @Param({ "1", "0", "3" })
        public int compressionLevel;
        @Param({ "constant", "noisy" })
        public String lossShape;

        /** A noisy loss curve, one value a step, taken round-robin: read from memory, not computed in the loop. */
        private final double[] noisyLosses = new double[1 << 16];
        private boolean noisy;
        Recorder recorder;
        GradienceEmitter emitter;
        long drainedBefore;
        private Path directory;

        @Setup(Level.Trial)
        public void open() throws IOException
        {
            final int recordBytes = GradienceEmitter.trainStepRecordBytes(1, 0, 0);
            if ((long)recordBytes * RECORDS > RING_CAPACITY / 2)
            {
                throw new IllegalStateException("an invocation's records must fit in the ring: recordBytes=" +
                    recordBytes + " records=" + RECORDS + " ringCapacity=" + RING_CAPACITY);
            }
            noisy = "noisy".equals(lossShape);
            final java.util.SplittableRandom random = new java.util.SplittableRandom(42);
            for (int i = 0; i < noisyLosses.length; i++)
            {
                noisyLosses[i] = 0.3 + 2.0 * Math.exp(-i / 20_000.0) + 0.05 * random.nextGaussian();
            }
            directory = TemporaryDirectory.create("blackbox-bench-drainer-");
            recorder = Recorder.open(new Recorder.Context()
                .directory(directory)
                .ringCapacity(RING_CAPACITY)
                .compressionLevel(compressionLevel)
                .backpressure(Backpressure.BLOCK));
            emitter = recorder.emitter(GradienceEmitter::new, runId);
        }

        double loss(final long step)
        {
            return noisy ? noisyLosses[(int)step & (noisyLosses.length - 1)] : loss;
        }

        /**
         * Start from an idle drainer: everything emitted so far (the previous invocation, the session's control
         * records) is in the queue.
         */
        @Setup(Level.Invocation)
        public void settle()
        {
            long drained = recorder.drainedRecords();
            while (true)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                final long now = recorder.drainedRecords();
                if (now == drained)
                {
                    break;
                }
                drained = now;
            }
            drainedBefore = drained;
        }

        @TearDown(Level.Trial)
        public void close() throws IOException
        {
            try
            {
                recorder.close();
                // beside the score: what the coding (and zstd) left of a record
                System.out.printf("%nstored: %.2f B a record (compressionLevel=%d, loss %s)%n",
                    (double)recorder.storedBytes() / recorder.drainedRecords(), compressionLevel, lossShape);
                if (recorder.failure() != null)
                {
                    throw new IllegalStateException("drainer failed: directory=" + directory, recorder.failure());
                }
                if (recorder.droppedRecords() != 0)
                {
                    throw new IllegalStateException("records dropped under BLOCK: dropped=" + recorder.droppedRecords());
                }
            }
            finally
            {
                TemporaryDirectory.delete(directory);
            }
        }
    }
}
