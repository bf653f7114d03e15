package io.blackbox.recorder;

import java.lang.management.ManagementFactory;

/**
 * Bytes an emit allocates, measured as growth: the JVM's count of bytes allocated by the emitting thread for a round
 * of {@code 2N} emits minus that for a round of {@code N}, after a warm-up that lets the JIT compile the emit, and with
 * the ring drained before each round so that no round waits on a full lane. An emit that allocated one object would
 * add at least 16 bytes per emit; what a round allocates once (a thread-local, a lazily grown buffer) cancels out.
 * The emitter tests of each family hold their allocation-free emits to
 * {@code growth < ALLOCATION_FREE_GROWTH_PER_EMIT * EMITS} ({@code GradienceEmitterAllocationTest} explains the
 * policy and what it once caught).
 */
public final class AllocationRounds
{
    /** {@code N}: emits of the smaller measured round. */
    public static final int EMITS = 20_000;
    /** Calls before measuring: enough for C2 to compile the emit and what it calls. */
    public static final int WARM_UP = 100_000;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    /**
     * One emit (or lookup) for call {@code i}; returns whether it did what it should.
     */
    @FunctionalInterface
    public interface Emit
    {
        boolean emit(long i);
    }

    /**
     * What was measured.
     *
     * @param once  bytes allocated by {@link #EMITS} emits.
     * @param twice bytes allocated by twice as many.
     */
    public record Growth(long once, long twice)
    {
        /**
         * @return the bytes the second {@link #EMITS} emits allocated more than the first.
         */
        public long bytes()
        {
            return twice - once;
        }
    }

    private AllocationRounds()
    {
    }

    /**
     * Warm up, then measure the two rounds.
     *
     * @param recorder       the recorder the emits write to (its drainer empties the ring between rounds).
     * @param emit           the emit.
     * @param recordsPerEmit records one emit writes (0 for a lookup, or a call that only accumulates).
     * @return what the rounds allocated.
     */
    public static Growth measure(final Recorder recorder, final Emit emit, final int recordsPerEmit)
    {
        final long drainedBefore = recorder.drainedRecords();
        emit(emit, WARM_UP, 0);
        awaitDrained(recorder, drainedBefore + (long)WARM_UP * recordsPerEmit);
        final long once = allocatedBytes(emit, EMITS, WARM_UP);
        awaitDrained(recorder, drainedBefore + (long)(WARM_UP + EMITS) * recordsPerEmit);
        final long twice = allocatedBytes(emit, 2 * EMITS, WARM_UP + EMITS);
        return new Growth(once, twice);
    }

    private static long allocatedBytes(final Emit emit, final int count, final long first)
    {
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        emit(emit, count, first);
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * Emit {@code count} times; fail at the first emit that did not do what it should.
     */
    private static void emit(final Emit emit, final int count, final long first)
    {
        for (long i = first, end = first + count; i < end; i++)
        {
            if (!emit.emit(i))
            {
                throw new AssertionError("emit " + i + " returned false");
            }
        }
    }

    /**
     * Wait until the drainer has taken at least {@code records} records from the ring, so that the lane is empty
     * but for the few that the recorder's own records (symbols, the run) stand in for, if it counts them.
     */
    private static void awaitDrained(final Recorder recorder, final long records)
    {
        while (recorder.drainedRecords() < records)
        {
            Thread.yield();
        }
    }
}
