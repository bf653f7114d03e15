package io.blackbox.bench;

import io.blackbox.recorder.Backpressure;
import io.blackbox.recorder.Recorder;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * One {@link Recorder} per trial, shared by every benchmark thread, in a fresh temporary directory that is
 * deleted when the trial ends. Each thread takes its own emitter from it (an emitter is not thread-safe).
 * <p>
 * Default configuration ({@link Recorder.Context#DEFAULT_RING_CAPACITY} ring, {@link Backpressure#BLOCK}):
 * nothing is dropped, so a sustained rate above what the drainer can append shows up as emit latency.
 */
@State(Scope.Benchmark)
public class RecorderState
{
    public Recorder recorder;
    /** The number of records each emitting thread has emitted, read when the trial ends. */
    public final Queue<LongSupplier> emitted = new ConcurrentLinkedQueue<>();
    private Path directory;

    @Setup(Level.Trial)
    public void open() throws IOException
    {
        directory = TemporaryDirectory.create("blackbox-bench-");
        try
        {
            recorder = Recorder.open(configure(new Recorder.Context()
                .directory(directory)
                .backpressure(Backpressure.BLOCK)));
        }
        catch (final RuntimeException ex)
        {
            TemporaryDirectory.delete(directory);
            throw ex;
        }
    }

    /**
     * @return the context the trial's recorder opens with: the defaults, but for the directory and {@code BLOCK}.
     */
    protected Recorder.Context configure(final Recorder.Context context)
    {
        return context;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException
    {
        try
        {
            recorder.close();
            final Throwable failure = recorder.failure();
            if (failure != null)
            {
                throw new IllegalStateException("drainer failed: directory=" + directory, failure);
            }
            if (recorder.droppedRecords() != 0)
            {
                throw new IllegalStateException("records dropped under BLOCK: dropped=" + recorder.droppedRecords());
            }
            long emits = 0;
            for (final LongSupplier count : emitted)
            {
                emits += count.getAsLong();
            }
            final long drained = recorder.drainedRecords();
            System.out.printf("bench: Blackbox: %d records drained into the queue for %d emitted " +
                "(+ session and symbol records), %d dropped%n", drained, emits, recorder.droppedRecords());
            System.out.printf("bench: bytes on disk: Blackbox queue data %.2f B/record (%d bytes of batches)%n",
                drained == 0 ? 0.0 : (double)recorder.storedBytes() / drained, recorder.storedBytes());
            if (drained < emits)
            {
                throw new IllegalStateException("records missing from the queue: drained=" + drained + " emitted=" + emits);
            }
        }
        finally
        {
            TemporaryDirectory.delete(directory);
        }
    }

    /**
     * The same recorder with {@link Recorder.Context#exactTimestamps(boolean)}: the default clock is read for every
     * record, however fast a thread emits. What exact timestamps cost beside the default.
     */
    @State(Scope.Benchmark)
    public static class ExactTimestamps extends RecorderState
    {
        @Override
        protected Recorder.Context configure(final Recorder.Context context)
        {
            return context.exactTimestamps(true);
        }
    }
}
