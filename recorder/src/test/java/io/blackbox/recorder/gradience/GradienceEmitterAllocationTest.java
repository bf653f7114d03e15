package io.blackbox.recorder.gradience;

import io.blackbox.recorder.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot-path emits allocate nothing: measured with the JVM's per-thread allocated-bytes counter around a loop
 * of emits into a real recorder (drainer running, queue on disk), after a warm-up that lets the JIT compile.
 */
class GradienceEmitterAllocationTest
{
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 200_000;
    private static final int ROUNDS = 5;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @TempDir
    Path directory;

    @Test
    void shouldEmitTrainStepWithoutAllocating()
    {
        try (Recorder recorder = Recorder.open(directory))
        {
            final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, "run-1");
            final double[] lrs = { 1e-4, 2e-4 };
            final int gradNorm = run.symbol("grad_norm");
            emitTrainSteps(run, lrs, gradNorm, WARM_UP);

            // Steady state: a one-off allocation by the runtime (a class loaded by the JIT, a park) may land in
            // one round; an emit that allocates would show in every round.
            long fewest = Long.MAX_VALUE;
            final StringBuilder rounds = new StringBuilder();
            for (int round = 0; round < ROUNDS; round++)
            {
                final long before = allocatedBytes();
                emitTrainSteps(run, lrs, gradNorm, MEASURED);
                final long allocated = allocatedBytes() - before;
                fewest = Math.min(fewest, allocated);
                rounds.append(allocated).append(' ');
            }

            assertEquals(0, fewest, "bytes allocated per round of " + MEASURED + " train_step emits: " + rounds);
        }
    }

    @Test
    void shouldEmitEvalWithoutAllocating()
    {
        try (Recorder recorder = Recorder.open(directory))
        {
            final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, "run-1");
            final int train = run.symbol("train");
            final int runtime = run.symbol("runtime");
            emitEvals(run, train, runtime, WARM_UP);

            // Steady state: a one-off allocation by the runtime (a class loaded by the JIT, a park) may land in
            // one round; an emit that allocates would show in every round.
            long fewest = Long.MAX_VALUE;
            final StringBuilder rounds = new StringBuilder();
            for (int round = 0; round < ROUNDS; round++)
            {
                final long before = allocatedBytes();
                emitEvals(run, train, runtime, MEASURED);
                final long allocated = allocatedBytes() - before;
                fewest = Math.min(fewest, allocated);
                rounds.append(allocated).append(' ');
            }

            assertEquals(0, fewest, "bytes allocated per round of " + MEASURED + " eval emits: " + rounds);
        }
    }

    @Test
    void shouldMeasureAllocationWhenThereIsSome()
    {
        // Guards the measurement itself: an allocating loop must show up, or the zero results above prove nothing.
        final long before = allocatedBytes();
        Object sink = null;
        for (int i = 0; i < 1000; i++)
        {
            sink = new long[16];
        }
        final long allocated = allocatedBytes() - before;
        assertTrue(allocated >= 1000 * 16 * 8, "allocated=" + allocated + " sink=" + (sink != null));
    }

    private static void emitTrainSteps(final GradienceEmitter run, final double[] lrs, final int gradNorm, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            assertTrue(run.trainStep(i, 0.5, 3e-4));
            assertTrue(run.trainStep(i, 0.5, lrs));
            assertTrue(run.trainStep(i).loss(0.4).lr(1e-4).metric(gradNorm, 0.25).commit());
            assertTrue(run.trainStep(GradienceEmitter.NO_STEP).commit());
        }
    }

    private static void emitEvals(final GradienceEmitter run, final int split, final int runtime, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            assertTrue(run.eval(i, split, 2.0, 0.5, 0.69, 100));
            assertTrue(run.eval(i, split).ppl(3.0).n(10).metric(runtime, 1.5).metric(runtime, 7L).commit());
        }
    }

    private static long allocatedBytes()
    {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
