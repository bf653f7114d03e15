package io.blackbox.tests.damage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import io.blackbox.exporter.RecordingExport;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.wire.Wires;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.blackbox.tests.damage.CycleFileLayout.*;
import static io.blackbox.tests.damage.DamagedRecording.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run batch that another lane's batch follows, every byte of it flipped in turn, its Chronicle excerpt header and
 * batch header included: whatever the flip, no record outside the damaged batch may be lost, and a loss is reported.
 * Built while a CI failure of {@code TruncatedAndFlippedRecordingTest} was read as flip case 57; it was case 56 (JUnit's
 * invocation [57]), a flipped excerpt length that ended exactly where a later excerpt begins, which one mask and one
 * byte rarely reach: {@code TruncatedAndFlippedRecordingTest#shouldReadTheBatchesALengthenedExcerptHeaderPassesOver}
 * builds that for every excerpt. This test keeps the single-flip sweep.
 * <p>
 * Two storage layouts: batches compressed where it pays (the default), and every batch stored coded without zstd,
 * as a lane does after an attempt that did not pay.
 */
class FlipNeighbourBatchTest
{
    /** The one mask of the sweep (one the random flips draw). */
    private static final int FLIP_MASK = 0x82;
    /** Records of run-3's batch in the CI failure, and of the {@code shared} batch after it. */
    private static final int RUN_BATCH_RECORDS = 17;
    private static final int SHARED_BATCH_RECORDS = 14;

    @TempDir
    Path temp;

    private int exports;

    @ParameterizedTest(name = "compressed batches: {0}")
    @ValueSource(booleans = {true, false})
    void shouldLoseNothingOutsideTheRunBatchHoldingAFlippedByte(final boolean compress) throws Exception
    {
        final Path recording = temp.resolve("recording");
        final SetTimeProvider queueTime = new SetTimeProvider(Instant.parse("2026-01-12T21:32:45Z"));
        long emittedRecords = 0;
        for (int session = 0; session < SESSIONS; session++)
        {
            final List<ObjectNode> emitted = new ArrayList<>();
            recordSession(recording, session, queueTime, emitted, context -> context.compressBatches(compress));
            emittedRecords += emitted.size();
            queueTime.advanceMillis(TimeUnit.SECONDS.toMillis(1));
        }
        final List<CycleFile> files = cycleFiles(recording);
        assertEquals(SESSIONS, files.size(), files::toString);
        final CycleFile file = files.get(SESSIONS - 1);
        final Path cycleFile = recording.resolve("queue").resolve(file.name());
        final Document damaged = runBatchBeforeAnotherLane(cycleFile, file);
        final String layout = "batches of " + file.name() + ": " + file.dataDocuments() + "\ndamaged: " + damaged;

        final Exported pristine = export(recording);
        assertEquals(List.of(), pristine.damage, layout);
        assertEquals(emittedRecords, pristine.lines.size(), "the undamaged recording exports every record\n" + layout);

        // What a flip in the batch's records costs, which the CRC catches: its own records and nothing else.
        final long recordsStart = damaged.offset() + Wires.SPB_HEADER_SIZE + RecordingBatchDescriptor.HEADER_LENGTH;
        final Exported withoutBatch = exportFlipped(recording, cycleFile, recordsStart);
        final Set<String> batchLines = new HashSet<>(pristine.lines);
        batchLines.removeAll(withoutBatch.lines);
        assertEquals(damaged.records(), batchLines.size(), () -> "a CRC failure costs its batch's records only: " +
            withoutBatch.damage + "\n" + layout);
        assertTrue(batchLines.stream().noneMatch(line -> line.contains("\"run_id\":\"shared\"")),
            () -> "the damaged batch is the run's: " + batchLines + "\n" + layout);
        final Set<String> mustRemain = new HashSet<>(withoutBatch.lines);

        for (long position = damaged.offset(); position < damaged.end(); position++)
        {
            final Exported flipped = exportFlipped(recording, cycleFile, position);
            final String what = file.name() + " offset " + position + " (byte " + (position - damaged.offset()) +
                " of the excerpt) ^ 0x" + Integer.toHexString(FLIP_MASK) + "\ndamage: " + flipped.damage + "\n" + layout;
            final Set<String> exported = new HashSet<>(flipped.lines);
            assertEquals(exported.size(), flipped.lines.size(), () -> "a line exported twice: " + what);
            assertTrue(pristine.lines.containsAll(exported), () -> "a line that was never recorded: " + what);
            final Set<String> lost = new HashSet<>(mustRemain);
            lost.removeAll(exported);
            assertEquals(Set.of(), lost, () -> "records outside the damaged batch lost: " + what);
            if (exported.size() < pristine.lines.size())
            {
                assertFalse(flipped.damage.isEmpty(), () -> "records lost without a damage line: " + what);
                assertTrue(flipped.damage.stream().anyMatch(line -> line.contains(file.name())),
                    () -> "names the damaged file: " + what);
            }
        }
    }

    /**
     * @return the last cycle file's run batch that a batch of another lane follows: the one of 17 records before the
     * 14 {@code shared} records when the drainer took that window whole, as in the CI failure, else the first.
     */
    private static Document runBatchBeforeAnotherLane(final Path cycleFile, final CycleFile file) throws IOException
    {
        final List<Document> family = file.dataDocuments().stream().filter(document -> !file.isControl(document))
            .collect(Collectors.toList());
        Document first = null;
        for (int i = 0; i + 1 < family.size(); i++)
        {
            final Document batch = family.get(i);
            final Document next = family.get(i + 1);
            if (batch.records() > 0 && next.records() > 0 && ringId(cycleFile, batch) != ringId(cycleFile, next))
            {
                if (batch.records() == RUN_BATCH_RECORDS && next.records() == SHARED_BATCH_RECORDS)
                {
                    return batch;
                }
                if (null == first)
                {
                    first = batch;
                }
            }
        }
        assertNotNull(first, () -> "no batch of one lane followed by another's: " + file.dataDocuments());
        return first;
    }

    private static long ringId(final Path cycleFile, final Document document) throws IOException
    {
        try (FileChannel channel = FileChannel.open(cycleFile))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(bytes, document.offset() + Wires.SPB_HEADER_SIZE + RecordingBatchDescriptor.RING_ID_OFFSET);
            return bytes.getLong(0);
        }
    }

    /**
     * Export with {@code position} of {@code cycleFile} flipped, then flip it back.
     */
    private Exported exportFlipped(final Path recording, final Path cycleFile, final long position) throws IOException
    {
        flip(cycleFile, position, FLIP_MASK);
        try
        {
            return export(recording);
        }
        finally
        {
            flip(cycleFile, position, FLIP_MASK);
        }
    }

    /**
     * What {@code blackbox export} does by default: as many threads as processors.
     */
    private Exported export(final Path recording) throws IOException
    {
        final Path root = temp.resolve("export-" + exports++);
        final RecordingExport.Result result =
            RecordingExport.export(recording, root, Runtime.getRuntime().availableProcessors(), records -> {});
        final List<String> lines = new ArrayList<>();
        final Path gradience = root.resolve("gradience");
        if (Files.isDirectory(gradience))
        {
            try (Stream<Path> runFiles = Files.list(gradience))
            {
                for (final Path runFile : runFiles.sorted().collect(Collectors.toList()))
                {
                    lines.addAll(Files.readAllLines(runFile));
                }
            }
        }
        assertEquals(result.records(), lines.size(), "the result counts the lines");
        try (Stream<Path> written = Files.walk(root))
        {
            for (final Path path : written.sorted(Comparator.reverseOrder()).collect(Collectors.toList()))
            {
                Files.delete(path);
            }
        }
        return new Exported(lines, result.damage());
    }

    private record Exported(List<String> lines, List<String> damage)
    {
    }
}
