package io.blackbox.bench.training;

import org.HdrHistogram.Histogram;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A run's timed training steps, whole, and of the recording call alone inside each: the call's median as a share of
 * the step's median is what recording adds to a step, measured directly (whole steps of two runs of one mode differ
 * by more than that). And the CPU the process used over the timed part beside the training thread's own: what a
 * recorder's background thread (Blackbox's drainer, JFR's) costs a machine whose other cores feed the training.
 */
final class StepTimes
{
    /**
     * Trains one run in {@code mode}, the {@code index}-th of the program.
     */
    @FunctionalInterface
    interface Run<M>
    {
        StepTimes train(M mode, int index) throws Exception;
    }

    /**
     * Makes a mode's per-step recording call {@code calls} times into a throw-away recording.
     */
    @FunctionalInterface
    interface WarmUp<M>
    {
        void call(M mode, int calls) throws Exception;
    }

    /** Rounds over the modes: see {@link #warmUp}. */
    static final int WARMUP_ROUNDS = 2;
    /** The JIT counts as idle when its total compile time has not grown for this long. */
    static final long JIT_IDLE_MS = 1_000;
    /** The longest wait for it. */
    static final long JIT_IDLE_WAIT_MS = 60_000;

    /**
     * Before any timed run: each distinct mode's per-step recording call, {@code calls} times, in
     * {@value #WARMUP_ROUNDS} rounds over the modes, then a wait until the JIT has compiled nothing for
     * {@value #JIT_IDLE_MS} ms (at most {@value #JIT_IDLE_WAIT_MS} ms). A training step is slow (about a millisecond),
     * so a run of a few thousand steps would otherwise time the JIT's profiling tier of the recording call (C2
     * compiles a method after some 5,000-10,000 calls): 2-3x its cost in a long run, the state a real training job
     * spends its hours in. Measured: the {@code blackbox} call's median went from 2.5 us to 0.8 us at the run where
     * C2 compiled it ({@code -XX:+PrintCompilation}).
     * <p>
     * Two rounds, because a call shared by the modes (the telemetry's switch) that C2 compiled during the first
     * mode's warm-up has the other modes' arms as traps; the second round's calls find it recompiled with all of them.
     * The wait, because on two cores the compiler threads are still at work when the last call returns.
     */
    static <M extends Enum<M>> void warmUp(final List<M> modes, final int calls, final WarmUp<M> warmUp)
        throws Exception
    {
        if (calls <= 0)
        {
            return;
        }
        for (int round = 0; round < WARMUP_ROUNDS; round++)
        {
            for (final M mode : new LinkedHashSet<>(modes))
            {
                warmUp.call(mode, calls);
            }
        }
        awaitIdleJit();
    }

    private static void awaitIdleJit() throws InterruptedException
    {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported())
        {
            return;
        }
        final long deadline = System.currentTimeMillis() + JIT_IDLE_WAIT_MS;
        long compiled = jit.getTotalCompilationTime();
        long idleSince = System.currentTimeMillis();
        while (System.currentTimeMillis() - idleSince < JIT_IDLE_MS && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(100);
            final long now = jit.getTotalCompilationTime();
            if (now != compiled)
            {
                compiled = now;
                idleSince = System.currentTimeMillis();
            }
        }
    }

    private final Histogram step = new Histogram(3);
    private final Histogram record = new Histogram(3);
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
    private long windowStartNs;
    private long windowStartThreadCpuNs;
    private long windowStartProcessCpuNs;
    private long wallNs;
    private long trainingThreadCpuNs;
    private long otherThreadsCpuNs;

    /**
     * Record one timed step.
     *
     * @param stepNs   the whole step.
     * @param recordNs its recording call.
     */
    void add(final long stepNs, final long recordNs)
    {
        step.recordValue(stepNs);
        record.recordValue(recordNs);
    }

    /**
     * The timed part of a run starts: called on the training thread before its first timed step.
     */
    void beginTimedPart()
    {
        windowStartThreadCpuNs = threads.getCurrentThreadCpuTime();
        windowStartProcessCpuNs = os.getProcessCpuTime();
        windowStartNs = System.nanoTime();
    }

    /**
     * The timed part of a run ends: called on the training thread after its last timed step.
     */
    void endTimedPart()
    {
        wallNs += System.nanoTime() - windowStartNs;
        final long trainingThread = threads.getCurrentThreadCpuTime() - windowStartThreadCpuNs;
        trainingThreadCpuNs += trainingThread;
        otherThreadsCpuNs += os.getProcessCpuTime() - windowStartProcessCpuNs - trainingThread;
    }

    void add(final StepTimes other)
    {
        step.add(other.step);
        record.add(other.record);
        wallNs += other.wallNs;
        trainingThreadCpuNs += other.trainingThreadCpuNs;
        otherThreadsCpuNs += other.otherThreadsCpuNs;
    }

    /**
     * @return {@code mode=... steps=... p50_us=... ... record_share_of_p50=...% ... other_threads_cpu_pct=...}: the
     * CPU shares are of one core over the timed part's wall time (evals and rollouts between its steps included).
     */
    String line(final String mode)
    {
        final double wall = Math.max(1, wallNs);
        return String.format(Locale.ROOT, "mode=%s steps=%d p50_us=%.1f p99_us=%.1f max_us=%.1f mean_us=%.1f " +
                "record_p50_ns=%d record_p99_ns=%d record_max_ns=%d record_share_of_p50=%.4f%% wall_s=%.2f " +
                "training_thread_cpu_pct=%.1f other_threads_cpu_pct=%.2f",
            mode, step.getTotalCount(), step.getValueAtPercentile(50) / 1e3,
            step.getValueAtPercentile(99) / 1e3, step.getMaxValue() / 1e3, step.getMean() / 1e3,
            record.getValueAtPercentile(50), record.getValueAtPercentile(99), record.getMaxValue(),
            100.0 * record.getValueAtPercentile(50) / Math.max(1, step.getValueAtPercentile(50)), wallNs / 1e9,
            100.0 * trainingThreadCpuNs / wall, 100.0 * otherThreadsCpuNs / wall);
    }

    /**
     * Train each of {@code modes} in order, a fresh run each, and when a mode ran more than once print one
     * {@code all mode=...} line per mode over all its runs' steps.
     */
    static <M extends Enum<M>> void runEach(final List<M> modes, final Class<M> type, final Function<M, String> label,
        final Run<M> run) throws Exception
    {
        final Map<M, StepTimes> pooled = new EnumMap<>(type);
        for (int i = 0; i < modes.size(); i++)
        {
            final M mode = modes.get(i);
            final StepTimes times = run.train(mode, i + 1);
            pooled.computeIfAbsent(mode, m -> new StepTimes()).add(times);
        }
        if (modes.size() > pooled.size())
        {
            for (final Map.Entry<M, StepTimes> entry : pooled.entrySet())
            {
                final long count = modes.stream().filter(entry.getKey()::equals).count();
                System.out.println("all " + entry.getValue().line(label.apply(entry.getKey())) + " runs=" + count);
            }
        }
    }
}
