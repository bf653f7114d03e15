package io.blackbox.recorder;

import org.agrona.concurrent.EpochNanoClock;

import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Wall-clock nanoseconds from {@link System#nanoTime()} plus an offset sampled against the wall clock.
 * <p>
 * The read is one {@code nanoTime} and one volatile load: no allocation. {@link #calibrate()} is called off
 * the hot path (the drainer calls it about once a second) so the clock follows wall-clock adjustments, steps
 * included: a wall clock set back an hour is an hour back here after the next calibration (what emitters do with
 * that is in {@link EmitterClock}).
 */
public final class CalibratedEpochNanoClock implements EpochNanoClock
{
    /**
     * A calibration whose tightest try took longer than this (the thread was descheduled between the reads every
     * time) keeps the previous offset: its error, up to half the spread, could pass for a wall-clock step.
     */
    static final long MAX_CALIBRATION_SPREAD_NS = 250_000L;
    private static final int TRIES = 3;

    private final InstantSource wallClock;
    private volatile long offsetNs;

    public CalibratedEpochNanoClock()
    {
        this(Clock.systemUTC());
    }

    /**
     * @param wallClock the wall clock to follow: the system's, or one a test sets.
     */
    CalibratedEpochNanoClock(final InstantSource wallClock)
    {
        this.wallClock = wallClock;
        offsetNs = sampleOffset(Long.MAX_VALUE);
    }

    /**
     * Sample the wall clock between two {@code nanoTime} reads and keep the offset of the tightest of a few tries,
     * unless even that one was too loose to trust ({@link #MAX_CALIBRATION_SPREAD_NS}).
     */
    public void calibrate()
    {
        final long offset = sampleOffset(MAX_CALIBRATION_SPREAD_NS);
        if (offset != Long.MIN_VALUE)
        {
            offsetNs = offset;
        }
    }

    /**
     * @return the offset of the tightest try, or {@link Long#MIN_VALUE} when no try was tighter than
     * {@code maxSpreadNs}.
     */
    private long sampleOffset(final long maxSpreadNs)
    {
        long bestSpread = maxSpreadNs;
        long bestOffset = Long.MIN_VALUE;
        for (int i = 0; i < TRIES; i++)
        {
            final long before = System.nanoTime();
            final Instant now = wallClock.instant();
            final long after = System.nanoTime();
            final long spread = after - before;
            if (spread <= bestSpread)
            {
                bestSpread = spread;
                final long wallNs = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                bestOffset = wallNs - (before + (spread >> 1));
            }
        }
        return bestOffset;
    }

    public long nanoTime()
    {
        return System.nanoTime() + offsetNs;
    }
}
