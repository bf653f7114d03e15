package io.blackbox.exporter;

import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.exporter.cli.BlackboxCommand;
import io.blackbox.exporter.cli.CommandLineRun;
import io.blackbox.exporter.family.DemoWorkload;
import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.recorder.RecordWriter;
import io.blackbox.recorder.Recorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The export on several threads ({@link PartitionedExport}) writes what the export on one thread writes, byte for
 * byte, or leaves the recording to it: every registered family's demo runs in one recording, exported both ways.
 */
class PartitionedExportTest
{
    private static final int RUNS = 2;
    private static final long STEPS = 300;

    @TempDir
    static Path shared;

    private static Path recording;

    @TempDir
    Path temp;

    @BeforeAll
    static void recordEveryFamilyOnce() throws IOException
    {
        recording = shared.resolve("recording");
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(recording)))
        {
            recordEveryFamily(recorder);
        }
    }

    @Test
    void shouldShareTheHeaviestFamilyFirstEachToTheLightestPart()
    {
        final List<TelemetryFamily> families = TelemetryFamilies.all();
        final double[] weights = new double[families.size()];
        for (int i = 0; i < weights.length; i++)
        {
            weights[i] = 1 + i;
        }
        weights[1] = 100; // as heavy as the rest together and more

        final List<List<TelemetryFamily>> shares = PartitionedExport.share(families, weights, 2);

        assertEquals(List.of(List.of(families.get(1)),
            families.stream().filter(family -> family != families.get(1)).collect(Collectors.toList())), shares);
    }

    @Test
    void shouldMakeNoMorePartsThanFamiliesRecordedAndGiveTheOthersToTheFirst()
    {
        final List<TelemetryFamily> families = TelemetryFamilies.all();
        final double[] weights = new double[families.size()];
        weights[1] = 5;
        weights[weights.length - 1] = 3;

        final List<List<TelemetryFamily>> shares = PartitionedExport.share(families, weights, 8);

        assertEquals(2, shares.size());
        assertEquals(List.of(families.get(weights.length - 1)), shares.get(1));
        assertEquals(families.stream().filter(family -> family != families.get(weights.length - 1))
            .collect(Collectors.toList()), shares.get(0), "the families without records go to the first part");
        weights[1] = 0;
        assertEquals(List.of(families), PartitionedExport.share(families, weights, 8), "one family: one part");
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = { 2, 3 })
    void shouldWriteTheSameFilesAndSummaryAsOneThread(final int threads) throws IOException
    {
        final Path serialRoot = temp.resolve("serial");
        final RecordingExport.Result serial = RecordingExport.export(recording, serialRoot, 1, records -> {});
        assertFalse(serial.damaged(), () -> "the recording is undamaged: " + serial.damage());
        assertEquals(TelemetryFamilies.all().stream().map(TelemetryFamily::name).collect(Collectors.toList()),
            List.copyOf(serial.files().keySet()), "every family wrote files");

        final Path partsRoot = temp.resolve("parts");
        final PartitionedExport.Outcome parts = PartitionedExport.export(recording, partsRoot, threads, records -> {});

        assertNotNull(parts, "not exported again on one thread");
        assertEquals(threads, parts.parts(), "shared into as many parts as threads");
        assertSameExport(serialRoot, serial, partsRoot, parts.result());
        final Path publicRoot = temp.resolve("public");
        assertSameExport(serialRoot, serial, publicRoot,
            RecordingExport.export(recording, publicRoot, threads, records -> {}));
    }

    @Test
    void shouldExportARecordingOfOneFamilyInOnePart() throws IOException
    {
        final TelemetryFamily family = TelemetryFamilies.all().get(0);
        final Path oneFamily = temp.resolve("one-family");
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(oneFamily)))
        {
            record(recorder, family);
        }
        final Path serialRoot = temp.resolve("serial");
        final RecordingExport.Result serial = RecordingExport.export(oneFamily, serialRoot, 1, records -> {});

        final Path partsRoot = temp.resolve("parts");
        final PartitionedExport.Outcome parts = PartitionedExport.export(oneFamily, partsRoot, 4, records -> {});

        assertNotNull(parts);
        assertEquals(1, parts.parts(), "never more parts than families recorded");
        assertSameExport(serialRoot, serial, partsRoot, parts.result());
    }

    @Test
    void shouldExportOnOneThreadWhenAPartFindsARecordItsFamilyCannotDecode() throws IOException
    {
        final TelemetryFamily damagedFamily = TelemetryFamilies.all().get(TelemetryFamilies.all().size() - 1);
        final Path damaged = temp.resolve("damaged");
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(damaged)))
        {
            recordEveryFamily(recorder);
            // A whole, well-framed record that only its family's export finds damaged: a header, and no block.
            try (RecordWriter writer = recorder.emitter(context -> context.writer(), "damaged-run"))
            {
                final int templateId = damagedFamily.firstTemplateId();
                final int index = writer.claim(templateId, MessageHeaderEncoder.ENCODED_LENGTH);
                new MessageHeaderEncoder().wrap(writer.buffer(), index).blockLength(0).templateId(templateId)
                    .schemaId(MessageHeaderEncoder.SCHEMA_ID).version(MessageHeaderEncoder.SCHEMA_VERSION);
                writer.commit(index);
            }
            recordEveryFamily(recorder);
        }
        final Path serialRoot = temp.resolve("serial");
        final RecordingExport.Result serial = RecordingExport.export(damaged, serialRoot, 1, records -> {});
        assertEquals(1, serial.damageCount(), () -> "the record is damage to " + damagedFamily.name() + ": " +
            serial.damage());

        final Path partsRoot = temp.resolve("parts");
        assertNull(PartitionedExport.export(damaged, partsRoot, 2, records -> {}), "left to one thread");
        assertEquals(Map.of(), files(partsRoot), "every part's files discarded");

        final Path publicRoot = temp.resolve("public");
        assertSameExport(serialRoot, serial, publicRoot, RecordingExport.export(damaged, publicRoot, 2, records -> {}));
    }

    /**
     * Where one family writes is taken by a file: its export cannot write there. The first family's records come first
     * in the recording, so the first part fails before the recording is shared out. A family of another part whose
     * records come last fails that part when the first part has written its share's files, which are discarded.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "first family", "last family of another part" })
    void shouldCommitNothingWhenAPartFailsAndThrowWhatOneThreadThrows(final String which) throws IOException
    {
        final List<TelemetryFamily> families = TelemetryFamilies.all();
        final List<List<TelemetryFamily>> shares = PartitionedExport.shareOut(recording, 2, new AtomicReference<>());
        assertNotNull(shares);
        final TelemetryFamily failing = "first family".equals(which) ? families.get(0) :
            shares.get(1).get(shares.get(1).size() - 1); // the families are recorded in registry order
        final Path serialRoot = temp.resolve("serial");
        final Path failingFile = RecordingExport.export(recording, serialRoot, 1, records -> {})
            .files().get(failing.name()).get(0).path();
        final Path blocked = serialRoot.relativize(failingFile).getName(0);

        final Path serialFailing = temp.resolve("serial-failing");
        Files.createDirectories(serialFailing);
        Files.writeString(serialFailing.resolve(blocked), "not a directory");
        final UncheckedIOException serialFailure = assertThrows(UncheckedIOException.class,
            () -> RecordingExport.export(recording, serialFailing, 1, records -> {}));

        final Path partsRoot = temp.resolve("parts");
        Files.createDirectories(partsRoot);
        Files.writeString(partsRoot.resolve(blocked), "not a directory");
        final UncheckedIOException partsFailure = assertThrows(UncheckedIOException.class,
            () -> PartitionedExport.export(recording, partsRoot, 2, records -> {}));

        assertEquals(serialFailure.getMessage().replace(serialFailing.toString(), "ROOT"),
            partsFailure.getMessage().replace(partsRoot.toString(), "ROOT"));
        assertEquals(List.of(blocked.toString()), List.copyOf(files(partsRoot).keySet()),
            "nothing committed, no temporary file left");
    }

    @Test
    void shouldRefuseNoThread()
    {
        final Path root = temp.resolve("export");
        final CommandLineRun run = CommandLineRun.blackbox("export", "--recording", recording.toString(), "--out",
            root.toString(), "--threads", "0");

        assertEquals(BlackboxCommand.EXIT_USAGE, run.exit(), run::toString);
        assertTrue(run.err().contains("--threads must be at least 1, was 0"), run::toString);
        assertFalse(Files.exists(root.resolve(RecordingExport.SUMMARY_FILE)));
        assertThrows(IllegalArgumentException.class, () -> RecordingExport.export(recording, root, 0, records -> {}));
    }

    @Test
    void shouldTellTheSlowestPartsRecordsOnlyWhenTheyGrow()
    {
        final List<Long> told = new ArrayList<>();
        final PartitionedExport.PartsProgress progress = new PartitionedExport.PartsProgress(3, told::add);

        progress.read(0, 50); // alone until the recording is shared out
        progress.parts(2);
        progress.read(0, 100);
        progress.read(0, 200);
        progress.read(1, 150);
        progress.read(1, 300);
        progress.read(0, 250);
        progress.read(1, 400);
        progress.read(0, 250);

        assertEquals(List.of(50L, 150L, 200L, 250L), told);
    }

    /**
     * Every registered family's demo runs, one family after another.
     */
    private static void recordEveryFamily(final Recorder recorder)
    {
        for (final TelemetryFamily family : TelemetryFamilies.all())
        {
            record(recorder, family);
        }
    }

    private static void record(final Recorder recorder, final TelemetryFamily family)
    {
        final DemoWorkload workload = family.demo();
        assertNotNull(workload, family.name());
        for (int i = 0; i < RUNS; i++)
        {
            final DemoWorkload.DemoRun run = workload.newRun(recorder, i, new DemoWorkload.Settings(STEPS, 11, 50, 0));
            run.run();
            assertFalse(run.notRecorded(), run.runId());
        }
    }

    private static void assertSameExport(final Path expectedRoot, final RecordingExport.Result expected,
        final Path actualRoot, final RecordingExport.Result actual) throws IOException
    {
        assertEquals(expected.records(), actual.records());
        assertEquals(expected.dropped(), actual.dropped());
        assertEquals(expected.damage(), actual.damage());
        assertEquals(expected.damageCount(), actual.damageCount());
        assertEquals(expected.unknownTypes(), actual.unknownTypes());
        assertEquals(expected.dataBytes(), actual.dataBytes());
        assertEquals(expected.warnings(), actual.warnings());
        assertEquals(relative(expectedRoot, expected), relative(actualRoot, actual), "files, in registry order");

        final Map<String, byte[]> expectedFiles = files(expectedRoot);
        final Map<String, byte[]> actualFiles = files(actualRoot);
        assertEquals(expectedFiles.keySet(), actualFiles.keySet());
        assertTrue(expectedFiles.containsKey(RecordingExport.SUMMARY_FILE));
        for (final Map.Entry<String, byte[]> file : expectedFiles.entrySet())
        {
            assertArrayEquals(file.getValue(), actualFiles.get(file.getKey()), file.getKey());
        }
    }

    private static List<String> relative(final Path root, final RecordingExport.Result result)
    {
        final List<String> files = new ArrayList<>();
        for (final Map.Entry<String, List<FamilyExport.ExportedFile>> family : result.files().entrySet())
        {
            for (final FamilyExport.ExportedFile file : family.getValue())
            {
                files.add(family.getKey() + " " + root.relativize(file.path()) + " " + file.records() + " " +
                    file.sourceRecords());
            }
        }
        return files;
    }

    /**
     * @return every file under {@code root} (hidden temporary ones too), by its path relative to the root.
     */
    private static Map<String, byte[]> files(final Path root) throws IOException
    {
        final Map<String, byte[]> files = new TreeMap<>();
        if (!Files.exists(root))
        {
            return files;
        }
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
