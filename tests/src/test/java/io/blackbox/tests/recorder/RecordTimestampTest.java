package io.blackbox.tests.recorder;

import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.EmittingThreads;
import org.agrona.concurrent.EpochNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.blackbox.tests.TestRecordings.readTrainSteps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default clock's timestamps, read back from a real recording: exact for a thread that emits slowly, and for a
 * thread that emits as fast as it can, never backwards and never outside the time the emits took.
 */
class RecordTimestampTest
{
    /** Room for the drainer's recalibration of the clock's wall-clock offset between two reads. */
    private static final long CALIBRATION_SLACK_NS = 100_000;

    @TempDir
    Path temp;

    @Test
    void shouldStampEachRecordOfASlowThreadWithinItsEmit() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final int records = 300;
        final long[] before = new long[records];
        final long[] after = new long[records];
        try (Recorder recorder = Recorder.open(recording))
        {
            final EpochNanoClock clock = recorder.clock();
            final GradienceEmitter emitter = recorder.emitter(GradienceEmitter::new, "slow");
            for (int i = 0; i < records; i++)
            {
                spinMicros(5);
                before[i] = clock.nanoTime();
                assertTrue(emitter.trainStep(i, 0.5, 1e-3));
                after[i] = clock.nanoTime();
            }
        }

        final List<Long> stamps = readTimestamps(recording).get("slow");
        assertEquals(records, stamps.size());
        for (int i = 0; i < records; i++)
        {
            final long stamp = stamps.get(i);
            assertTrue(stamp >= before[i] - CALIBRATION_SLACK_NS && stamp <= after[i] + CALIBRATION_SLACK_NS,
                "record " + i + ": " + stamp + " outside its emit [" + before[i] + ", " + after[i] + "]");
            if (i > 0)
            {
                assertTrue(stamp > stamps.get(i - 1), "record " + i + " has its own clock read");
            }
        }
    }

    @Test
    void shouldKeepEachFastThreadsTimestampsInOrderAndWithinItsEmits() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final int threads = 2;
        final int records = 500_000;
        final long[] start = new long[threads];
        final long[] end = new long[threads];
        try (Recorder recorder = Recorder.open(recording))
        {
            final EpochNanoClock clock = recorder.clock();
            final GradienceEmitter[] emitters = new GradienceEmitter[threads];
            for (int t = 0; t < threads; t++)
            {
                emitters[t] = recorder.emitter(GradienceEmitter::new, "fast-" + t);
            }
            EmittingThreads.run("fast", threads, Duration.ofMinutes(2), thread ->
            {
                final GradienceEmitter emitter = emitters[thread];
                start[thread] = clock.nanoTime();
                for (int i = 0; i < records; i++)
                {
                    assertTrue(emitter.trainStep(i, 0.5, 1e-3), "emit refused under BLOCK");
                }
                end[thread] = clock.nanoTime();
            });
            assertEquals(0, recorder.droppedRecords());
        }

        final Map<String, List<Long>> stamps = readTimestamps(recording);
        for (int t = 0; t < threads; t++)
        {
            final List<Long> own = stamps.get("fast-" + t);
            assertEquals(records, own.size());
            long previous = start[t] - CALIBRATION_SLACK_NS;
            for (int i = 0; i < records; i++)
            {
                final long stamp = own.get(i);
                assertTrue(stamp >= previous, "thread " + t + " record " + i + " goes back: " + stamp + " < " + previous);
                previous = stamp;
            }
            assertTrue(previous <= end[t] + CALIBRATION_SLACK_NS, "thread " + t + " stamped past its last emit");
        }
    }

    private static Map<String, List<Long>> readTimestamps(final Path recording)
    {
        final Map<String, List<Long>> stamps = new HashMap<>();
        readTrainSteps(recording, (run, trainStep, symbols) ->
        {
            final List<Long> own = stamps.computeIfAbsent(run, name -> new ArrayList<>());
            assertEquals(own.size(), trainStep.step(), "steps in order");
            own.add(trainStep.timestamp());
        });
        return stamps;
    }

    private static void spinMicros(final long micros)
    {
        final long until = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() < until)
        {
            Thread.onSpinWait();
        }
    }
}
