package io.blackbox.tests.damage;

import io.blackbox.exporter.cli.CommandLineRun;
import io.blackbox.codecs.GradienceTrainStepEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.exporter.cli.DemoCommand;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.RingFileLanes;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.agrona.BitUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.blackbox.tests.damage.CycleFileLayout.*;
import static io.blackbox.tests.damage.DamagedRecording.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code blackbox recover}: records left in the ring are warned of by export and recovered, what cannot be framed
 * is skipped and said, and what is not a recording, a damaged queue or a recording held open is refused.
 */
class DamagedRecordingRecoverTest
{
    @TempDir
    static Path shared;

    @TempDir
    Path temp;

    @BeforeAll
    static void recordOneSessionPerCycleFile() throws Exception
    {
        recordSessions(shared);
    }

    @ParameterizedTest(name = "lane {0}, past its end: {1}")
    @MethodSource("ringBacklogs")
    void shouldWarnOfRecordsLeftInTheRingAndRecoverThem(final int lane, final boolean pastTheEnd) throws IOException
    {
        final Path recording = copyOfPristine(temp);
        final Path ring = recording.resolve(RecordingDirectoryLayout.RING_FILE);
        final int left = pastTheEnd ? recordsBeforeTheEnd(ring, lane) + 1 : 5;
        final int padding = commitWithoutDraining(ring, lane, left);
        System.out.println("committed " + left + " records into lane " + lane + ", after " + padding +
            " bytes of padding to the lane's end");
        assertEquals(pastTheEnd, padding > 0, "a padding record to the lane's end");
        final byte[] ringBefore = Files.readAllBytes(ring);

        final Export before = export(recording, temp.resolve("export-before"));
        assertEquals(0, before.exit(), before::toString);
        assertEquals(allPristineLines(), new HashSet<>(before.lines()));
        assertTrue(before.err().contains("warning") && before.err().contains(RecordingDirectoryLayout.RING_FILE) &&
            before.err().contains(" " + left + " records") && before.err().contains("blackbox recover"), before::toString);
        assertTrue(Arrays.equals(ringBefore, Files.readAllBytes(ring)), "export changed ring.dat");

        final CommandLineRun recover = blackbox("recover", "--recording", recording.toString());
        assertEquals(0, recover.exit(), recover::toString);
        assertTrue(recover.out().contains("recovered " + left + " records"), recover::toString);
        assertFalse(recover.out().contains("could not be framed"), recover::toString);

        final Export after = export(recording, temp.resolve("export-after"));
        assertEquals(0, after.exit(), after::toString);
        assertFalse(after.err().contains("warning"), after::toString);
        assertTrue(new HashSet<>(after.lines()).containsAll(allPristineLines()), after::toString);
        assertEquals(allPristineLines().size() + left, after.lines().size(), after::toString);
        for (int i = 1; i <= left; i++)
        {
            final String step = "\"step\":" + (5000 + i) + ",";
            assertEquals(1, after.lines().stream().filter(line -> line.contains(step)).count(), step + "\n" + after);
        }
    }

    /**
     * A demo run into the output of a demo that was killed, its ring holding records the queue has not: refused,
     * naming the count and how to keep them, and nothing deleted (it replaced 11.1 M records without a word).
     */
    @Test
    void shouldRefuseADemoOverADemoRecordingWithRecordsLeftInItsRing() throws IOException
    {
        final Path out = Files.createDirectories(temp.resolve("demo-out"));
        final Path recording = Files.move(copyOfPristine(temp), out.resolve("recording"));
        Files.writeString(out.resolve(DemoCommand.MARKER_FILE), "an earlier demo's\n");
        final Path ring = recording.resolve(RecordingDirectoryLayout.RING_FILE);
        commitWithoutDraining(ring, 1, 5);
        final byte[] ringBefore = Files.readAllBytes(ring);

        final CommandLineRun demo = blackbox("demo", "--steps", "10", "--out", out.toString());

        assertEquals(1, demo.exit(), demo::toString);
        assertEquals("blackbox: " + recording + " holds 5 records a stopped demo left in its ring, not yet in its " +
            "queue; drain them with 'blackbox recover --recording " + recording + "' and export them, or delete " +
            recording + " to discard them\n", demo.err());
        assertTrue(Arrays.equals(ringBefore, Files.readAllBytes(ring)), "the recording is left as it was");
    }

    /**
     * Committed bytes of a lane that cannot be framed (a record length overwritten on disk) after records that can:
     * {@code blackbox recover} drains the records, skips the rest and says how many bytes, and the next export has the
     * records.
     */
    @Test
    void shouldRecoverTheRecordsBeforeWhatCannotBeFramedAndSaySo() throws IOException
    {
        final Path recording = copyOfPristine(temp);
        final Path ring = recording.resolve(RecordingDirectoryLayout.RING_FILE);
        final int left = 2;
        final int unframable = 64;
        commitWithoutDraining(ring, 1, left);
        commitUnframable(ring, 1, unframable);

        final Export before = export(recording, temp.resolve("export-before"));
        assertEquals(2, before.exit(), "the unframable bytes are damage: " + before);
        assertEquals(allPristineLines(), new HashSet<>(before.lines()));
        assertTrue(before.err().contains(" " + left + " records") && before.err().contains("blackbox recover") &&
            before.err().contains(unframable + " bytes not yet in the queue cannot be framed"), before::toString);

        final CommandLineRun recover = blackbox("recover", "--recording", recording.toString());
        assertEquals(0, recover.exit(), recover::toString);
        assertTrue(recover.out().contains("recovered " + left + " records"), recover::toString);
        assertTrue(recover.out().contains("skipped " + unframable + " bytes that could not be framed"), recover::toString);

        final Export after = export(recording, temp.resolve("export-after"));
        assertEquals(0, after.exit(), after::toString);
        assertFalse(after.err().contains("warning"), after::toString);
        assertEquals(allPristineLines().size() + left, after.lines().size(), after::toString);
        assertTrue(new HashSet<>(after.lines()).containsAll(allPristineLines()), after::toString);
    }

    /**
     * Commit {@code length} bytes into lane {@code lane} that cannot be framed: a record whose length field no lane can
     * hold.
     */
    private static void commitUnframable(final Path ring, final int lane, final int length) throws IOException
    {
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(ring.toFile(), FileChannel.MapMode.READ_WRITE, "ring");
        try
        {
            final RingFileLanes lanes = new RingFileLanes(new UnsafeBuffer(mapped));
            final RingFileLanes.Claim claim = lanes.claim(lane, GradienceTrainStepEncoder.TEMPLATE_ID,
                length - RecordingBatchDescriptor.RECORD_HEADER_LENGTH);
            assertTrue(claim != null && claim.padding() == 0, "lane " + lane + " has room before its end");
            lanes.file().setMemory(claim.messageIndex(), length - RecordingBatchDescriptor.RECORD_HEADER_LENGTH, (byte)0x5A);
            lanes.file().putInt(RecordingBatchDescriptor.recordLengthOffset(claim.recordIndex()), 0x7FFF_FFF0);
            lanes.commit(claim);
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    static Stream<Arguments> ringBacklogs()
    {
        return Stream.of(Arguments.of(0, false), Arguments.of(1, false), Arguments.of(1, true));
    }

    /**
     * @return how many of the records {@link #commitWithoutDraining} writes fit between the lane's tail and its end.
     */
    private static int recordsBeforeTheEnd(final Path ring, final int lane) throws IOException
    {
        final RingFileLanes lanes = RingFileLanes.read(ring);
        final int toEnd = lanes.capacity(lane) - (int)(lanes.tail(lane) & (lanes.capacity(lane) - 1));
        return toEnd / BitUtil.align(GradienceEmitter.trainStepMessageLength(0, 0, 0) +
            RecordingBatchDescriptor.RECORD_HEADER_LENGTH, RecordingBatchDescriptor.RECORD_ALIGNMENT);
    }

    /**
     * Commit {@code count} train_steps of the last session's run into lane {@code lane} of the ring as a producer of
     * the lane does (see {@link RingFileLanes}), with no drainer.
     *
     * @return bytes of padding written before a record that did not fit before the lane's end, 0 when none.
     */
    private static int commitWithoutDraining(final Path ring, final int lane, final int count) throws IOException
    {
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(ring.toFile(), FileChannel.MapMode.READ_WRITE, "ring");
        try
        {
            final RingFileLanes lanes = new RingFileLanes(new UnsafeBuffer(mapped));
            assertTrue(lane < lanes.laneCount(), "the ring has lane " + lane);
            assertEquals(lanes.head(lane), lanes.tail(lane), "lane " + lane + " was drained");
            final MessageHeaderEncoder header = new MessageHeaderEncoder();
            final GradienceTrainStepEncoder encoder = new GradienceTrainStepEncoder();
            final int length = GradienceEmitter.trainStepMessageLength(0, 0, 0);
            int padding = 0;
            for (int i = 1; i <= count; i++)
            {
                final RingFileLanes.Claim claim = lanes.claim(lane, GradienceTrainStepEncoder.TEMPLATE_ID, length);
                assertTrue(claim != null, "lane " + lane + " has room");
                encoder.wrapAndApplyHeader(lanes.file(), claim.messageIndex(), header)
                    .timestamp(1_768_253_565_000_000_000L + i).run(1).step(5000 + i).loss(0.125).lr(1e-3);
                encoder.fields().clear().loss(true).lr(true);
                encoder.lrGroupsCount(0);
                encoder.doubleMetricsCount(0);
                encoder.longMetricsCount(0);
                encoder.putExtras(new byte[0], 0, 0);
                assertEquals(claim.messageIndex() + length, encoder.limit(), "encoded length");
                lanes.commit(claim);
                padding += claim.padding();
            }
            return padding;
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    @Test
    void shouldRefuseToRecoverADirectoryThatIsNotARecordingAndLeaveItAlone() throws IOException
    {
        final Path directory = Files.createDirectories(temp.resolve("not-a-recording"));
        Files.writeString(directory.resolve("notes.txt"), "hello");

        final CommandLineRun run = blackbox("recover", "--recording", directory.toString());

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().startsWith("blackbox: ") && run.err().lines().count() == 1, run::toString);
        try (Stream<Path> files = Files.list(directory))
        {
            assertEquals(List.of(directory.resolve("notes.txt")), files.collect(Collectors.toList()));
        }
    }

    @Test
    void shouldRefuseToRecoverADamagedQueueNamingTheDamage() throws IOException
    {
        final Path recording = copyOfPristine(temp);
        truncate(cycleFile(recording, SESSIONS - 1), 0);
        final byte[] ringBefore = Files.readAllBytes(recording.resolve(RecordingDirectoryLayout.RING_FILE));

        final CommandLineRun run = blackbox("recover", "--recording", recording.toString());

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains(cycleFiles.get(SESSIONS - 1).name()) && run.err().lines().count() == 1, run::toString);
        assertTrue(Arrays.equals(ringBefore,
            Files.readAllBytes(recording.resolve(RecordingDirectoryLayout.RING_FILE))), "recover changed ring.dat");
        try (Stream<Path> files = Files.list(recording.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY)))
        {
            assertEquals(SESSIONS, files.filter(file -> file.toString().endsWith(".cq4")).count(),
                "recover added a cycle file");
        }
    }

    @Test
    void shouldRefuseToRecoverARecordingAnotherRecorderHasOpen() throws IOException
    {
        final Path recording = copyOfPristine(temp);
        final Recorder holder = Recorder.open(new Recorder.Context().directory(recording).ringCapacity(64 * 1024)
            .rollCycle(TestRollCycles.TEST_SECONDLY));
        try
        {
            final CommandLineRun run = blackbox("recover", "--recording", recording.toString());

            assertEquals(1, run.exit(), run::toString);
            assertTrue(run.err().contains("has it open") && run.err().lines().count() == 1, run::toString);
            assertFalse((run.out() + run.err()).contains("Exception"), run::toString);
        }
        finally
        {
            holder.close();
        }
    }
}
