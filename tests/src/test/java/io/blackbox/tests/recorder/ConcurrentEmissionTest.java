package io.blackbox.tests.recorder;

import io.blackbox.codecs.GradienceTrainStepDecoder;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.recorder.Backpressure;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.EmittingThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

import static io.blackbox.tests.TestRecordings.readTrainSteps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many threads emit into one recorder at once: every record arrives exactly once and each thread's order is kept.
 * The ring is small so that emitters wrap their lanes many times and wait on the drainer; there are more threads than
 * lanes of their own (4 by default), so the others share lane 0 under its lock.
 */
class ConcurrentEmissionTest
{
    private static final int THREADS = 8;
    private static final int RECORDS_PER_THREAD = 100_000;
    /** A hang guard for the emitting threads, not a measure. */
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @TempDir
    Path temp;

    @Test
    void shouldRecordEveryRecordOnceInEachThreadsOrder() throws Exception
    {
        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(recording).ringCapacity(64 * 1024)))
        {
            runThreads(recorder);
            assertEquals(0, recorder.droppedRecords());
        }

        final Map<String, Long> nextStep = new HashMap<>();
        final long[] records = new long[1];
        readTrainSteps(recording, (run, trainStep, symbols) ->
        {
            final long expected = nextStep.getOrDefault(run, 0L);
            assertEquals(expected, trainStep.step(), "step of " + run);
            assertEquals(expected * 0.5, trainStep.loss(), "loss of " + run);
            nextStep.put(run, expected + 1);
            records[0]++;
        });
        assertEquals((long)THREADS * RECORDS_PER_THREAD, records[0]);
        assertEquals(THREADS, nextStep.size());
        nextStep.values().forEach(next -> assertEquals(RECORDS_PER_THREAD, next));
    }

    /**
     * Under {@code DROP} a full ring refuses records: some are refused here (a 4 KiB ring, eight threads), exactly the
     * records whose emit returned true are recorded, once each and in their thread's order, and the count the recording
     * reports is exactly the emits that returned false.
     */
    @Test
    void shouldRecordExactlyTheAcceptedRecordsAndCountTheRestUnderDropPolicy() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final BitSet[] accepted = new BitSet[THREADS];
        final long recorded;
        final long dropped;
        try (Recorder recorder = Recorder.open(new Recorder.Context()
            .directory(recording).ringCapacity(4096).backpressure(Backpressure.DROP)))
        {
            EmittingThreads.run("run", THREADS, DEADLINE, thread ->
            {
                final BitSet steps = new BitSet(RECORDS_PER_THREAD);
                final GradienceEmitter emitter = recorder.emitter(GradienceEmitter::new, "run-" + thread);
                for (int step = 0; step < RECORDS_PER_THREAD; step++)
                {
                    if (emitter.trainStep(step, step * 0.5, 1e-4))
                    {
                        steps.set(step);
                    }
                }
                accepted[thread] = steps; // read after the thread is joined
            });
            recorded = Arrays.stream(accepted).mapToLong(BitSet::cardinality).sum();
            dropped = recorder.droppedRecords();
        }
        assertTrue(dropped > 0, "a 4 KiB ring under eight threads refuses records: " + recorded + " recorded");
        assertEquals((long)THREADS * RECORDS_PER_THREAD - recorded, dropped, "every refused emit counted, no other");

        final Map<String, Integer> lastStep = new HashMap<>();
        final Map<String, BitSet> read = new HashMap<>();
        readTrainSteps(recording, (run, trainStep, symbols) ->
        {
            final int step = (int)trainStep.step();
            final int last = lastStep.getOrDefault(run, -1);
            assertTrue(step > last, () -> run + ": step " + step + " after " + last + ", in the thread's order, once");
            assertEquals(step * 0.5, trainStep.loss(), "loss of " + run);
            lastStep.put(run, step);
            read.computeIfAbsent(run, k -> new BitSet()).set(step);
        });
        for (int thread = 0; thread < THREADS; thread++)
        {
            assertEquals(accepted[thread], read.getOrDefault("run-" + thread, new BitSet()),
                "run-" + thread + ": exactly the steps whose emit returned true");
        }

        final RecordingExport.Result result = RecordingExport.export(recording, temp.resolve("export"));
        assertEquals(recorded, result.records());
        assertEquals(dropped, result.dropped());
        assertTrue(Files.readString(temp.resolve("export").resolve(RecordingExport.SUMMARY_FILE))
            .contains("\"dropped_records\":" + dropped));
    }

    /**
     * Symbol definitions go through the shared lane, records that use them through their writer's own lane: the
     * drainer must still put every definition in the queue before the first record that uses it. Each thread defines
     * a new metric key every few records and uses it at once, while the others emit; a record drained before its
     * key's definition would be reported as damage (an undefined symbol) and be missing.
     */
    @Test
    void shouldDefineEverySymbolBeforeTheFirstRecordThatUsesItAcrossLanes() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final int threads = 6; // 4 with lanes of their own, 2 on the shared lane
        final int records = 100_000;
        final int recordsPerKey = 8;
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(recording).ringCapacity(64 * 1024)))
        {
            EmittingThreads.run("run", threads, DEADLINE, thread ->
            {
                final GradienceEmitter emitter = recorder.emitter(GradienceEmitter::new, "run-" + thread);
                int key = 0;
                for (long step = 0; step < records; step++)
                {
                    if (step % recordsPerKey == 0)
                    {
                        key = emitter.symbol("t" + thread + "-k" + step / recordsPerKey);
                    }
                    if (!emitter.trainStep(step).loss(step).metric(key, (double)step).commit())
                    {
                        throw new AssertionError("emit refused under BLOCK at step " + step);
                    }
                }
            });
        }

        final Map<String, Long> nextStep = new HashMap<>();
        readTrainSteps(recording, (run, trainStep, symbols) ->
        {
            final long step = trainStep.step();
            assertEquals(nextStep.getOrDefault(run, 0L), step, "step of " + run);
            trainStep.lrGroups();
            final GradienceTrainStepDecoder.DoubleMetricsDecoder metrics = trainStep.doubleMetrics();
            assertEquals(1, metrics.count());
            metrics.next();
            assertEquals("t" + run.substring("run-".length()) + "-k" + step / recordsPerKey, symbols.get(metrics.key()),
                "metric key of " + run + " step " + step);
            nextStep.put(run, step + 1);
        });
        assertEquals(threads, nextStep.size());
        nextStep.values().forEach(next -> assertEquals(records, next));
    }

    private static void runThreads(final Recorder recorder) throws InterruptedException
    {
        EmittingThreads.run("run", THREADS, DEADLINE, thread ->
        {
            final GradienceEmitter emitter = recorder.emitter(GradienceEmitter::new, "run-" + thread);
            for (long step = 0; step < RECORDS_PER_THREAD; step++)
            {
                if (!emitter.trainStep(step, step * 0.5, 1e-4))
                {
                    throw new AssertionError("emit refused under BLOCK at step " + step);
                }
            }
        });
    }
}
