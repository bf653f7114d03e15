package io.blackbox.recorder;

import org.agrona.concurrent.EpochNanoClock;

import java.time.Instant;

/**
 * Wall-clock nanoseconds from {@link System#nanoTime()} plus an offset sampled against the wall clock.
 * <p>
 * The read is one {@code nanoTime} and one volatile load: no allocation. {@link #calibrate()} is called off
 * the hot path (the drainer calls it about once a second) so the clock follows wall-clock adjustments.
 */
public final class CalibratedEpochNanoClock implements EpochNanoClock
{
    private volatile long offsetNs;

    public CalibratedEpochNanoClock()
    {
        calibrate();
    }

    /**
     * Sample the wall clock between two {@code nanoTime} reads and keep the offset of the tightest of a few tries.
     */
    public void calibrate()
    {
        long bestSpread = Long.MAX_VALUE;
        long bestOffset = offsetNs;
        for (int i = 0; i < 3; i++)
        {
            final long before = System.nanoTime();
            final Instant now = Instant.now();
            final long after = System.nanoTime();
            final long spread = after - before;
            if (spread < bestSpread)
            {
                bestSpread = spread;
                final long wallNs = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                bestOffset = wallNs - (before + (spread >> 1));
            }
        }
        offsetNs = bestOffset;
    }

    public long nanoTime()
    {
        return System.nanoTime() + offsetNs;
    }
}
