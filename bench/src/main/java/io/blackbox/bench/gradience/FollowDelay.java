package io.blackbox.bench.gradience;

import io.blackbox.bench.TemporaryDirectory;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The delay from a {@code train_step}'s emit returning to its line being in the file {@code export --follow} writes,
 * at a training loop's pace: one process, a recorder, {@link RecordingExport#follow} on its own thread (as the command
 * runs it), and a watcher that reads the file's new bytes every 20 us and notes when each step's line appears.
 * Not a JMH benchmark: the delay is a property of the drainer's and the follower's pauses, measured per record.
 * <pre>
 *   java @bench/target/jvm.options -cp bench/target/benchmarks.jar io.blackbox.bench.gradience.FollowDelay \
 *       [steps-per-second=100] [seconds=20] [poll-ms=10]
 * </pre>
 */
public final class FollowDelay
{
    private FollowDelay()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final double stepsPerSecond = args.length > 0 ? Double.parseDouble(args[0]) : 100;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        final long pollMs = args.length > 2 ? Long.parseLong(args[2]) : 10;
        final int steps = (int)(stepsPerSecond * seconds);
        final Path root = TemporaryDirectory.create("blackbox-follow-delay");
        try
        {
            final Histogram delays = run(root, steps, stepsPerSecond, pollMs);
            System.out.printf(Locale.ROOT, "%d train_steps at %.0f/s, --poll-ms %d: emit to line on disk p50 %.2f ms, " +
                    "p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", delays.getTotalCount(), stepsPerSecond, pollMs,
                delays.getValueAtPercentile(50) / 1e6, delays.getValueAtPercentile(90) / 1e6,
                delays.getValueAtPercentile(99) / 1e6, delays.getMaxValue() / 1e6);
        }
        finally
        {
            TemporaryDirectory.delete(root);
        }
    }

    private static Histogram run(final Path root, final int steps, final double stepsPerSecond, final long pollMs)
        throws Exception
    {
        final Path recording = root.resolve("recording");
        final Path out = root.resolve("out");
        final Path file = out.resolve("gradience").resolve("delay.jsonl");
        final AtomicLongArray emittedNs = new AtomicLongArray(steps + 1);
        final Histogram delays = new Histogram(60_000_000_000L, 3);
        final AtomicBoolean stop = new AtomicBoolean();

        try (Recorder recorder = Recorder.open(recording))
        {
            final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, "delay");
            run.runStart(Map.of("model_name", "delay"), null);
            final Thread follower = new Thread(() ->
            {
                try
                {
                    RecordingExport.follow(recording, out, new RecordingExport.FollowControl()
                    {
                        public boolean stopRequested()
                        {
                            return stop.get();
                        }

                        public void idle()
                        {
                            LockSupport.parkNanos(pollMs * 1_000_000L);
                        }

                        public void exported(final long records)
                        {
                        }
                    });
                }
                catch (final Exception ex)
                {
                    ex.printStackTrace();
                }
            }, "follow");
            follower.start();
            final Thread watcher = new Thread(() -> watch(file, emittedNs, delays, steps, stop), "watcher");
            watcher.start();

            final long intervalNs = (long)(1e9 / stepsPerSecond);
            final long startNs = System.nanoTime();
            for (int step = 1; step <= steps; step++)
            {
                final long due = startNs + step * intervalNs;
                long remaining;
                while ((remaining = due - System.nanoTime()) > 0)
                {
                    LockSupport.parkNanos(remaining);
                }
                // Noted before the emit, so the watcher never sees a line before its time: ~20 ns early.
                emittedNs.set(step, System.nanoTime());
                run.trainStep(step, 1.0 / step, 1e-4);
            }
            watcher.join(10_000);
            stop.set(true);
            run.close();
        }

        return delays;
    }

    /**
     * Read the file's new bytes every 20 us; each new line is the next step (after the run_start line).
     */
    private static void watch(final Path file, final AtomicLongArray emittedNs, final Histogram delays, final int steps,
        final AtomicBoolean stop)
    {
        final byte[] buffer = new byte[1 << 20];
        long offset = 0;
        int lines = 0;
        try
        {
            while (!Files.exists(file))
            {
                LockSupport.parkNanos(20_000);
            }
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r"))
            {
                while (lines <= steps && !stop.get())
                {
                    final long length = raf.length();
                    if (length > offset)
                    {
                        final long seenNs = System.nanoTime();
                        raf.seek(offset);
                        final int read = raf.read(buffer, 0, (int)Math.min(buffer.length, length - offset));
                        for (int i = 0; i < read; i++)
                        {
                            if (buffer[i] == '\n')
                            {
                                if (lines > 0 && lines <= steps) // line 0 is run_start
                                {
                                    delays.recordValue(Math.max(0, seenNs - emittedNs.get(lines)));
                                }
                                lines++;
                            }
                        }
                        offset += read;
                    }
                    else
                    {
                        LockSupport.parkNanos(20_000);
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
