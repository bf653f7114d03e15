package io.blackbox.recorder;

import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.recorder.gradience.GradienceEmitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opening a recording drains a ring left as a dead process left it. The ring is prepared here by hand, in the
 * states a process can die in: records committed in several lanes, a record claimed but not committed, a lane whose
 * tail covers bytes that were never a record (a damaged file).
 */
class RecorderRecoveryTest
{
    private static final int CAPACITY = 64 * 1024;
    private static final int TYPE = 11;

    @TempDir
    Path directory;

    @Test
    void shouldRecoverCommittedRecordsOfEveryLaneAndNotAClaimThatWasNeverCommitted() throws Exception
    {
        try (RingFile ringFile = ringFile())
        {
            final RingLane shared = ringFile.sharedLane();
            final RingLane own = ringFile.acquireLane();
            assertTrue(own != null && !own.isShared());
            claimAndCommit(shared);
            claimAndCommit(own);
            claimAndCommit(own);
            assertTrue(own.tryClaim(TYPE, 16) >= 0); // the emitting thread died before commit: never acknowledged
        }

        try (Recorder recorder = Recorder.open(directory))
        {
            assertEquals(new Recorder.Recovery(3, 0, 0), recorder.recovery());
        }
        try (Recorder recorder = Recorder.open(directory))
        {
            assertEquals(new Recorder.Recovery(0, 0, 0), recorder.recovery(), "a second open finds nothing left");
        }
    }

    @Test
    void shouldRecoverALaneThatWrappedAroundItsEnd() throws Exception
    {
        int committed = 0;
        try (RingFile ringFile = ringFile())
        {
            final RingLane own = ringFile.acquireLane();
            // Fill the lane, free all but the last record as a drainer would, then write past the end.
            while (own.tryClaim(TYPE, 40) >= 0)
            {
                own.commit();
            }
            final long tail = own.tailPositionVolatile();
            own.freeTo(tail - 48);
            committed = 1;
            for (int i = 0; i < 3; i++)
            {
                claimAndCommit(own);
                committed++;
            }
            assertTrue(own.tailPositionVolatile() - tail > 3 * 24, "padding to the end of the lane came first");
        }

        try (Recorder recorder = Recorder.open(directory))
        {
            assertEquals(new Recorder.Recovery(committed, 0, 0), recorder.recovery());
        }
    }

    @Test
    void shouldDiscardWhatCannotBeFramedAndCountIt() throws Exception
    {
        try (RingFile ringFile = ringFile())
        {
            final RingLane own = ringFile.acquireLane();
            claimAndCommit(own);
            // A tail that covers bytes that were never written: only damage makes this.
            own.reset(own.tailPositionVolatile() + 32);
            own.freeTo(0);
        }

        final List<String> warnings = new ArrayList<>();
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).warningHandler(warnings::add)))
        {
            assertEquals(new Recorder.Recovery(1, 32, 0), recorder.recovery());
            assertTrue(recorder.emitter(GradienceEmitter::new, "after-recovery").trainStep(1, 0.5, 1e-4), "the ring works after the reset");
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("32 bytes could not be framed"), warnings.get(0));
    }

    @Test
    void shouldGiveLanesToTheFirstWritersAndTheSharedLaneToTheRest()
    {
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).ringCapacity(CAPACITY).lanes(2)))
        {
            final RecordWriter first = recorder.newWriter();
            final RecordWriter second = recorder.newWriter();
            final RecordWriter third = recorder.newWriter();
            assertTrue(first.hasOwnLane() && second.hasOwnLane());
            assertTrue(!third.hasOwnLane(), "two lanes, three writers");
            first.close();
            assertTrue(!first.hasOwnLane(), "a closed writer writes the shared lane");
            assertTrue(recorder.newWriter().hasOwnLane(), "a closed writer's lane goes to the next");
        }
    }

    /**
     * Committed bytes that are not a record (two threads on one writer can make them) must not stop the lane for good:
     * the drainer skips them, says so, and the writer's later records are recorded.
     */
    @Test
    void shouldSkipCommittedBytesThatAreNotRecordsAndKeepRecording() throws Exception
    {
        final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).ringCapacity(CAPACITY).lanes(2)
            .warningHandler(warnings::add)))
        {
            final RecordWriter writer = recorder.newWriter();
            assertTrue(writer.hasOwnLane());
            final GradienceEmitter emitter = new GradienceEmitter(new EmitterContext(recorder, writer, recorder.clock(),
                org.agrona.concurrent.SystemNanoClock.INSTANCE, "r"));
            awaitTrue(() -> recorder.drainedRecords() >= 2, "session start and symbol drained");
            final long before = recorder.drainedRecords();

            final int index = writer.claim(TYPE, 16);
            writer.buffer().putInt(index - 8, 3); // the record's length: no record is 3 bytes long
            writer.commit(index);
            awaitTrue(() -> !warnings.isEmpty(), "a warning");
            assertTrue(warnings.get(0).contains("24 committed bytes") && warnings.get(0).contains("not records"),
                warnings.toString());

            assertTrue(emitter.trainStep(1, 0.5, 1e-4));
            awaitTrue(() -> recorder.drainedRecords() == before + 1, "the next record drained");
        }
        assertEquals(1, warnings.size(), warnings.toString());
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what) throws Exception
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(1);
        }
    }

    private static void claimAndCommit(final RingLane lane)
    {
        final int index = lane.tryClaim(TYPE, 16);
        assertTrue(index >= 0, "lane has room");
        lane.buffer().putLong(index, 0x0102030405060708L);
        lane.commit();
    }

    @Test
    void shouldMoveADamagedRingFileAsideAndStartANewOne() throws Exception
    {
        Files.write(directory.resolve(RecordingDirectoryLayout.RING_FILE), new byte[]{ 1, 2, 3 });

        final List<String> warnings = new ArrayList<>();
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).warningHandler(warnings::add)))
        {
            assertTrue(recorder.emitter(GradienceEmitter::new, "r").trainStep(1, 0.5, 1e-4));
        }
        assertEquals(1, warnings.size(), warnings.toString());
        try (var files = Files.list(directory))
        {
            assertEquals(1, files.filter(p -> p.getFileName().toString().startsWith("ring.dat.damaged-")).count());
        }
    }

    @Test
    void shouldRefuseASecondWriterOfTheSameRecording()
    {
        try (Recorder first = Recorder.open(directory))
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> Recorder.open(directory));
            assertTrue(ex.getMessage().contains("already open"), ex.getMessage());
            assertTrue(first.emitter(GradienceEmitter::new, "r").trainStep(1, 0.5, 1e-4), "the first writer is unaffected");
        }
    }

    @Test
    void shouldRefuseEmitsAfterCloseAndCountThem()
    {
        final Recorder recorder = Recorder.open(directory);
        final var emitter = recorder.emitter(GradienceEmitter::new, "r");
        recorder.close();

        assertEquals(false, emitter.trainStep(1, 0.5, 1e-4));
        assertEquals(1, recorder.droppedRecords());
    }

    private RingFile ringFile() throws Exception
    {
        Files.createDirectories(directory);
        return RingFile.openOrCreate(directory.resolve(RecordingDirectoryLayout.RING_FILE), CAPACITY, 4, 0, warning -> {});
    }
}
