package io.blackbox.bench.gradience;

import io.blackbox.bench.TemporaryDirectory;
import io.blackbox.bench.ppo.PpoEpochEvent;
import io.blackbox.bench.ppo.PpoMiniBatchEvent;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A JFR recording of the benchmarks' events only ({@link TrainStepEvent}, {@link PpoMiniBatchEvent},
 * {@link PpoEpochEvent}), running for the whole trial and written to disk: JFR's
 * repository (where the chunk files go while it records) is moved into a fresh temporary directory, which is
 * deleted when the trial ends.
 * <p>
 * At the end it prints the events committed and the bytes JFR wrote for them, then reads the recording back and
 * counts the events in it: JFR discards events when its buffers fill faster than its recorder thread writes them
 * out, and a cost per commit measured while events were discarded is flattering. The count is part of the result.
 */
@State(Scope.Benchmark)
public class JfrRecordingState
{
    /**
     * Set to {@code false} ({@code -jvmArgsAppend -Dblackbox.bench.jfr.count=false}) to skip reading the recording
     * back at the end (a few seconds per trial).
     */
    public static final String COUNT_PROPERTY = "blackbox.bench.jfr.count";
    private static final String DATA_LOSS = "jdk.DataLoss";
    /** The prefix of the benchmarks' own event names: the events counted back. */
    private static final String BENCH_EVENTS = "blackbox.bench.";

    final Queue<TrainStepValues> emitters = new ConcurrentLinkedQueue<>();
    private Path directory;
    private Recording recording;

    @Setup(Level.Trial)
    public void start() throws Exception
    {
        directory = TemporaryDirectory.create("blackbox-bench-jfr-");
        // There is no public API for the repository's place; the diagnostic command JFR.configure sets it.
        ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"),
            "jfrConfigure",
            new Object[]{ new String[]{ "repositorypath=" + directory } },
            new String[]{ String[].class.getName() });
        recording = new Recording();
        recording.setName("blackbox-bench");
        recording.enable(TrainStepEvent.class).withoutStackTrace();
        recording.enable(PpoMiniBatchEvent.class).withoutStackTrace();
        recording.enable(PpoEpochEvent.class).withoutStackTrace();
        recording.enable(DATA_LOSS); // JFR's own account of what it discarded
        recording.setToDisk(true);
        recording.start();
    }

    /**
     * Count a committing thread's events ({@code values.step}) in what the trial committed.
     */
    public void register(final TrainStepValues values)
    {
        emitters.add(values);
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException
    {
        try
        {
            recording.stop();
            final long bytes = TemporaryDirectory.size(directory);
            long events = 0;
            for (final TrainStepValues emitter : emitters)
            {
                events += emitter.step;
            }
            System.out.printf("bench: bytes on disk: JFR %.1f B/event (%d events, %d bytes in its repository)%n",
                events == 0 ? 0.0 : (double)bytes / events, events, bytes);
            if (!"false".equals(System.getProperty(COUNT_PROPERTY)))
            {
                count(events);
            }
            recording.close();
        }
        finally
        {
            TemporaryDirectory.delete(directory);
        }
    }

    private void count(final long committed) throws IOException
    {
        final List<Path> chunks;
        try (Stream<Path> paths = Files.walk(directory))
        {
            chunks = paths.filter(path -> path.toString().endsWith(".jfr")).sorted().collect(Collectors.toList());
        }
        long recorded = 0;
        long lostBytes = 0;
        for (final Path chunk : chunks)
        {
            try (RecordingFile file = new RecordingFile(chunk))
            {
                while (file.hasMoreEvents())
                {
                    final RecordedEvent event = file.readEvent();
                    final String name = event.getEventType().getName();
                    if (name.startsWith(BENCH_EVENTS))
                    {
                        recorded++;
                    }
                    else if (DATA_LOSS.equals(name))
                    {
                        lostBytes += event.getLong("amount");
                    }
                }
            }
        }
        System.out.printf("bench: JFR read back: %d of %d committed events (%.2f%% lost), jdk.DataLoss %d bytes%n",
            recorded, committed, committed == 0 ? 0.0 : 100.0 * (committed - recorded) / committed, lostBytes);
    }

    /**
     * One committing thread's values.
     */
    @State(Scope.Thread)
    public static class Emitter extends TrainStepValues
    {
        @Setup(Level.Trial)
        public void register(final JfrRecordingState recording)
        {
            recording.emitters.add(this);
        }

        /**
         * Commit one {@link TrainStepEvent} with this thread's values.
         */
        public void commit()
        {
            final TrainStepEvent event = new TrainStepEvent();
            event.step = step++;
            event.loss = loss;
            event.lr = lr;
            event.runId = runId;
            event.commit();
        }
    }
}
