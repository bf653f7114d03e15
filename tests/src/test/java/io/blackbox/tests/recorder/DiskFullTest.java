package io.blackbox.tests.recorder;

import io.blackbox.exporter.cli.CommandLineRun;
import io.blackbox.recorder.EmitterContext;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.ChildJvm;
import io.blackbox.tests.EmittingThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.blackbox.exporter.cli.CommandLineRun.blackbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The recording lives on a size-limited tmpfs that fills while two threads emit as fast as they can. Emitting
 * threads must neither crash nor hang; the recorder says so (a flag, a warning line, the drop counter); what reached
 * the queue stays exportable; and every record an emit acknowledged (returned true) is in the recording once the
 * file system has room again, none twice, each thread's order kept.
 * <p>
 * Mounting a tmpfs needs root; the test is skipped (not passed) elsewhere.
 */
class DiskFullTest
{
    private static final int THREADS = 2;
    private static final int RECORDS_PER_THREAD = 600_000; // ~20 B each once coded: 26 MB, more than the 8 MB the file system has above the reserve
    private static final Pattern STEP = Pattern.compile("\"event\":\"train_step\",\"step\":(\\d+),");

    @TempDir
    Path temp;

    private Path mountPoint;

    @BeforeEach
    void mountSmallFileSystem() throws Exception
    {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        mountPoint = Files.createDirectory(temp.resolve("small-fs"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mountPoint.toString()) == 0,
            "cannot mount a tmpfs here");
    }

    @AfterEach
    void unmount() throws Exception
    {
        if (mountPoint != null && run("mountpoint", "-q", mountPoint.toString()) == 0)
        {
            assertEquals(0, run("umount", "-l", mountPoint.toString()));
        }
    }

    @Test
    void shouldStopStoringWithoutCrashingOrHangingAndLoseNothingAcknowledged() throws Exception
    {
        final Path recording = mountPoint.resolve("recording");
        final List<String> warnings = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final BitSet[] acknowledged = new BitSet[THREADS];
        final long[] refused = new long[THREADS];

        final Recorder recorder = openWithSmallRing(recording, warnings, errors);
        final long ringFileLength = Files.size(recording.resolve("ring.dat"));
        try
        {
            emitConcurrently(recorder, acknowledged, refused); // must not hang on a full file system

            assertTrue(recorder.isStorageFull(), "the recorder says the file system is full");
            assertTrue(warnings.stream().anyMatch(w -> w.startsWith("the file system is full")), warnings::toString);
            assertEquals(refused[0] + refused[1], recorder.droppedRecords(), "every refused emit is counted");
            assertTrue(recorder.droppedRecords() > 0, "the test filled the file system");
            assertNull(recorder.failure(), "a full file system is a state the recorder handles, not a failure");
            assertTrue(errors.isEmpty(), errors::toString);
            assertEquals(ringFileLength, Files.size(recording.resolve("ring.dat")), "the ring does not grow");
        }
        finally
        {
            recorder.close();
        }
        assertTrue(warnings.stream().anyMatch(w -> w.contains("stay in " + recording.resolve("ring.dat"))), warnings::toString);

        // What reached the queue exports as it is, on the full file system: all acknowledged, none twice, in order.
        final CommandLineRun fullExport = blackbox("export", "--recording", recording.toString(), "--out", temp.resolve("full").toString());
        assertEquals(0, fullExport.exit(), fullExport::toString);
        final BitSet[] storedWhileFull = readSteps(temp.resolve("full"));
        long storedCount = 0;
        for (int t = 0; t < THREADS; t++)
        {
            final BitSet unacknowledged = (BitSet)storedWhileFull[t].clone();
            unacknowledged.andNot(acknowledged[t]);
            assertTrue(unacknowledged.isEmpty(), "exported only acknowledged steps: " + unacknowledged);
            storedCount += storedWhileFull[t].cardinality();
        }
        assertTrue(storedCount > 0, "records reached the queue before it filled");

        // With room again, opening drains what waited in the ring: now every acknowledged record is there.
        assertEquals(0, run("mount", "-o", "remount,size=256m", mountPoint.toString()));
        try (Recorder reopened = Recorder.open(new Recorder.Context().directory(recording).warningHandler(warnings::add)))
        {
            assertTrue(reopened.recovery().records() > 0, "the ring held records the full file system refused");
        }
        final CommandLineRun export = blackbox("export", "--recording", recording.toString(), "--out", temp.resolve("after").toString());
        assertEquals(0, export.exit(), export::toString);
        final BitSet[] stored = readSteps(temp.resolve("after"));
        for (int t = 0; t < THREADS; t++)
        {
            assertEquals(acknowledged[t], stored[t], "thread " + t + ": the recording holds exactly the acknowledged steps");
        }
        assertTrue(export.out().contains(String.format("the recorder dropped %,d records", refused[0] + refused[1])),
            "the recording itself counts what it refused\n" + export);
    }

    @Test
    void shouldResumeRecordingWhenTheFileSystemHasRoomAgain() throws Exception
    {
        final Path recording = mountPoint.resolve("recording");
        final List<String> warnings = new CopyOnWriteArrayList<>();
        final BitSet[] acknowledged = new BitSet[THREADS];
        final long[] refused = new long[THREADS];
        try (Recorder recorder = openWithSmallRing(recording, warnings, new CopyOnWriteArrayList<>()))
        {
            emitConcurrently(recorder, acknowledged, refused);
            assertTrue(recorder.isStorageFull());

            assertEquals(0, run("mount", "-o", "remount,size=256m", mountPoint.toString()));
            assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
            {
                while (recorder.isStorageFull() || warnings.stream().noneMatch(w -> w.startsWith("the file system has room again")))
                {
                    Thread.sleep(10);
                }
            }, "the drainer looks again, resumes and says so");

            final GradienceEmitter after = recorder.emitter(GradienceEmitter::new, "after");
            for (int step = 0; step < 100_000; step++)
            {
                assertTrue(after.trainStep(step, 0.25, 1e-4), "recording again, nothing refused");
            }
        }
        final CommandLineRun export = blackbox("export", "--recording", recording.toString(), "--out", temp.resolve("out").toString());
        assertEquals(0, export.exit(), export::toString);
        final BitSet[] stored = readSteps(temp.resolve("out"));
        for (int t = 0; t < THREADS; t++)
        {
            assertEquals(acknowledged[t], stored[t], "thread " + t + ": exactly the acknowledged steps");
        }
        assertTrue(export.out().contains("gradience/after.jsonl 100,000 records"), export::toString);
    }

    /**
     * A symbol is a record too (its definition): on a full disk with the ring full, defining a new one is refused and
     * counted, and the emit that needs it returns false and is counted, as is every emit of an emitter whose run id
     * cannot be defined. Once the file system has room again the same calls define them, and they export.
     */
    @Test
    void shouldRefuseANewSymbolOnAFullDiskAndDefineItWhenThereIsRoomAgain() throws Exception
    {
        final Path recording = mountPoint.resolve("recording");
        final List<String> warnings = new CopyOnWriteArrayList<>();
        final BitSet[] acknowledged = new BitSet[THREADS];
        final long[] refused = new long[THREADS];
        final String key;
        try (Recorder recorder = Recorder.open(new Recorder.Context()
            .directory(recording)
            .ringCapacity(1024 * 1024)
            .lanes(0) // every writer writes the shared lane, the one symbol definitions go through: the emitters fill it
            .warningHandler(warnings::add)))
        {
            final GradienceEmitter probe = recorder.emitter(GradienceEmitter::new, "probe");
            emitConcurrently(recorder, acknowledged, refused);
            assertTrue(recorder.isStorageFull());

            // New symbols until one is refused: the emitters filled the ring, perhaps short of the headroom the
            // recorder's own records may use while the file system is full.
            int symbol = 0;
            String candidate;
            do
            {
                candidate = "key-" + symbol++;
                assertTrue(symbol < 1_000_000, "a definition was refused");
            }
            while (probe.symbol(candidate) != EmitterContext.NO_SYMBOL);
            key = candidate;
            assertEquals(1, recorder.refusedSymbols());

            final long dropped = recorder.droppedRecords();
            assertFalse(probe.trainStep(1).loss(0.5).metric(probe.symbol(key), 7.5).commit());
            final GradienceEmitter late = recorder.emitter(GradienceEmitter::new, "late");
            assertEquals(EmitterContext.NO_SYMBOL, late.run());
            assertFalse(late.trainStep(1, 0.5, 1e-4));
            assertEquals(dropped + 2, recorder.droppedRecords(), "each refused emit counted once");
            assertEquals(4, recorder.refusedSymbols(), key + " again, and late's run id when made and when it emitted");

            assertEquals(0, run("mount", "-o", "remount,size=256m", mountPoint.toString()));
            assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
            {
                while (recorder.isStorageFull())
                {
                    Thread.sleep(10);
                }
            }, "the drainer looks again and resumes");

            final int defined = probe.symbol(key);
            assertTrue(defined != EmitterContext.NO_SYMBOL, "defined once there is room");
            assertTrue(probe.trainStep(2).loss(0.25).metric(defined, 7.5).commit());
            assertTrue(late.trainStep(3, 0.5, 1e-4), "the run id is defined by the next emit");
            assertEquals(4, recorder.refusedSymbols());
        }
        final CommandLineRun export = blackbox("export", "--recording", recording.toString(), "--out", temp.resolve("out").toString());
        assertEquals(0, export.exit(), export::toString);
        final List<String> probeLines = Files.readAllLines(temp.resolve("out/gradience/probe.jsonl"));
        assertEquals(1, probeLines.size(), probeLines::toString);
        assertTrue(probeLines.get(0).contains("\"step\":2,") && probeLines.get(0).contains("\"" + key + "\":7.5"),
            probeLines::toString);
        final List<String> lateLines = Files.readAllLines(temp.resolve("out/gradience/late.jsonl"));
        assertEquals(1, lateLines.size(), lateLines::toString);
        assertTrue(lateLines.get(0).contains("\"step\":3,"), lateLines::toString);
    }

    @Test
    void shouldReportAFaultWritingTheQueueWithoutCrashingOrHangingEmitters() throws Exception
    {
        // Someone else fills the file system after the drainer last looked: its next write into the mapped queue file
        // faults (SIGBUS, an InternalError in Java). The drainer cannot go on; the emitters must.
        final Path recording = mountPoint.resolve("recording");
        final List<String> warnings = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final BitSet[] acknowledged = new BitSet[THREADS];
        final long[] refused = new long[THREADS];

        final Recorder recorder = openWithSmallRing(recording, warnings, errors);
        try
        {
            final GradienceEmitter first = recorder.emitter(GradienceEmitter::new, "first");
            for (int step = 0; step < 10_000; step++)
            {
                assertTrue(first.trainStep(step, 0.5, 3e-4));
            }
            assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
            {
                while (recorder.drainedRecords() < 10_000)
                {
                    Thread.sleep(1); // the drainer has looked at the file system and written
                }
            }, "the drainer drains the first 10,000 records");
            fill(mountPoint.resolve("filler"));
            emitConcurrently(recorder, acknowledged, refused); // must not hang when the drainer fails
            assertNotNull(recorder.failure(), "the drainer's failure is reported");
            assertEquals(1, errors.size(), errors::toString);
            assertTrue(errors.get(0).getMessage().contains("the file system is full"), errors.get(0)::toString);
            assertEquals(refused[0] + refused[1], recorder.droppedRecords(), "every refused emit is counted");
        }
        finally
        {
            recorder.close();
        }

        Files.delete(mountPoint.resolve("filler"));
        try (Recorder reopened = Recorder.open(new Recorder.Context().directory(recording).warningHandler(warnings::add)))
        {
            assertNull(reopened.failure());
        }
        final CommandLineRun export = blackbox("export", "--recording", recording.toString(), "--out", temp.resolve("after").toString());
        assertTrue(export.exit() == 0 || export.exit() == 2, export::toString);
        assertFalse(export.all().contains("\tat "), export::toString);
        final BitSet[] stored = readSteps(temp.resolve("after"));
        for (int t = 0; t < THREADS; t++)
        {
            final BitSet missing = (BitSet)acknowledged[t].clone();
            missing.andNot(stored[t]);
            assertTrue(missing.isEmpty(), "thread " + t + ": acknowledged steps missing: " + missing.cardinality());
        }
    }

    /**
     * A 1 MiB ring, so the file system, not the ring, is what fills.
     */
    private static Recorder openWithSmallRing(final Path recording, final List<String> warnings, final List<Throwable> errors)
    {
        return Recorder.open(new Recorder.Context()
            .directory(recording)
            .ringCapacity(1024 * 1024)
            .warningHandler(warnings::add)
            .errorHandler(errors::add));
    }

    /**
     * Write {@code file} until the file system refuses.
     */
    private static void fill(final Path file) throws IOException
    {
        final byte[] block = new byte[64 * 1024];
        try (var out = Files.newOutputStream(file))
        {
            while (true)
            {
                out.write(block);
            }
        }
        catch (final IOException expected)
        {
            assertTrue(String.valueOf(expected.getMessage()).contains("No space left"), expected::toString);
        }
    }

    /**
     * Emit from {@link #THREADS} threads at once. An emit throws nothing for the recorder's state and never waits for
     * the file system: an exception on an emitting thread, or one still emitting after two minutes (hung on the full
     * file system), fails the test, with the thread's stack.
     */
    private static void emitConcurrently(final Recorder recorder, final BitSet[] acknowledged, final long[] refused)
        throws InterruptedException
    {
        final GradienceEmitter[] emitters = new GradienceEmitter[THREADS];
        for (int t = 0; t < THREADS; t++)
        {
            emitters[t] = recorder.emitter(GradienceEmitter::new, "t" + t);
            acknowledged[t] = new BitSet(RECORDS_PER_THREAD);
        }
        EmittingThreads.run("emitter", THREADS, Duration.ofMinutes(2), thread ->
        {
            for (int step = 0; step < RECORDS_PER_THREAD; step++)
            {
                if (emitters[thread].trainStep(step, 1.0 / (step + 1), 3e-4))
                {
                    acknowledged[thread].set(step);
                }
                else
                {
                    refused[thread]++;
                }
            }
        });
    }

    /**
     * @return per thread, the train_step steps in its run file; fails on a step seen twice or out of order.
     */
    private static BitSet[] readSteps(final Path root) throws IOException
    {
        final BitSet[] steps = new BitSet[THREADS];
        for (int t = 0; t < THREADS; t++)
        {
            steps[t] = new BitSet();
            final Path file = root.resolve("gradience").resolve("t" + t + ".jsonl");
            if (!Files.exists(file))
            {
                continue;
            }
            long previous = -1;
            try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8))
            {
                String line;
                while ((line = lines.readLine()) != null)
                {
                    final Matcher matcher = STEP.matcher(line);
                    if (matcher.find())
                    {
                        final int step = Integer.parseInt(matcher.group(1));
                        assertTrue(step > previous, file + ": step " + step + " after " + previous);
                        steps[t].set(step);
                        previous = step;
                    }
                }
            }
        }
        return steps;
    }

    private static int run(final String... command) throws Exception
    {
        final Path errors = Files.createTempFile("disk-full-" + command[0], ".err");
        try (ChildJvm process = ChildJvm.start(String.join(" ", command), new ProcessBuilder(command), errors))
        {
            final int exit = process.awaitExit();
            process.lines().forEach(System.err::println);
            System.err.print(process.errors());
            return exit;
        }
        finally
        {
            Files.deleteIfExists(errors);
        }
    }

}
