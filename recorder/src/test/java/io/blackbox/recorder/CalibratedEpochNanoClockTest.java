package io.blackbox.recorder;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.InstantSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default clock follows the wall clock it is given, steps included, and ignores a calibration too loose to tell
 * a step from noise. The wall clock here is {@code System.nanoTime()} plus an offset the test sets, so the exact
 * answer is known; a calibration's error is at most half the spread of its reads, which it bounds itself.
 */
class CalibratedEpochNanoClockTest
{
    private static final long START_NS = 1_790_000_000_000_000_000L;
    private static final long HOUR_NS = 3_600_000_000_000L;
    private static final int CALIBRATIONS = 1_000;

    private final SettableWallClock wall = new SettableWallClock(START_NS - System.nanoTime());

    @Test
    void shouldReadTheWallClockItWasGiven()
    {
        final CalibratedEpochNanoClock clock = new CalibratedEpochNanoClock(wall);
        assertWithinCalibrationError(wall.nowNs(), clock.nanoTime());
    }

    @Test
    void shouldFollowAWallClockSteppedBackAnHourAtTheNextCalibration()
    {
        final CalibratedEpochNanoClock clock = new CalibratedEpochNanoClock(wall);
        wall.offsetNs -= HOUR_NS;
        assertTrue(clock.nanoTime() - wall.nowNs() > HOUR_NS - CalibratedEpochNanoClock.MAX_CALIBRATION_SPREAD_NS,
            "not before a calibration");

        calibrateUntilTight(clock);
        assertWithinCalibrationError(wall.nowNs(), clock.nanoTime());
    }

    @Test
    void shouldCarryAStepBackThroughAnEmittersClockWithoutFreezing()
    {
        final CalibratedEpochNanoClock precise = new CalibratedEpochNanoClock(wall);
        final EmitterClock emitterClock = new EmitterClock(precise, new CachedNanoClock());
        final long beforeStep = emitterClock.nanoTime();
        wall.offsetNs -= HOUR_NS;
        calibrateUntilTight(precise);

        final long afterStep = emitterClock.nanoTime(); // a sparse thread: every emit reads the precise clock
        assertTrue(beforeStep - afterStep > HOUR_NS - 2 * CalibratedEpochNanoClock.MAX_CALIBRATION_SPREAD_NS,
            "followed the step: before=" + beforeStep + " after=" + afterStep);
        long last = afterStep;
        for (int i = 0; i < 1_000; i++)
        {
            final long stamp = emitterClock.nanoTime();
            assertTrue(stamp >= last, "never backwards after the step, emit " + i);
            last = stamp;
        }
    }

    @Test
    void shouldKeepTheOffsetWhenEveryTryOfACalibrationIsTooLoose()
    {
        final CalibratedEpochNanoClock clock = new CalibratedEpochNanoClock(wall);
        wall.offsetNs -= HOUR_NS;
        wall.readNs = 2 * CalibratedEpochNanoClock.MAX_CALIBRATION_SPREAD_NS; // every read is descheduled, say

        clock.calibrate();
        assertTrue(clock.nanoTime() - wall.nowNs() > HOUR_NS - CalibratedEpochNanoClock.MAX_CALIBRATION_SPREAD_NS,
            "an untrusted calibration keeps the old offset");
        wall.readNs = 0;
        calibrateUntilTight(clock);
        assertWithinCalibrationError(wall.nowNs(), clock.nanoTime());
    }

    /**
     * A calibration keeps the old offset when the machine descheduled it every time; a busy machine does that now and
     * then, so try until one is tight (one is, in practice, at the first call).
     */
    private void calibrateUntilTight(final CalibratedEpochNanoClock clock)
    {
        for (int i = 0; i < CALIBRATIONS; i++)
        {
            clock.calibrate();
            if (Math.abs(clock.nanoTime() - wall.nowNs()) <= CalibratedEpochNanoClock.MAX_CALIBRATION_SPREAD_NS)
            {
                return;
            }
        }
        throw new AssertionError("no calibration of " + CALIBRATIONS + " was tight enough to take");
    }

    private static void assertWithinCalibrationError(final long expectedNs, final long actualNs)
    {
        final long errorNs = Math.abs(actualNs - expectedNs);
        assertTrue(errorNs <= CalibratedEpochNanoClock.MAX_CALIBRATION_SPREAD_NS,
            "within half a trusted spread of the wall clock (plus the reads between): error=" + errorNs + " ns");
    }

    /**
     * {@code System.nanoTime()} plus an offset: a wall clock whose every reading the test knows, and can step.
     */
    private static final class SettableWallClock implements InstantSource
    {
        volatile long offsetNs;
        volatile long readNs;

        SettableWallClock(final long offsetNs)
        {
            this.offsetNs = offsetNs;
        }

        long nowNs()
        {
            return System.nanoTime() + offsetNs;
        }

        public Instant instant()
        {
            final long now = nowNs();
            final long until = System.nanoTime() + readNs;
            while (System.nanoTime() - until < 0)
            {
                Thread.onSpinWait(); // a slow read: the calibration's spread grows by this much
            }
            return Instant.ofEpochSecond(Math.floorDiv(now, 1_000_000_000L), Math.floorMod(now, 1_000_000_000L));
        }
    }
}
