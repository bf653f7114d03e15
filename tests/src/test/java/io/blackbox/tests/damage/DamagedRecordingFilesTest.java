package io.blackbox.tests.damage;

import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.codecs.layout.RingFileDescriptor;
import io.blackbox.exporter.cli.BlackboxCommand;
import io.blackbox.tests.RingFileLanes;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.blackbox.tests.damage.CycleFileLayout.*;
import static io.blackbox.tests.damage.DamagedRecording.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Damage beside the cycle files: Chronicle's metadata file, the ring file, directories and files that are not
 * recordings; and a real process prints one-line messages only.
 */
class DamagedRecordingFilesTest
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

    // ------------------------------------------------------------------ Chronicle's metadata file

    @Test
    void shouldExportEverythingWithoutTheMetadataFileAndSaySo() throws IOException
    {
        final Path recording = copyOfPristine(temp);
        Files.delete(recording.resolve("queue").resolve("metadata.cq4t"));

        final Export export = export(recording, temp.resolve("export"));

        assertEquals(0, export.exit(), export::toString);
        assertEquals(allPristineLines(), new HashSet<>(export.lines()));
        assertTrue(export.err().contains("warning") && export.err().contains("metadata.cq4t"), export::toString);
        assertFalse(Files.exists(recording.resolve("queue").resolve("metadata.cq4t")), "export wrote into the recording");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("metadataDamage")
    void shouldExportEverythingWhenTheMetadataFileIsDamagedAndSaySo(final String damage) throws IOException
    {
        final Path recording = copyOfPristine(temp);
        final Path metadata = recording.resolve("queue").resolve("metadata.cq4t");
        switch (damage)
        {
            case "empty" -> truncate(metadata, 0);
            case "cut inside its header" -> truncate(metadata, 10);
            case "header overwritten" -> flip(metadata, 3, 0xFF);
            default -> Files.write(metadata, new byte[4096]);
        }

        final Export export = export(recording, temp.resolve("export"));

        assertEquals(2, export.exit(), export::toString);
        assertEquals(allPristineLines(), new HashSet<>(export.lines()));
        assertTrue(export.err().contains("metadata.cq4t"), export::toString);
    }

    static Stream<String> metadataDamage()
    {
        return Stream.of("empty", "cut inside its header", "header overwritten", "zeroed");
    }

    // ------------------------------------------------------------------ the ring file

    @ParameterizedTest(name = "{0}")
    @MethodSource("ringDamage")
    void shouldExportEverythingWhenTheRingFileIsDamagedAndSaySo(final String damage) throws IOException
    {
        final Path recording = copyOfPristine(temp);
        final Path ring = recording.resolve(RecordingDirectoryLayout.RING_FILE);
        switch (damage)
        {
            case "cut inside its header" -> truncate(ring, RingFileDescriptor.HEADER_LENGTH / 2);
            case "cut inside its data" -> truncate(ring, Files.size(ring) / 2);
            case "bad magic" -> flip(ring, RingFileDescriptor.MAGIC_OFFSET, 0x20);
            case "bad capacity" -> flip(ring, RingFileDescriptor.RING_CAPACITY_OFFSET, 0x01);
            case "bad lane count" -> flip(ring, RingFileDescriptor.LANE_COUNT_OFFSET, 0x02);
            case "bad shared lane capacity" -> flip(ring, RingFileDescriptor.SHARED_LANE_CAPACITY_OFFSET + 1, 0x01);
            default ->
            {
                // Head past the tail: positions no lane can have.
                final RingFileLanes lanes = RingFileLanes.read(ring);
                final long trailer = lanes.trailer(damage.endsWith("shared lane") ? 0 : lanes.laneCount() - 1);
                try (FileChannel channel = FileChannel.open(ring, StandardOpenOption.WRITE))
                {
                    channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40),
                        trailer + RingFileDescriptor.LANE_HEAD_POSITION_OFFSET);
                }
            }
        }
        final byte[] ringBefore = Files.readAllBytes(ring);

        final Export export = export(recording, temp.resolve("export"));

        assertEquals(2, export.exit(), export::toString);
        assertEquals(allPristineLines(), new HashSet<>(export.lines()));
        // A damaged header makes the whole file unreadable; a lane's impossible positions only that lane.
        final String said = damage.startsWith("head past") ? "has impossible positions" : "not a ring file any more";
        assertTrue(export.err().contains(RecordingDirectoryLayout.RING_FILE) && export.err().contains(said), export::toString);
        assertTrue(Arrays.equals(ringBefore, Files.readAllBytes(ring)), "export changed ring.dat");
    }

    static Stream<String> ringDamage()
    {
        return Stream.of("cut inside its header", "cut inside its data", "bad magic", "bad capacity", "bad lane count",
            "bad shared lane capacity", "head past the tail in the shared lane", "head past the tail in the last lane");
    }

    /**
     * Records left in ring.dat by a process that died before draining them, in the shared lane (an emitter that found
     * no lane of its own) or in the run's own lane, there also as many as take the lane past its end (the last after a
     * padding record): export counts them without touching the recording, {@code blackbox recover} drains them, and
     * the next export has them.
     */

    // ------------------------------------------------------------------ not a recording

    @ParameterizedTest(name = "{0}")
    @MethodSource("notRecordings")
    void shouldRefuseWhatIsNotARecordingInOneLine(final String what) throws IOException
    {
        final Path path = temp.resolve("input");
        switch (what)
        {
            case "a missing path" ->
            {
            }
            case "an empty directory" -> Files.createDirectories(path);
            case "a directory of other files" ->
            {
                Files.createDirectories(path.resolve("logs"));
                Files.writeString(path.resolve("train.py"), "print('hi')\n");
            }
            case "a file" -> Files.writeString(path, "not a directory\n");
            case "a queue directory with no cycle files" ->
                Files.createDirectories(path.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY));
            default ->
            {
                // every cycle file emptied: nothing usable
                final Path recording = copyOfPristine(temp);
                for (int index = 0; index < SESSIONS; index++)
                {
                    truncate(cycleFile(recording, index), 0);
                }
                Files.move(recording, path);
            }
        }

        final Export export = export(path, temp.resolve("export"));

        assertEquals(1, export.exit(), export::toString);
        assertEquals(List.of(), export.lines());
        assertTrue(export.err().contains(path.toString()), export::toString);
        if (what.startsWith("a ") && !what.contains("queue"))
        {
            assertEquals(1, export.err().lines().count(), () -> "one line\n" + export);
        }
    }

    static Stream<String> notRecordings()
    {
        return Stream.of("a missing path", "an empty directory", "a directory of other files", "a file",
            "a queue directory with no cycle files", "every cycle file empty");
    }

    // ------------------------------------------------------------------ the real process

    /**
     * The launcher as a user runs it, in its own JVM: standard error holds one-line messages only, nothing any library
     * printed on its own.
     */
    @Test
    void shouldPrintOnlyOneLineMessagesFromARealProcess() throws Exception
    {
        final Path recording = copyOfPristine(temp);
        final CycleFile file = cycleFiles.get(1);
        final Document middle = file.dataDocuments().get(file.dataDocuments().size() / 2);
        flip(cycleFile(recording, 1), middle.offset() + 1, 0x10); // a damaged excerpt length
        truncate(cycleFile(recording, 2), cutAt(cycleFiles.get(2), "mid-batch"));
        final Path root = temp.resolve("export");
        final Path stdout = temp.resolve("stdout.txt");
        final Path stderr = temp.resolve("stderr.txt");
        final Process process = new ProcessBuilder(TestRecordings.javaCommand(BlackboxCommand.class,
            "export", "--recording", recording.toString(), "--out", root.toString()))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
        process.getOutputStream().close();
        if (!process.waitFor(2, TimeUnit.MINUTES)) // a guard against a hang only
        {
            process.destroyForcibly().waitFor();
            fail("blackbox export hung\n" + Files.readString(stderr));
        }
        final String err = Files.readString(stderr);

        assertEquals(2, process.exitValue(), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
        for (final String line : err.lines().collect(Collectors.toList()))
        {
            assertTrue(line.startsWith("blackbox: "), () -> "only one-line messages on standard error:\n" + err);
        }
        assertTrue(err.contains(file.name()) && err.contains(cycleFiles.get(2).name()), err);
        final List<String> runZero = wholeValidLines(root.resolve("gradience").resolve("run-0.jsonl"));
        assertEquals(pristineLines.get(0).stream().filter(line -> line.contains("\"run_id\":\"run-0\""))
            .collect(Collectors.toList()), runZero, "the undamaged cycle file's run, whole");
    }
}
