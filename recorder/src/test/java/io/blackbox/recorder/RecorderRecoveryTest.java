package io.blackbox.recorder;

import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opening a recording drains a ring left as a dead process left it. The ring is prepared here by hand, in the
 * states a process can die in: records committed, a record claimed but not committed, a claim whose header was
 * not yet written.
 */
class RecorderRecoveryTest
{
    private static final int CAPACITY = 64 * 1024;
    private static final int TYPE = 11;

    @TempDir
    Path directory;

    @Test
    void shouldRecoverCommittedRecordsAroundATornOne() throws Exception
    {
        try (RingFile ringFile = ringFile())
        {
            final ManyToOneRingBuffer ring = ringFile.ring();
            ring.commit(ring.tryClaim(TYPE, 16));
            ring.tryClaim(TYPE, 16); // the emitting thread died before commit: never acknowledged
            ring.commit(ring.tryClaim(TYPE, 16));
        }

        try (Recorder recorder = Recorder.open(directory))
        {
            assertEquals(new Recorder.Recovery(2, 1, 0, 0), recorder.recovery());
        }
        try (Recorder recorder = Recorder.open(directory))
        {
            assertEquals(new Recorder.Recovery(0, 0, 0, 0), recorder.recovery(), "a second open finds nothing left");
        }
    }

    @Test
    void shouldDiscardWhatCannotBeFramedAndCountIt() throws Exception
    {
        try (RingFile ringFile = ringFile())
        {
            final ManyToOneRingBuffer ring = ringFile.ring();
            ring.commit(ring.tryClaim(TYPE, 16));
            // A claim advanced the tail but the process died before the header was written.
            final UnsafeBuffer buffer = ringFile.ringBuffer();
            final int tailIndex = CAPACITY + RingBufferDescriptor.TAIL_POSITION_OFFSET;
            buffer.putLong(tailIndex, buffer.getLong(tailIndex) + 32);
        }

        final List<String> warnings = new ArrayList<>();
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).warningHandler(warnings::add)))
        {
            assertEquals(new Recorder.Recovery(1, 1, 0, 0), recorder.recovery());
            assertTrue(recorder.gradience("after-recovery").trainStep(1, 0.5, 1e-4), "the ring works after the reset");
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("1 records were being written"), warnings.get(0));
    }

    @Test
    void shouldMoveADamagedRingFileAsideAndStartANewOne() throws Exception
    {
        Files.write(directory.resolve(RecordingDirectoryLayout.RING_FILE), new byte[]{ 1, 2, 3 });

        final List<String> warnings = new ArrayList<>();
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).warningHandler(warnings::add)))
        {
            assertTrue(recorder.gradience("r").trainStep(1, 0.5, 1e-4));
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
            assertTrue(first.gradience("r").trainStep(1, 0.5, 1e-4), "the first writer is unaffected");
        }
    }

    @Test
    void shouldRefuseEmitsAfterCloseAndCountThem()
    {
        final Recorder recorder = Recorder.open(directory);
        final var emitter = recorder.gradience("r");
        recorder.close();

        assertEquals(false, emitter.trainStep(1, 0.5, 1e-4));
        assertEquals(1, recorder.droppedRecords());
    }

    private RingFile ringFile() throws Exception
    {
        Files.createDirectories(directory);
        return RingFile.openOrCreate(directory.resolve(RecordingDirectoryLayout.RING_FILE), CAPACITY, 0, warning -> {});
    }
}
