package io.blackbox.recorder;

import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.EpochNanoClock;

/**
 * One emitter's timestamps: exact while the thread emits at most about one record a microsecond, and nearly free
 * when it emits faster, where a clock read would be the largest part of an emit.
 * <p>
 * A precise read ({@link CalibratedEpochNanoClock}: one {@code System.nanoTime()}) costs about 25 ns on the machines
 * this was measured on; the rest of a {@code train_step} emit about 20 ns. So the emitter looks at its own rate, a
 * window of {@link #WINDOW} emits at a time:
 * <ul>
 *     <li><b>sparse</b> (the last window took {@link #DENSE_WINDOW_NS} or longer): every emit reads the precise
 *     clock. Its timestamp is exact.</li>
 *     <li><b>dense</b> (the last window took less: more than one emit per microsecond on average): the first emit of
 *     each window reads the precise clock; the others take the latest of that read and the time the recorder's
 *     drainer last published ({@link #drainerTime}, refreshed every drainer round). Their timestamps lag by at most
 *     the span of the window (about 64 us while the thread stays dense), and by at most the drainer's round (its
 *     longest idle park) if the thread stops in the middle of a window.</li>
 * </ul>
 * Either way the timestamps one emitter gives are never later than the precise clock, and never go backwards by
 * less than {@link #FOLLOWED_STEP_BACK_NS}: a precise read a little behind the last timestamp (a calibration
 * correcting the offset by microseconds) is held, so the emitter's timestamps pause for that long instead of
 * going back. A read {@link #FOLLOWED_STEP_BACK_NS} or more behind means the wall clock was stepped back (an
 * operator or NTP setting it): the timestamps follow it, once, and go on from there, so they agree with every other
 * log of the machine instead of freezing for as long as the step. The step reaches the timestamps at the emitter's
 * next precise read after the drainer's next calibration (about a second): the next emit of a sparse thread, the
 * end of the current window of a dense one.
 * Not thread-safe: one per emitter, like the emitter.
 */
final class EmitterClock implements EpochNanoClock
{
    /** Emits per rate decision; also the most emits in a row that can share one precise read. */
    static final int WINDOW = 64;
    /** A window shorter than this (one emit per microsecond or more) makes the next window dense. */
    static final long DENSE_WINDOW_NS = WINDOW * 1_000L;
    /**
     * A precise read this far or further behind the last timestamp is a wall-clock step, followed; a smaller one is
     * calibration noise (microseconds, see {@link CalibratedEpochNanoClock#MAX_CALIBRATION_SPREAD_NS}), held.
     */
    static final long FOLLOWED_STEP_BACK_NS = 1_000_000L;

    private final EpochNanoClock precise;
    private final CachedNanoClock drainerTime;
    private long lastNs = Long.MIN_VALUE;
    private long windowStartNs;
    private int remaining;
    private boolean dense;

    /**
     * @param precise     the clock read for exact timestamps.
     * @param drainerTime the same clock's time as the drainer last read it.
     */
    EmitterClock(final EpochNanoClock precise, final CachedNanoClock drainerTime)
    {
        this.precise = precise;
        this.drainerTime = drainerTime;
    }

    public long nanoTime()
    {
        if (--remaining > 0 && dense)
        {
            final long published = drainerTime.nanoTime();
            if (published > lastNs)
            {
                lastNs = published;
            }
            return lastNs;
        }

        final long now = precise.nanoTime();
        if (remaining <= 0)
        {
            final long windowNs = now - windowStartNs;
            dense = windowNs >= 0 && windowNs < DENSE_WINDOW_NS; // a negative span is a step back, not a rate
            windowStartNs = now;
            remaining = WINDOW;
        }
        if (now > lastNs || lastNs - now >= FOLLOWED_STEP_BACK_NS)
        {
            lastNs = now; // else calibration moved the clock back a little: hold, do not go backwards
        }
        return lastNs;
    }
}
