package io.blackbox.recorder;

import io.blackbox.recorder.gradience.GradienceEmitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The drainer's once-a-second housekeeping (the clock's calibration, drop reports) happens while records trickle in,
 * as a training loop emits them: a record or two every millisecond, so that no drainer round comes back empty.
 */
class RingDrainerHousekeepingTest
{
    private static final long WALL_STEP_NS = TimeUnit.HOURS.toNanos(1);

    @TempDir
    Path temp;

    @Test
    void shouldFollowAWallClockStepWhileAnEmitterTricklesRecordsIntoEveryRound() throws Exception
    {
        final AtomicLong wallOffsetNs = new AtomicLong(System.currentTimeMillis() * 1_000_000L - System.nanoTime());
        final InstantSource wall = () -> Instant.ofEpochSecond(0, System.nanoTime() + wallOffsetNs.get());
        final CalibratedEpochNanoClock clock = new CalibratedEpochNanoClock(wall);
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(temp.resolve("recording")).clock(clock)))
        {
            final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, "run");
            wallOffsetNs.addAndGet(WALL_STEP_NS); // the wall clock set an hour forward
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long step = 0;
            long behindNs;
            do
            {
                assertTrue(run.trainStep(++step, 1.0, 1e-3), "recorded");
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
                behindNs = System.nanoTime() + wallOffsetNs.get() - clock.nanoTime();
            }
            while (behindNs > TimeUnit.SECONDS.toNanos(1) && System.nanoTime() - deadline < 0);

            final long behind = behindNs;
            final long emitted = step;
            assertTrue(behind < TimeUnit.SECONDS.toNanos(1), () -> "the recorder's clock follows the wall clock's " +
                "step within the housekeeping's second, though every drainer round found records: still " +
                behind / 1_000_000 + " ms behind after " + emitted + " emits");
        }
    }
}
