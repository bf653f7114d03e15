package io.blackbox.tests.recorder;

import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.recorder.Backpressure;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.EmittingThreads;
import io.blackbox.tests.RingFileLanes;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.blackbox.tests.TestRecordings.readTrainSteps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Load with the default policy (BLOCK) and a deliberately small ring, so the ring is full most of the time and
 * emitters wait on the drainer: 8 threads × 1,000,000 train_steps into one recorder (more threads than the ring has
 * lanes of their own: the first four write one each, the others share lane 0 under its lock), then three recorders
 * open at once in one process, each with its own threads. Every record arrives exactly once, in its thread's order,
 * none is dropped, and memory stays bounded: the ring file never changes size and the emitting threads allocate
 * nothing per record. The recording is checked as it streams past, with one counter per thread. And the edge
 * that a full ring hides: the drainer caught up just before a lane's end, so the end's padding is a batch alone.
 */
class LoadTest
{
    private static final com.sun.management.ThreadMXBean THREAD_MX =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    /**
     * The allocation policy of {@code GradienceEmitterAllocationTest} (recorder module), which says why: an emit is
     * allocation-free when the bytes its thread allocates grow by less than one byte per emit from {@code N} emits to
     * {@code 2N}. One object per emit is at least 16 bytes per emit; the runtime's one-off allocations on the thread
     * (deoptimising the back-off of a writer waiting on a full lane: 144 bytes a time) do not grow with the emits.
     * Here the emitters wait on the drainer all the time, so some of those land in the measured half; half a million
     * records leave them far under the allowance.
     */
    private static final long ALLOCATION_FREE_GROWTH_PER_EMIT = 1;

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldRecordEightThreadsOfAMillionRecordsEachExactlyOnceInABoundedRing() throws Exception
    {
        final Load load = new Load(temp.resolve("recording"), 256 * 1024, 8, 1_000_000);

        runAtOnce(List.of(load));

        load.assertRecordedExactlyOnceInOrder();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldRecordIntoThreeRecordersOpenAtOnceInOneProcess() throws Exception
    {
        final List<Load> loads = List.of(
            new Load(temp.resolve("recording-0"), 64 * 1024, 3, 1_000_000),
            new Load(temp.resolve("recording-1"), 256 * 1024, 3, 1_000_000),
            new Load(temp.resolve("recording-2"), 1024 * 1024, 3, 1_000_000));

        runAtOnce(loads);

        for (final Load load : loads)
        {
            load.assertRecordedExactlyOnceInOrder();
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldRecordEveryRecordWhenTheDrainerCatchesUpAtTheEndOfTheRing() throws Exception
    {
        // A 4 KiB ring has a 2 KiB shared lane and two lanes of their own of 1 KiB; the emitter writes one of
        // those. 80-byte records do not tile it: each lap ends in a padding record, and with the drainer caught up
        // before every emit, the padding is drained as a batch of its own.
        final Path directory = temp.resolve("recording");
        final long records = 200;
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).ringCapacity(4096)))
        {
            final RingFileLanes lanes = RingFileLanes.read(directory.resolve(RecordingDirectoryLayout.RING_FILE));
            assertEquals(1024, lanes.capacity(1), "a lane of its own of a 4 KiB ring");
            assertTrue(1024 % GradienceEmitter.trainStepRecordBytes(0, 0, 1) != 0, "records that do not tile the lane");
            final GradienceEmitter emitter = recorder.emitter(GradienceEmitter::new, "load-0");
            final int check = emitter.symbol("check");
            for (long step = 0; step < records; step++)
            {
                assertTrue(emitter.trainStep(step).loss(Load.lossOf(step)).lr(Load.lrOf(step)).metric(check, step).commit());
                final long drained = recorder.drainedRecords();
                while (recorder.drainedRecords() == drained)
                {
                    Thread.onSpinWait();
                }
            }
        }

        final long[] nextStep = new long[1];
        readTrainSteps(directory, (run, trainStep, symbols) ->
        {
            assertEquals(nextStep[0], trainStep.step(), "step");
            nextStep[0]++;
        });
        assertEquals(records, nextStep[0], "records read back");
    }

    /**
     * Open every recorder, start every emitting thread at once, watch the ring files' sizes while they run, close.
     */
    private static void runAtOnce(final List<Load> loads) throws Exception
    {
        final List<Recorder> recorders = new ArrayList<>();
        try
        {
            for (final Load load : loads)
            {
                recorders.add(Recorder.open(new Recorder.Context()
                    .directory(load.directory)
                    .ringCapacity(load.ringCapacity)
                    .backpressure(Backpressure.BLOCK)));
                load.ringFileBytes = Files.size(load.ringFile());
            }

            final AtomicBoolean emitting = new AtomicBoolean(true);
            final List<String> ringSizeChanges = new ArrayList<>();
            final Thread watcher = new Thread(() -> watchRingFiles(loads, emitting, ringSizeChanges), "ring-size-watcher");
            try (EmittingThreads threads = new EmittingThreads())
            {
                for (int r = 0; r < loads.size(); r++)
                {
                    final Load load = loads.get(r);
                    final Recorder recorder = recorders.get(r);
                    for (int t = 0; t < load.threads; t++)
                    {
                        final int thread = t;
                        threads.start(load.directory.getFileName() + "-emitter-" + t, () -> load.emit(recorder, thread));
                    }
                }
                watcher.start();
                threads.awaitAll(Duration.ofMinutes(4));
            }
            finally
            {
                emitting.set(false);
                watcher.join();
            }

            assertEquals(List.of(), ringSizeChanges, "the ring files' sizes while emitting");
            for (int r = 0; r < loads.size(); r++)
            {
                assertEquals(0, recorders.get(r).droppedRecords(), () -> "records dropped under BLOCK");
                assertEquals(null, recorders.get(r).failure(), "the drainer's failure");
            }
        }
        finally
        {
            recorders.forEach(Recorder::close);
        }
        for (final Load load : loads)
        {
            assertEquals(load.ringFileBytes, Files.size(load.ringFile()), () -> load.ringFile() + " after close");
        }
    }

    private static void watchRingFiles(final List<Load> loads, final AtomicBoolean emitting, final List<String> changes)
    {
        try
        {
            while (emitting.get())
            {
                for (final Load load : loads)
                {
                    final long size = Files.size(load.ringFile());
                    if (size != load.ringFileBytes && changes.size() < 10)
                    {
                        changes.add(load.ringFile() + ": " + size + " bytes, was " + load.ringFileBytes);
                    }
                }
                Thread.sleep(20);
            }
        }
        catch (final IOException ex)
        {
            changes.add(ex.toString());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One recorder's load: {@code threads} threads, each emitting train_steps 0 .. {@code recordsPerThread - 1} of
     * its own run, with loss and lr derived from the step so a torn record shows.
     */
    private static final class Load
    {
        private final Path directory;
        private final int ringCapacity;
        private final int threads;
        private final long recordsPerThread;
        private final long[] allocatedBytes;
        private long ringFileBytes;

        Load(final Path directory, final int ringCapacity, final int threads, final long recordsPerThread)
        {
            this.directory = directory;
            this.ringCapacity = ringCapacity;
            this.threads = threads;
            this.recordsPerThread = recordsPerThread;
            this.allocatedBytes = new long[threads];
        }

        Path ringFile()
        {
            return directory.resolve(RecordingDirectoryLayout.RING_FILE);
        }

        static double lossOf(final long step)
        {
            return 1.0 / (1 + step);
        }

        static double lrOf(final long step)
        {
            return step * 1e-7;
        }

        /**
         * Emit this thread's records, and count the bytes the thread allocates for the second half of them: the
         * growth from {@code N} records to {@code 2N}, as {@code GradienceEmitterAllocationTest} measures it.
         */
        void emit(final Recorder recorder, final int thread)
        {
            final GradienceEmitter emitter = recorder.emitter(GradienceEmitter::new, "load-" + thread);
            final long records = recordsPerThread;
            long before = 0;
            for (long step = 0; step < records; step++)
            {
                if (step == records - records / 2)
                {
                    before = THREAD_MX.getCurrentThreadAllocatedBytes();
                }
                if (!emitter.trainStep(step, lossOf(step), lrOf(step)))
                {
                    throw new AssertionError(directory + " load-" + thread + ": emit refused under BLOCK at step " + step);
                }
            }
            allocatedBytes[thread] = THREAD_MX.getCurrentThreadAllocatedBytes() - before;
        }

        /**
         * Stream the recording: each thread's steps 0, 1, 2... with no gap or repeat, each record whole.
         */
        void assertRecordedExactlyOnceInOrder()
        {
            final long[] nextStep = new long[threads];
            final TestRecordings.TrainStepsRead read = readTrainSteps(directory, (run, trainStep, symbols) ->
            {
                final int thread = Integer.parseInt(run, "load-".length(), run.length(), 10);
                final long step = trainStep.step();
                if (step != nextStep[thread])
                {
                    fail(directory + " " + run + ": step " + step + " where " + nextStep[thread] + " comes next (" +
                        (step < nextStep[thread] ? "a duplicate or out of order" : "a gap") + ")");
                }
                if (trainStep.loss() != lossOf(step) || trainStep.lr() != lrOf(step))
                {
                    fail(directory + " " + run + " step " + step + ": loss " + trainStep.loss() + " lr " + trainStep.lr());
                }
                nextStep[thread]++;
            });
            final long records = read.records();
            final long dropped = read.droppedRecords();

            for (int t = 0; t < threads; t++)
            {
                assertEquals(recordsPerThread, nextStep[t], "records of " + directory.getFileName() + " load-" + t);
                final long measured = recordsPerThread / 2;
                assertTrue(allocatedBytes[t] < ALLOCATION_FREE_GROWTH_PER_EMIT * measured, () -> directory.getFileName() +
                    ": the emitting threads allocated " + Arrays.toString(allocatedBytes) + " bytes for the last " +
                    measured + " of their " + recordsPerThread + " records each");
            }
            assertEquals(threads * recordsPerThread, records, "records in " + directory);
            assertEquals(0, dropped, "drops reported in " + directory);
            System.out.println(directory.getFileName() + ": " + records + " records, ring " + ringCapacity +
                " bytes, allocated per thread for its last " + recordsPerThread / 2 + " records " + Arrays.toString(allocatedBytes) + " bytes");
        }
    }
}
