package io.blackbox.recorder;

import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.EpochNanoClock;
import org.junit.jupiter.api.Test;

import static io.blackbox.recorder.EmitterClock.WINDOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-emitter clock's rules, driven by a clock the test moves by hand: which emits read the precise clock, and
 * how far a shared read may lag.
 */
class EmitterClockTest
{
    private static final long START_NS = 1_790_000_000_000_000_000L;
    private static final long HOUR_NS = 3_600_000_000_000L;

    private final ManualClock precise = new ManualClock();
    private final CachedNanoClock drainerTime = new CachedNanoClock();
    private final EmitterClock clock = new EmitterClock(precise, drainerTime);

    @Test
    void shouldReadThePreciseClockForEveryEmitOfASparseThread()
    {
        drainerTime.update(START_NS);
        for (int i = 0; i < 10 * WINDOW; i++)
        {
            precise.now += 1_500; // one emit every 1.5 us: just under one a microsecond
            assertEquals(precise.now, clock.nanoTime(), "emit " + i);
        }
        assertEquals(10 * WINDOW, precise.reads);
    }

    @Test
    void shouldShareOneReadPerWindowOnceAThreadIsDense()
    {
        drainerTime.update(START_NS);
        long last = Long.MIN_VALUE;
        long maxLagNs = 0;
        final int emits = 100 * WINDOW;
        for (int i = 0; i < emits; i++)
        {
            precise.now += 100; // ten emits a microsecond
            final long stamp = clock.nanoTime();
            assertTrue(stamp >= last, "never backwards at emit " + i);
            assertTrue(stamp <= precise.now, "never ahead of the precise clock at emit " + i);
            maxLagNs = Math.max(maxLagNs, precise.now - stamp);
            last = stamp;
        }
        // The first window reads every emit (the rate is not known yet), then one read per window.
        assertEquals(WINDOW + (emits - WINDOW) / WINDOW, precise.reads);
        assertEquals((WINDOW - 1) * 100L, maxLagNs, "a shared read lags by the window's span at most");
    }

    @Test
    void shouldTakeTheDrainersNewerTimeWithinADenseWindow()
    {
        makeDense();
        final long windowRead = clock.nanoTime(); // first of a dense window: a precise read
        assertEquals(precise.now, windowRead);

        precise.now += 10_000;
        assertEquals(windowRead, clock.nanoTime(), "the drainer's time is older: hold the window's read");
        drainerTime.update(precise.now - 2_000);
        assertEquals(precise.now - 2_000, clock.nanoTime(), "the drainer read the clock since: take its time");
    }

    @Test
    void shouldGoBackToExactTimestampsAfterADenseThreadSlowsDown()
    {
        makeDense();
        clock.nanoTime(); // opens a dense window
        // The thread stops for a second in the middle of the window; the drainer kept reading the clock meanwhile.
        precise.now += 1_000_000_000L;
        drainerTime.update(precise.now - 3_000_000);
        for (int i = 1; i < WINDOW; i++)
        {
            final long stamp = clock.nanoTime();
            assertTrue(precise.now - stamp <= 3_000_000, "lag bounded by the drainer's last read at emit " + i);
        }
        precise.now += 1_000;
        assertEquals(precise.now, clock.nanoTime(), "the window ended: a precise read, and the rate was sparse");
        for (int i = 0; i < 3 * WINDOW; i++)
        {
            precise.now += 5_000;
            assertEquals(precise.now, clock.nanoTime(), "sparse again at emit " + i);
        }
    }

    @Test
    void shouldHoldRatherThanGoBackWhenThePreciseClockSteps()
    {
        precise.now = START_NS;
        assertEquals(START_NS, clock.nanoTime());
        precise.now -= 700; // calibration moved the offset back
        assertEquals(START_NS, clock.nanoTime());
        precise.now += 1_000;
        assertEquals(START_NS + 300, clock.nanoTime());
    }

    @Test
    void shouldHoldAStepBackJustShortOfAMillisecondAndFollowOneOfAMillisecond()
    {
        precise.now = START_NS;
        assertEquals(START_NS, clock.nanoTime());
        precise.now = START_NS - (EmitterClock.FOLLOWED_STEP_BACK_NS - 1);
        assertEquals(START_NS, clock.nanoTime(), "calibration noise: held");
        precise.now = START_NS - EmitterClock.FOLLOWED_STEP_BACK_NS;
        assertEquals(START_NS - EmitterClock.FOLLOWED_STEP_BACK_NS, clock.nanoTime(), "a step: followed");
    }

    @Test
    void shouldFollowTheWallClockSteppedBackAnHourAtTheNextEmitOfASparseThread()
    {
        for (int i = 0; i < 3 * WINDOW; i++)
        {
            precise.now += 5_000;
            clock.nanoTime();
        }
        final long beforeStep = clock.nanoTime();
        precise.now += 5_000 - HOUR_NS;
        assertEquals(beforeStep + 5_000 - HOUR_NS, clock.nanoTime(), "the first emit after the step follows it");
        for (int i = 0; i < 3 * WINDOW; i++)
        {
            precise.now += 5_000;
            assertEquals(precise.now, clock.nanoTime(), "and the timestamps go on from there, emit " + i);
        }
    }

    @Test
    void shouldFollowTheWallClockSteppedBackAnHourAtTheEndOfADenseWindow()
    {
        makeDense();
        final long windowRead = clock.nanoTime(); // opens a dense window: a precise read
        precise.now -= HOUR_NS;
        drainerTime.update(precise.now); // the drainer calibrated and published the stepped time
        for (int i = 1; i < WINDOW; i++)
        {
            precise.now += 100;
            assertEquals(windowRead, clock.nanoTime(), "the rest of the window holds its read, emit " + i);
        }
        precise.now += 100;
        assertEquals(precise.now, clock.nanoTime(), "the next window's read follows the step");
        long last = precise.now;
        for (int i = 0; i < 3 * WINDOW; i++)
        {
            precise.now += 100;
            final long stamp = clock.nanoTime();
            assertTrue(stamp >= last && stamp <= precise.now, "advancing after the step, emit " + i);
            last = stamp;
        }
        assertTrue(windowRead - last > HOUR_NS - 1_000_000L, "not frozen at the time before the step");
    }

    /**
     * Two windows at ten emits a microsecond; the next emit opens a dense window.
     */
    private void makeDense()
    {
        drainerTime.update(START_NS);
        for (int i = 0; i < 2 * WINDOW; i++)
        {
            precise.now += 100;
            clock.nanoTime();
        }
        precise.now += 100;
    }

    private static final class ManualClock implements EpochNanoClock
    {
        long now = START_NS;
        int reads;

        public long nanoTime()
        {
            reads++;
            return now;
        }
    }
}
