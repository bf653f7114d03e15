package io.blackbox.tests.damage;

import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.cli.CommandLineRun;
import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.tests.family.FamilyRecordings;
import net.openhft.chronicle.wire.Wires;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.blackbox.tests.damage.CycleFileLayout.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code blackbox export --threads N} of a recording holding every registered family, in two sessions: the same
 * files, summary, damage lines, output and exit code whatever N is, undamaged and with bytes flipped in its batches
 * (the damage is then listed as the export on one thread lists it, in its order).
 */
class PartitionedExportDamageTest
{
    private static final int FLIP_CASES = 12;
    private static final List<Integer> THREADS = List.of(1, 2, 3);

    @TempDir
    static Path shared;

    private static Path pristine;

    @TempDir
    Path temp;

    @BeforeAll
    static void recordEveryFamily() throws Exception
    {
        pristine = shared.resolve("recording");
        FamilyRecordings.recordEveryWorkload(pristine, 21);
        FamilyRecordings.recordEveryWorkload(pristine, 22);
    }

    static Stream<Integer> flipCases()
    {
        return IntStream.range(0, FLIP_CASES).boxed();
    }

    @Test
    void shouldExportEveryFamilyToTheSameBytesOnAnyNumberOfThreads() throws IOException
    {
        final List<Exported> exports = exportOnEachNumberOfThreads(pristine);

        final Exported serial = exports.get(0);
        assertEquals(0, serial.run.exit(), serial.run::toString);
        for (final TelemetryFamily family : TelemetryFamilies.all())
        {
            assertFalse(serial.result.files().getOrDefault(family.name(), List.of()).isEmpty(),
                () -> family.name() + " wrote files");
        }
        assertSameAsOnOneThread(exports);
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("flipCases")
    void shouldListTheSameDamageAndWriteTheSameBytesOnAnyNumberOfThreads(final int flipCase) throws IOException
    {
        final Path recording = copyOfPristine();
        final String flipped = flip(recording, new Random(0x7A27L + flipCase), 1 + flipCase % 3);

        final List<Exported> exports = exportOnEachNumberOfThreads(recording);

        final Exported serial = exports.get(0);
        assertTrue(serial.result.damaged(), () -> "a flipped byte in a batch is damage; " + flipped);
        assertSameAsOnOneThread(exports);
    }

    /**
     * What one export did: the command line's run, and (for its files and the reader's findings) the same export
     * through the API into a root of its own.
     */
    private record Exported(int threads, Path root, CommandLineRun run, Path apiRoot, RecordingExport.Result result)
    {
    }

    private List<Exported> exportOnEachNumberOfThreads(final Path recording) throws IOException
    {
        final List<Exported> exports = new ArrayList<>();
        for (final int threads : THREADS)
        {
            final Path root = temp.resolve("export-" + threads);
            final CommandLineRun run = DamagedRecording.blackbox("export", "--recording", recording.toString(),
                "--out", root.toString(), "--threads", Integer.toString(threads));
            final Path apiRoot = temp.resolve("api-export-" + threads);
            exports.add(new Exported(threads, root, run, apiRoot,
                RecordingExport.export(recording, apiRoot, threads, records -> {})));
        }
        return exports;
    }

    private static void assertSameAsOnOneThread(final List<Exported> exports) throws IOException
    {
        final Exported serial = exports.get(0);
        final Map<String, byte[]> serialFiles = files(serial.root);
        assertTrue(serialFiles.containsKey(RecordingExport.SUMMARY_FILE), serial.run::toString);
        assertEquals(serialFiles.keySet(), files(serial.apiRoot).keySet());
        for (final Exported export : exports.subList(1, exports.size()))
        {
            final String threads = export.threads + " threads: ";
            assertEquals(serial.run.exit(), export.run.exit(), () -> threads + export.run);
            assertEquals(normalised(serial.run.out(), serial.root), normalised(export.run.out(), export.root),
                threads + "stdout");
            assertEquals(serial.run.err().replace(serial.root.toString(), "ROOT"),
                export.run.err().replace(export.root.toString(), "ROOT"), threads + "damage and warnings printed");

            final Map<String, byte[]> exportFiles = files(export.root);
            assertEquals(serialFiles.keySet(), exportFiles.keySet(), threads + "files");
            for (final Map.Entry<String, byte[]> file : serialFiles.entrySet())
            {
                // The summary too: it names the files relative to the root.
                assertArrayEquals(file.getValue(), exportFiles.get(file.getKey()), threads + file.getKey());
            }

            assertEquals(serial.result.damage(), export.result.damage(), threads + "damage lines, in order");
            assertEquals(serial.result.damageCount(), export.result.damageCount(), threads + "damage count");
            assertEquals(serial.result.records(), export.result.records(), threads + "records");
            assertEquals(serial.result.warnings(), export.result.warnings(), threads + "warnings");
            assertEquals(relative(serial.apiRoot, serial.result), relative(export.apiRoot, export.result),
                threads + "files, by family in registry order");
        }
    }

    private static String normalised(final String stdout, final Path root)
    {
        return stdout.replace(root.toString(), "ROOT").replaceAll(" in [0-9.]+ s", " in T s");
    }

    private static List<String> relative(final Path root, final RecordingExport.Result result)
    {
        final List<String> files = new ArrayList<>();
        for (final Map.Entry<String, List<FamilyExport.ExportedFile>> family : result.files().entrySet())
        {
            for (final FamilyExport.ExportedFile file : family.getValue())
            {
                files.add(family.getKey() + " " + root.relativize(file.path()) + " " + file.records());
            }
        }
        return files;
    }

    /**
     * Flip {@code count} bytes, each in the records of a data batch of a random cycle file, so each fails its CRC.
     *
     * @return what was flipped, for messages.
     */
    private static String flip(final Path recording, final Random random, final int count) throws IOException
    {
        final List<CycleFile> files = cycleFiles(recording);
        final StringBuilder flipped = new StringBuilder("flipped");
        for (int i = 0; i < count; i++)
        {
            final CycleFile file = files.get(random.nextInt(files.size()));
            final List<Document> batches = file.dataDocuments().stream()
                .filter(document -> document.length() > RecordingBatchDescriptor.HEADER_LENGTH)
                .collect(Collectors.toList());
            final Document batch = batches.get(random.nextInt(batches.size()));
            final long recordsStart = batch.offset() + Wires.SPB_HEADER_SIZE + RecordingBatchDescriptor.HEADER_LENGTH;
            final long position = recordsStart + random.nextInt((int)(batch.end() - recordsStart));
            final int mask = 1 + random.nextInt(255);
            try (RandomAccessFile raf = new RandomAccessFile(
                recording.resolve("queue").resolve(file.name()).toFile(), "rw"))
            {
                raf.seek(position);
                final int value = raf.read();
                raf.seek(position);
                raf.write(value ^ mask);
            }
            flipped.append(' ').append(file.name()).append('@').append(position).append("^0x")
                .append(Integer.toHexString(mask));
        }
        return flipped.toString();
    }

    /**
     * A copy of the undamaged recording: cycle files as far as they are written, the rest left sparse.
     */
    private Path copyOfPristine() throws IOException
    {
        final Path copy = temp.resolve("recording");
        final Map<String, Long> written = new TreeMap<>();
        for (final CycleFile file : cycleFiles(pristine))
        {
            written.put(file.name(), file.dataEnd());
        }
        return DamagedRecording.sparseCopy(pristine, copy,
            from -> written.getOrDefault(from.getFileName().toString(), Long.MAX_VALUE));
    }

    /**
     * @return every file under {@code root} (hidden temporary ones too), by its path relative to the root.
     */
    private static Map<String, byte[]> files(final Path root) throws IOException
    {
        final Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root))
        {
            for (final Path file : walk.filter(Files::isRegularFile).collect(Collectors.toList()))
            {
                files.put(root.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }
}
