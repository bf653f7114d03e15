package io.blackbox.exporter.clamp;

import io.blackbox.exporter.family.DemoWorkload;
import io.blackbox.exporter.family.SimulatedRun;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.clamp.ClampAnchor;
import io.blackbox.recorder.clamp.ClampEmitter;

import java.util.SplittableRandom;

/**
 * One thread of simulated GPU work under Clamp anchors, as a ROCForge-Clamp workload takes them: each step a kernel
 * launch under an anchor, every eighth an all-reduce, every sixty-fourth a checkpoint holding its anchor across the
 * next launch (an anchor inside an anchor); the work itself a few microseconds of arithmetic. A cycle whose simulated
 * result was off is scored below 1.0. A step is an anchor cycle, lock to release, whose latency is measured.
 */
public final class ClampDemoRun extends SimulatedRun
{
    private static final String[] CONTEXTS = { "kernel-launch", "allreduce", "checkpoint" };

    /** Keeps the simulated work from being optimised away. */
    private volatile double sink;

    /**
     * @param recorder the recording.
     * @param index    this run's number among the demo's concurrent runs.
     * @param settings anchor cycles to simulate, the seed and the pace.
     */
    public ClampDemoRun(final Recorder recorder, final int index, final DemoWorkload.Settings settings)
    {
        // A step is an anchor's cycle, its lock and release records.
        super(recorder, index, settings, "clamp-worker-" + index, "anchor");
    }

    public void run()
    {
        final ClampEmitter clamp = recorder.emitter(ClampEmitter::new, runId());
        final int[] contexts = new int[CONTEXTS.length];
        for (int i = 0; i < contexts.length; i++)
        {
            contexts[i] = clamp.symbol(CONTEXTS[i]);
        }
        final SplittableRandom random = new SplittableRandom(seed * 1_000_037 + index);
        final long pacedFromNs = System.nanoTime();
        boolean ok = true;
        long records = 0;
        ClampAnchor checkpoint = null;
        double work = 0;
        for (long step = 0; step < steps; step++)
        {
            if (Thread.currentThread().isInterrupted())
            {
                break; // the demo is stopping: the run ends after its last whole cycle
            }
            pace(pacedFromNs, step);
            if (step % 64 == 63 && null == checkpoint)
            {
                checkpoint = clamp.lock(contexts[2]); // held across the next launch
                records++;
            }
            final long start = System.nanoTime();
            final ClampAnchor anchor = clamp.lock(contexts[step % 8 == 7 ? 1 : 0]);
            for (int i = 0; i < 50; i++)
            {
                work += Math.sqrt(i + random.nextDouble());
            }
            if (random.nextInt(20) == 0)
            {
                anchor.stability(0.5 + 0.4 * random.nextDouble());
            }
            final boolean recorded = anchor.recorded();
            anchor.close();
            stepEmitted(start);
            records += 2;
            ok &= recorded;
            if (recorded)
            {
                acknowledge(step + 1);
            }
            if (null != checkpoint && step % 64 == 0)
            {
                checkpoint.close();
                checkpoint = null;
                records++;
            }
        }
        if (null != checkpoint)
        {
            checkpoint.close();
            records++;
        }
        sink = work;
        clamp.close(); // its lane goes back to the ring for the next run
        finish(records, ok);
    }
}
