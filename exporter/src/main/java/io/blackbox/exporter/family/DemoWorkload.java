package io.blackbox.exporter.family;

import io.blackbox.recorder.Recorder;
import org.HdrHistogram.Histogram;

import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * A family's simulated workload for {@code blackbox demo}: runs that record what a real producer of the family would,
 * one thread each.
 */
public interface DemoWorkload
{
    /**
     * @return what the runs simulate, for help and the report, e.g. {@code LoRA fine-tuning runs}.
     */
    String description();

    /**
     * @param recorder the recording the run writes.
     * @param index    the run's number among the family's concurrent runs.
     * @param settings what the user asked of the demo.
     * @return a new run, not started.
     */
    DemoRun newRun(Recorder recorder, int index, Settings settings);

    /**
     * What the family's own tools make of the demo's export, as its original's CI would (Clamp's summary): run after
     * the export is written and validated.
     *
     * @param exportRoot the export root.
     * @return the files written; none by default.
     */
    default java.util.List<java.nio.file.Path> afterExport(final java.nio.file.Path exportRoot)
    {
        return java.util.List.of();
    }

    /**
     * A run id as the producers write them (a random, version 4 UUID), the same for the same seed.
     *
     * @param seed the run's seed.
     * @return the id.
     */
    static String runId(final long seed)
    {
        final SplittableRandom ids = new SplittableRandom(seed);
        final long most = (ids.nextLong() & ~0xF000L) | 0x4000L;
        final long least = (ids.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    /**
     * Wait until {@code deadlineNs} ({@link System#nanoTime()}), as a training loop waits for its accelerator: a step
     * that starts late does not make the next one early, so the pace holds on average without bursts. Returns early
     * when the thread is interrupted (the demo stopping).
     */
    static void pace(final long deadlineNs)
    {
        long remaining;
        while ((remaining = deadlineNs - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted())
        {
            LockSupport.parkNanos(remaining);
        }
    }

    /**
     * What the user asked of the demo.
     *
     * @param steps          steps per run (a training step, an epoch, ...: the family's unit of progress).
     * @param seed           seed of run ids and simulated values.
     * @param evalEvery      steps between evaluations, 0 for the family's default.
     * @param stepsPerSecond pace of each run, as a real loop would go, or 0 for as fast as it can.
     */
    record Settings(long steps, long seed, int evalEvery, double stepsPerSecond)
    {
    }

    /**
     * One simulated run. A run whose thread is interrupted (the demo stopping on SIGTERM or Ctrl-C) ends early, as a
     * training loop stopped by its user does: it records its end, then returns.
     */
    interface DemoRun extends Runnable
    {
        /**
         * @return the run's id.
         */
        String runId();

        /**
         * @return the name of the record emitted every step, whose emit latency is measured, e.g. {@code train_step}.
         */
        String stepRecord();

        /**
         * @return step records whose emit returned true (they are in the ring and outlive a crash of the process).
         */
        long acknowledgedSteps();

        /**
         * @return the latency of each step record's emit, in nanoseconds.
         */
        Histogram stepEmitLatencyNs();

        /**
         * @return records emitted, once the run is over.
         */
        long events();

        /**
         * @return whether some emit returned false (dropped, or the recorder failed), once the run is over.
         */
        boolean notRecorded();
    }
}
