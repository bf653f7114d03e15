package io.blackbox.bench.gradience;

import io.blackbox.bench.TemporaryDirectory;
import io.blackbox.recorder.CalibratedEpochNanoClock;
import io.blackbox.recorder.ChronicleSettings;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.WriteMarshallable;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A Chronicle Queue of its own for the trial, configured as Blackbox configures its queue (binary,
 * {@link RollCycles#FAST_DAILY}), in a fresh temporary directory deleted when the trial ends. Each benchmark
 * thread appends through its own {@link Appender}, one excerpt per record.
 */
@State(Scope.Benchmark)
public class ChronicleQueueState
{
    static
    {
        ChronicleSettings.apply(); // before any Chronicle class loads, as Blackbox does
    }

    ChronicleQueue queue;
    private Path directory;

    @Setup(Level.Trial)
    public void open() throws IOException
    {
        directory = TemporaryDirectory.create("blackbox-bench-chronicle-");
        queue = SingleChronicleQueueBuilder.binary(directory).rollCycle(RollCycles.FAST_DAILY).build();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException
    {
        try
        {
            queue.close();
        }
        finally
        {
            TemporaryDirectory.delete(directory);
        }
    }

    /**
     * One appending thread: its appender, the clock Blackbox reads its timestamps from, and the record's values.
     */
    @State(Scope.Thread)
    public static class Appender extends TrainStepValues
    {
        ExcerptAppender appender;
        CalibratedEpochNanoClock clock;
        /** The run id as Blackbox holds it in a record: an int that a definition record maps to the text. */
        int run = 1;
        /** Pre-allocated, so the benchmark does not measure a lambda capture per record. */
        WriteMarshallable selfDescribing;

        @Setup(Level.Trial)
        public void open(final ChronicleQueueState state)
        {
            appender = state.queue.createAppender();
            clock = new CalibratedEpochNanoClock();
            selfDescribing = wire -> wire
                .write("ts").int64(clock.nanoTime())
                .write("run_id").text(runId)
                .write("step").int64(step++)
                .write("loss").float64(loss)
                .write("lr").float64(lr);
        }

        @TearDown(Level.Trial)
        public void close()
        {
            appender.close();
        }

        /**
         * The record as raw bytes in one excerpt: timestamp, run symbol, step, loss, lr.
         */
        public void appendRaw()
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                final Bytes<?> bytes = dc.wire().bytes();
                bytes.writeLong(clock.nanoTime());
                bytes.writeInt(run);
                bytes.writeLong(step++);
                bytes.writeDouble(loss);
                bytes.writeDouble(lr);
            }
        }

        /**
         * The record as a self-describing document (field names and typed values) in one excerpt.
         */
        public void appendSelfDescribing()
        {
            appender.writeDocument(selfDescribing);
        }
    }
}
