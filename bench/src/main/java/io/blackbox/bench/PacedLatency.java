package io.blackbox.bench;

import io.blackbox.bench.agent.AgentPaced;
import io.blackbox.bench.clamp.ClampPaced;
import io.blackbox.bench.esper.EsperPaced;
import io.blackbox.bench.gradience.GradiencePaced;
import io.blackbox.bench.ppo.PpoPaced;
import io.blackbox.recorder.Backpressure;
import io.blackbox.recorder.Recorder;
import jdk.jfr.EventType;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.HdrHistogram.Histogram;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Emit latency at a training loop's pace, Blackbox and JFR side by side in one run, with the harness alone ({@code none}:
 * an emit that stores a long) as the floor both stand on: each thread makes a family's hot emit ({@link PacedWorkload})
 * on a fixed schedule (one every {@code 1 / rate} seconds) and records, for every emit, the time from when it was due
 * to when it returned, in an HdrHistogram. Measuring from the due time rather than from the call
 * corrects for coordinated omission: an emit that stalls makes the emits queued behind it late, and their lateness is
 * counted, as a training loop would feel it.
 * <p>
 * Between emits a thread parks while more than 100 us remain and spins the rest, so at low rates it leaves its core to
 * the others as a loop waiting on a data loader does. With {@code busy}, one more thread spins for the whole run,
 * standing in for data loaders that keep every core busy. Not a JMH benchmark: JMH measures calls back to back, which
 * at these rates measures the drainer, not the emit (issue 19).
 * <p>
 * What was lost: Blackbox's dropped records (it blocks when its ring is full, so none, and an emit that waits shows in
 * the latency); JFR's recording is read back and its events counted against the commits, since JFR discards events
 * when its buffers fill.
 * <pre>
 *   java @bench/target/jvm.options -cp bench/target/benchmarks.jar io.blackbox.bench.PacedLatency \
 *       [rates=10000,100000,1000000,5000000] [threads=1,4] [seconds=3] [busy=false,true] \
 *       [families=gradience; or any of gradience,esper,clamp,ppo,agent]
 * </pre>
 */
public final class PacedLatency
{
    private static final long PARK_ABOVE_NS = 100_000;
    private static final long WARMUP_NS = 1_000_000_000L;

    private PacedLatency()
    {
    }

    private static final List<PacedWorkload> WORKLOADS = List.of(new GradiencePaced(), new EsperPaced(),
        new ClampPaced(), new PpoPaced(), new AgentPaced());

    /**
     * One system under test: opened, a thread's emit made, closed with what it lost.
     */
    private interface Target extends AutoCloseable
    {
        /**
         * @return an emit for one thread.
         */
        PacedWorkload.Emit emitter(int thread);

        /**
         * Stop, and say how many of the {@code committed} records or events were lost.
         */
        long closeAndCountLost(long committed) throws Exception;

        @Override
        default void close() throws Exception
        {
            closeAndCountLost(-1);
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final long[] rates = longs(args.length > 0 ? args[0] : "10000,100000,1000000,5000000");
        final long[] threadCounts = longs(args.length > 1 ? args[1] : "1,4");
        final double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 3;
        final String[] busyModes = (args.length > 3 ? args[3] : "false,true").split(",");
        final List<PacedWorkload> workloads = new ArrayList<>();
        for (final String name : (args.length > 4 ? args[4] : "gradience").split(","))
        {
            workloads.add(WORKLOADS.stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown family " + name)));
        }
        System.out.printf(Locale.ROOT, "paced emit latency, %d cores, %s s a measurement after %d s of warm-up; ns from " +
            "due to returned (coordinated omission corrected)%n", Runtime.getRuntime().availableProcessors(),
            seconds, WARMUP_NS / 1_000_000_000L);
        System.out.printf(Locale.ROOT, "%-9s %-5s %7s %10s %9s %9s %9s %11s %13s %11s%n", "system", "busy", "threads",
            "rate/thr", "p50", "p99", "p99.9", "max", "emits/s", "lost");
        for (final PacedWorkload workload : workloads)
        {
            System.out.println(workload.name() + ": " + workload.description());
            for (final String busyMode : busyModes)
            {
                final boolean busy = Boolean.parseBoolean(busyMode);
                for (final long threads : threadCounts)
                {
                    for (final long rate : rates)
                    {
                        for (final String system : new String[] {"none", "blackbox", "jfr"})
                        {
                            measure(workload, system, busy, (int)threads, rate, seconds);
                        }
                    }
                }
            }
        }
    }

    private static void measure(final PacedWorkload workload, final String system, final boolean busy,
        final int threads, final long rate, final double seconds) throws Exception
    {
        final Path directory = TemporaryDirectory.create("blackbox-paced-");
        final AtomicBoolean spinning = new AtomicBoolean(busy);
        final Thread spinner = new Thread(() ->
        {
            while (spinning.get())
            {
                Thread.onSpinWait();
            }
        }, "busy-core");
        spinner.setDaemon(true);
        if (busy)
        {
            spinner.start();
        }
        try (Target target = "jfr".equals(system) ? jfr(workload, directory) :
            "none".equals(system) ? none() : blackbox(workload, directory, threads))
        {
            final Histogram all = new Histogram(60_000_000_000L, 3);
            final long[] committed = new long[threads];
            final List<Thread> workers = new ArrayList<>();
            final CountDownLatch ready = new CountDownLatch(threads);
            final long startNs = System.nanoTime() + 50_000_000L;
            final long measureFromNs = startNs + WARMUP_NS;
            final long endNs = measureFromNs + (long)(seconds * 1e9);
            final long periodNs = Math.max(1, 1_000_000_000L / rate);
            final Histogram[] histograms = new Histogram[threads];
            for (int t = 0; t < threads; t++)
            {
                final int thread = t;
                histograms[t] = new Histogram(60_000_000_000L, 3);
                final PacedWorkload.Emit emit = target.emitter(t);
                workers.add(new Thread(() ->
                {
                    ready.countDown();
                    committed[thread] = run(emit, histograms[thread], startNs, measureFromNs, endNs, periodNs);
                }, system + "-" + t));
            }
            workers.forEach(Thread::start);
            ready.await();
            for (final Thread worker : workers)
            {
                worker.join();
            }
            long total = 0;
            for (int t = 0; t < threads; t++)
            {
                all.add(histograms[t]);
                total += committed[t];
            }
            final long lost = target.closeAndCountLost(total);
            System.out.printf(Locale.ROOT, "%-9s %-5s %7d %,10d %,9d %,9d %,9d %,11d %,13.0f %,11d%n", system, busy,
                threads, rate, all.getValueAtPercentile(50), all.getValueAtPercentile(99),
                all.getValueAtPercentile(99.9), all.getMaxValue(), all.getTotalCount() / seconds, lost);
        }
        finally
        {
            spinning.set(false);
            spinner.join(1000);
            TemporaryDirectory.delete(directory);
        }
    }

    /**
     * One thread's schedule: an emit due every {@code periodNs} from {@code startNs} to {@code endNs}; those due from
     * {@code measureFromNs} are recorded.
     *
     * @return records or events the emits committed.
     */
    private static long run(final PacedWorkload.Emit emit, final Histogram histogram, final long startNs,
        final long measureFromNs, final long endNs, final long periodNs)
    {
        long step = 0;
        long committed = 0;
        while (true)
        {
            final long dueNs = startNs + step * periodNs;
            if (dueNs >= endNs)
            {
                return committed;
            }
            long now;
            while ((now = System.nanoTime()) < dueNs)
            {
                if (dueNs - now > PARK_ABOVE_NS)
                {
                    LockSupport.parkNanos(dueNs - now - PARK_ABOVE_NS / 2);
                }
                else
                {
                    Thread.onSpinWait();
                }
            }
            committed += emit.emit(step);
            final long doneNs = System.nanoTime();
            if (dueNs >= measureFromNs)
            {
                histogram.recordValue(doneNs - dueNs);
            }
            step++;
        }
    }

    /** Where the {@code none} target's emits go: read by nobody, written so the JIT keeps the emit. */
    private static volatile long sink;

    /**
     * The harness alone: an emit that stores its step, so that what the schedule, the clock reads and the histogram
     * cost is in the table beside what the systems add to it.
     */
    private static Target none()
    {
        return new Target()
        {
            public PacedWorkload.Emit emitter(final int thread)
            {
                return step ->
                {
                    sink = step;
                    return 0;
                };
            }

            public long closeAndCountLost(final long committed)
            {
                return 0;
            }
        };
    }

    private static Target blackbox(final PacedWorkload workload, final Path directory, final int threads)
    {
        final Recorder recorder = Recorder.open(new Recorder.Context()
            .directory(directory.resolve("recording"))
            .backpressure(Backpressure.BLOCK));
        final PacedWorkload.Emit[] emits = new PacedWorkload.Emit[threads];
        for (int t = 0; t < threads; t++)
        {
            emits[t] = workload.blackbox(recorder, t);
        }
        final boolean[] closed = new boolean[1];
        return new Target()
        {
            public PacedWorkload.Emit emitter(final int thread)
            {
                return emits[thread];
            }

            public long closeAndCountLost(final long committed)
            {
                if (closed[0])
                {
                    return 0;
                }
                closed[0] = true;
                recorder.close();
                return recorder.droppedRecords(); // under BLOCK an emit waits rather than drop
            }
        };
    }

    private static Target jfr(final PacedWorkload workload, final Path directory) throws Exception
    {
        ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), "jfrConfigure",
            new Object[] {new String[] {"repositorypath=" + directory}}, new String[] {String[].class.getName()});
        final Recording recording = new Recording();
        final java.util.Set<String> names = new java.util.HashSet<>();
        for (final Class<? extends jdk.jfr.Event> event : workload.jfrEvents())
        {
            recording.enable(event).withoutStackTrace();
            names.add(EventType.getEventType(event).getName());
        }
        recording.setToDisk(true);
        recording.start();
        final boolean[] closed = new boolean[1];
        return new Target()
        {
            public PacedWorkload.Emit emitter(final int thread)
            {
                return workload.jfr(thread);
            }

            public long closeAndCountLost(final long committed) throws Exception
            {
                if (closed[0])
                {
                    return 0;
                }
                closed[0] = true;
                recording.stop();
                long kept = 0;
                final List<Path> chunks;
                try (Stream<Path> paths = Files.walk(directory))
                {
                    chunks = paths.filter(path -> path.toString().endsWith(".jfr")).sorted().toList();
                }
                for (final Path chunk : chunks)
                {
                    try (RecordingFile file = new RecordingFile(chunk))
                    {
                        while (file.hasMoreEvents())
                        {
                            final RecordedEvent event = file.readEvent();
                            if (names.contains(event.getEventType().getName()))
                            {
                                kept++;
                            }
                        }
                    }
                }
                recording.close();
                return committed < 0 ? 0 : committed - kept;
            }
        };
    }

    private static long[] longs(final String list)
    {
        final String[] parts = list.split(",");
        final long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            values[i] = Long.parseLong(parts[i].trim());
        }
        return values;
    }
}
