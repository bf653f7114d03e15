package io.blackbox.tests.family;

import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.family.TelemetryFamily;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every registered family's recording, damaged: a few bytes flipped anywhere in the queue's written data. The export
 * either refuses the recording as a whole (a {@link RecordingException}) or exports what survived: every line it
 * writes is one of the undamaged export's lines and the file still validates against the family's spec; fewer
 * records only with the damage reported; the same bytes when nothing is reported.
 * <p>
 * The detailed damage cases (which batch is lost, sessions, the ring file) are in {@code io.blackbox.tests.damage}
 * ({@code TruncatedAndFlippedRecordingTest} and its neighbours), on a Gradience recording; this one holds every
 * family to the contract the day it registers.
 */
class FamilyDamageTest
{
    private static final int CASES_PER_FAMILY = 16;
    private static final Map<String, Path> PRISTINE = new HashMap<>();

    @TempDir
    static Path recordings;

    @TempDir
    Path temp;

    static Stream<Arguments> cases()
    {
        return FamilyRecordings.familyNames()
            .flatMap(name -> IntStream.range(0, CASES_PER_FAMILY).mapToObj(i -> Arguments.of(name, i)));
    }

    @ParameterizedTest(name = "{0} case {1}")
    @MethodSource("cases")
    void shouldExportOnlyWholeValidLinesOfTheUndamagedExport(final String name, final int damageCase) throws Exception
    {
        final TelemetryFamily family = FamilyRecordings.family(name);
        final Path pristine = pristine(family);
        final Path pristineExport = pristine.resolveSibling(name + "-export");

        final Path recording = temp.resolve("recording");
        copyTree(pristine, recording);
        final Random random = new Random(0x5EED0000L + damageCase);
        final String flipped = flip(recording, WRITTEN.get(name), random, 1 + random.nextInt(4));

        final RecordingExport.Result result;
        try
        {
            result = RecordingExport.export(recording, temp.resolve("export"));
        }
        catch (final RecordingException ex)
        {
            return; // refused whole, with a message: nothing half-written to check
        }

        final List<FamilyExport.ExportedFile> files = result.files().getOrDefault(name, List.of());
        long exported = 0;
        for (final FamilyExport.ExportedFile file : files)
        {
            final Path twin = pristineExport.resolve(temp.resolve("export").relativize(file.path()));
            assertTrue(Files.exists(twin), () -> file + " is a file of the undamaged export; " + flipped);
            // Record by record, whatever the layout: a document's own header (Clamp's mean) may differ.
            final List<String> pristineRecords = family.exportedRecords(twin);
            for (final String record : family.exportedRecords(file.path()))
            {
                assertTrue(pristineRecords.contains(record) ||
                    pristineRecords.stream().anyMatch(whole -> family.isPartOf(record, whole)), () -> file +
                    ": a record the undamaged export has not (nor a part of one): " + record + "; " + flipped);
            }
            exported += file.sourceRecords();
        }
        final long pristineRecords = PRISTINE_RECORDS.get(name);
        if (!result.damaged())
        {
            assertEquals(pristineRecords, exported, () -> "no damage reported, yet records are missing; " + flipped);
            for (final FamilyExport.ExportedFile file : files)
            {
                final Path twin = pristineExport.resolve(temp.resolve("export").relativize(file.path()));
                assertArrayEquals(Files.readAllBytes(twin), Files.readAllBytes(file.path()), () -> file + "; " + flipped);
            }
        }
        else
        {
            assertFalse(result.damage().isEmpty(), "damage is listed");
            assertTrue(exported <= pristineRecords, flipped);
        }
    }

    private static final Map<String, Long> PRISTINE_RECORDS = new HashMap<>();
    /** Per family, the written length of each cycle file of its recording, by file name. */
    private static final Map<String, Map<String, Long>> WRITTEN = new HashMap<>();

    private static synchronized Path pristine(final TelemetryFamily family) throws Exception
    {
        Path recording = PRISTINE.get(family.name());
        if (null == recording)
        {
            recording = recordings.resolve(family.name());
            FamilyRecordings.recordWorkload(family, recording, 17);
            final RecordingExport.Result result = RecordingExport.export(recording, recordings.resolve(family.name() + "-export"));
            assertFalse(result.damaged(), () -> "the undamaged recording: " + result.damage());
            PRISTINE_RECORDS.put(family.name(), result.records());
            final Map<String, Long> written = new HashMap<>();
            try (Stream<Path> files = Files.list(recording.resolve("queue")))
            {
                for (final Path file : files.filter(file -> file.toString().endsWith(".cq4")).collect(Collectors.toList()))
                {
                    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r"))
                    {
                        written.put(file.getFileName().toString(), writtenLength(raf));
                    }
                }
            }
            WRITTEN.put(family.name(), written);
            PRISTINE.put(family.name(), recording);
        }

        return recording;
    }

    /**
     * Flip {@code count} bytes, each at a random place in the written part of a random cycle file.
     *
     * @return what was flipped, for messages.
     */
    private static String flip(final Path recording, final Map<String, Long> writtenLengths, final Random random,
        final int count) throws IOException
    {
        final List<Path> cycleFiles;
        try (Stream<Path> files = Files.list(recording.resolve("queue")))
        {
            cycleFiles = files.filter(file -> file.toString().endsWith(".cq4")).sorted().collect(Collectors.toList());
        }
        assertFalse(cycleFiles.isEmpty(), "cycle files in " + recording);
        final StringBuilder flipped = new StringBuilder("flipped");
        for (int i = 0; i < count; i++)
        {
            final Path file = cycleFiles.get(random.nextInt(cycleFiles.size()));
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
            {
                final long written = writtenLengths.get(file.getFileName().toString());
                final long position = (long)(random.nextDouble() * written);
                final int mask = 1 + random.nextInt(255);
                raf.seek(position);
                final int value = raf.read();
                raf.seek(position);
                raf.write(value ^ mask);
                flipped.append(' ').append(file.getFileName()).append('@').append(position).append("^0x")
                    .append(Integer.toHexString(mask));
            }
        }

        return flipped.toString();
    }

    /**
     * @return the length of a cycle file up to its last byte that is not zero (the file is preallocated and sparse),
     * read once per family: copies keep it.
     */
    private static long writtenLength(final RandomAccessFile raf) throws IOException
    {
        final byte[] block = new byte[1 << 16];
        long lastNonZero = 0;
        long offset = 0;
        raf.seek(0);
        int read;
        while ((read = raf.read(block)) > 0)
        {
            for (int i = read - 1; i >= 0; i--)
            {
                if (block[i] != 0)
                {
                    lastNonZero = offset + i + 1;
                    break;
                }
            }
            offset += read;
        }

        return lastNonZero;
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> tree = Files.walk(from))
        {
            tree.forEach(source ->
            {
                try
                {
                    Files.copy(source, to.resolve(from.relativize(source).toString()));
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
    }
}
