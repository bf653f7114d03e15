package io.blackbox.bench.gradience;

import io.blackbox.bench.TemporaryDirectory;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the drainer's thread costs in CPU while a training loop trickles records: one {@code train_step} every
 * {@code period-us} microseconds (a park between emits, as a step's work would leave), two seconds to settle, then the
 * drainer thread's CPU time over {@code seconds}. Not a JMH benchmark: the cost is the drainer's wakes, not the emit.
 * <pre>
 *   java @bench/target/jvm.options -cp bench/target/benchmarks.jar io.blackbox.bench.gradience.DrainerTrickleCpu \
 *       [period-us=1000] [seconds=5]
 * </pre>
 * Prints {@code emits=... wall_s=... drainer_cpu_ms=... drainer_cpu_pct=...} (percent of one core).
 */
public final class DrainerTrickleCpu
{
    private static final String DRAINER_THREAD_PREFIX = "blackbox-drainer";
    private static final long SETTLE_NS = TimeUnit.SECONDS.toNanos(2);

    private DrainerTrickleCpu()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final long periodNs = TimeUnit.MICROSECONDS.toNanos(args.length > 0 ? Long.parseLong(args[0]) : 1000);
        final long measureNs = TimeUnit.SECONDS.toNanos(args.length > 1 ? Long.parseLong(args[1]) : 5);
        final Path directory = TemporaryDirectory.create("blackbox-drainer-trickle");
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory.resolve("recording"))))
        {
            final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, "trickle");
            final long drainer = drainerThreadId();
            long step = trickle(run, 0, periodNs, SETTLE_NS);
            final long cpuBefore = threads.getThreadCpuTime(drainer);
            final long start = System.nanoTime();
            final long emits = trickle(run, step, periodNs, measureNs) - step;
            final long wallNs = System.nanoTime() - start;
            final long cpuNs = threads.getThreadCpuTime(drainer) - cpuBefore;
            System.out.println(String.format(Locale.ROOT, "emits=%d wall_s=%.2f drainer_cpu_ms=%.1f drainer_cpu_pct=%.2f",
                emits, wallNs / 1e9, cpuNs / 1e6, 100.0 * cpuNs / wallNs));
        }
        finally
        {
            TemporaryDirectory.delete(directory);
        }
    }

    /**
     * @return the last step emitted.
     */
    private static long trickle(final GradienceEmitter run, final long fromStep, final long periodNs,
        final long forNs)
    {
        long step = fromStep;
        final long end = System.nanoTime() + forNs;
        while (System.nanoTime() - end < 0)
        {
            if (!run.trainStep(++step, 1.0, 1e-3))
            {
                throw new IllegalStateException("not recorded: step " + step);
            }
            LockSupport.parkNanos(periodNs);
        }
        return step;
    }

    private static long drainerThreadId()
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().startsWith(DRAINER_THREAD_PREFIX))
            {
                return thread.getId();
            }
        }
        throw new IllegalStateException("no thread named " + DRAINER_THREAD_PREFIX + "*");
    }
}
