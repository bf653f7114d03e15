package io.blackbox.tests.fuzz;

import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.FamilyExports;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.RingRecords;
import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.recorder.ChronicleSettings;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static io.blackbox.codecs.layout.RecordingBatchDescriptor.BATCH_VERSION;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.BATCH_VERSION_OFFSET;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.CRC_OFFSET;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.HEADER_LENGTH;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RECORDS_LENGTH_OFFSET;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RECORD_ALIGNMENT;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RECORD_COUNT_OFFSET;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RECORD_HEADER_LENGTH;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RING_ID_OFFSET;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RING_POSITION_OFFSET;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.recordLengthOffset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real recording queue that the decoder fuzz tests append batches to, read back with the real
 * {@link RecordingReader} and export with every registered family ({@link FamilyExports}), checking the decoder's
 * contract after each input:
 * <ul>
 *     <li>nothing escapes: the reader reports what does not decode as damage, and any exception fails the target;</li>
 *     <li>every record the reader hands on is exported once (a line, or part of a document's entry: a Clamp anchor's
 *         lock and release are one), and every exported file reads back as its family's records without a problem
 *         ({@link TelemetryFamily#exportedRecords}): no half-written or malformed record;</li>
 *     <li>each damage line the input caused says where: the file and offset.</li>
 * </ul>
 * Each input is read after a preamble batch (a session start, then symbols 0 to {@link #SYMBOL_COUNT} - 1
 * defined), so inputs do not depend on one another and a record's symbols resolve.
 */
final class FuzzedRecording implements AutoCloseable
{
    /**
     * Symbols the preamble defines, 0 to this - 1: a real recorder numbers its symbols from 1.
     */
    static final int SYMBOL_COUNT = 64;

    // Names for the low symbols that a decoder must cope with as run ids and keys; the rest are "key-N".
    private static final String[] SYMBOL_NAMES = {
        "run-0", "run-1", "train", "test", "grad_norm", "tokens_seen", "lora_audit", "", "../escape", ".", "a/b",
        "\u00e9 \u20ac \uD83D\uDE00", "tab\tnewline\nescape\u001b", "x".repeat(300) };

    // A fresh queue now and then bounds its file and the reader's damage list (it keeps at most 1000 lines).
    private static final int INPUTS_PER_QUEUE = 200;
    private static final long RING_ID = 0x5EEDL;

    static
    {
        ChronicleSettings.apply(); // before any Chronicle class loads
    }

    private final Path directory;
    private final byte[] preamble;
    private final CRC32C crc = new CRC32C();
    private Path recording;
    private ChronicleQueue queue;
    private ExcerptAppender appender;
    private RecordingReader reader;
    /** {@code print}'s text form, which reads each record's outline and every field: fuzzed beside the export. */
    private io.blackbox.exporter.RecordPrinter printer;
    private long ringPosition;
    private int inputs;
    private int queues;

    private FuzzedRecording(final Path directory)
    {
        this.directory = directory;
        this.preamble = preambleRecords();
    }

    /**
     * A recording in a new temporary directory, deleted by {@link #close()}.
     *
     * @return the recording.
     */
    static FuzzedRecording create()
    {
        try
        {
            final FuzzedRecording recording = new FuzzedRecording(Files.createTempDirectory("blackbox-fuzz-"));
            recording.openQueue();
            // Once, empty, before any input: every class the check uses is loaded before Jazzer starts fuzzing (in
            // fuzzing mode a class loaded first inside the target failed to load once).
            assertEquals(new Outcome(0, List.of()), recording.readAndCheck());
            return recording;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Frame an SBE message as the ring frames it: length (header included), type, the message, zero padding.
     *
     * @param type    the record type, the template id for a real record.
     * @param message the SBE message.
     * @return the ring record.
     */
    static byte[] frame(final int type, final byte[] message)
    {
        return new RingRecords().record(type, message).toByteArray();
    }

    /**
     * The template id an SBE message's header names, or -1 when it is too short to have one.
     *
     * @param message the message.
     * @return the template id.
     */
    static int templateIdOf(final byte[] message)
    {
        if (message.length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return -1;
        }
        return new MessageHeaderDecoder().wrap(new UnsafeBuffer(message), 0).templateId();
    }

    /**
     * Append the preamble and then {@code records} (ring records) as one version 1 batch with a valid CRC.
     *
     * @param records ring records, framed or not.
     */
    void appendRecordsAfterPreamble(final byte[] records)
    {
        appendBatch(concat(preamble, records));
    }

    /**
     * Append the preamble as a batch of its own, then {@code records} (ring records) as a version 1 batch with a
     * valid CRC, whatever they hold.
     *
     * @param records the records part of the batch.
     */
    void appendBatchAfterPreamble(final byte[] records)
    {
        appendBatch(preamble);
        appendBatch(records);
    }

    /**
     * Append the preamble as a batch of its own, then {@code excerpt} as an excerpt: a batch header and payload
     * exactly as given but for the CRC, which is made to match the payload so that what lies past it is reached.
     *
     * @param excerpt the excerpt.
     */
    void appendExcerptAfterPreamble(final byte[] excerpt)
    {
        appendBatch(preamble);
        final byte[] copy = excerpt.clone();
        if (copy.length >= HEADER_LENGTH)
        {
            crc.reset();
            crc.update(copy, HEADER_LENGTH, copy.length - HEADER_LENGTH);
            new UnsafeBuffer(copy).putInt(CRC_OFFSET, (int)crc.getValue());
        }
        appendExcerpt(copy);
    }

    /**
     * What reading one input gave.
     *
     * @param lines  lines exported.
     * @param damage damage lines the input caused.
     */
    record Outcome(long lines, List<String> damage)
    {
    }

    /**
     * Read what was appended since the last call with the real reader, export it with the real families into a
     * scratch directory, and check the contract.
     *
     * @return what the input gave.
     */
    Outcome readAndCheck()
    {
        final long recordsBefore = reader.records();
        final long damageBefore = reader.damageCount();
        final int damageLinesBefore = reader.damage().size();
        final Path root = directory.resolve("export");
        final FamilyExports families = new FamilyExports(root, false);
        long lines = 0;
        try
        {
            reader.read(new RecordingReader.RecordHandler()
            {
                public void onRecord(final int templateId, final org.agrona.DirectBuffer buffer, final int offset,
                    final int length, final io.blackbox.exporter.Symbols symbols)
                {
                    // print and summary --recording read the same record: its outline, and every field by the
                    // schema's IR. They may find it damaged, as the export would; nothing else may escape them.
                    try
                    {
                        printer.onRecord(templateId, buffer, offset, length, symbols);
                    }
                    catch (final io.blackbox.exporter.RecordingException | IndexOutOfBoundsException damaged)
                    {
                        // the reader's damage for the export; the printer and the summary skip it the same way
                    }
                    families.onRecord(templateId, buffer, offset, length, symbols);
                }

                public void onSessionStart(final RecordingReader.Session session)
                {
                    families.onSessionStart(session);
                }

                public void onSessionEnd(final RecordingReader.Session session)
                {
                    families.onSessionEnd(session);
                }
            });

            for (final Map.Entry<String, List<FamilyExport.ExportedFile>> family : families.commit().entrySet())
            {
                for (final FamilyExport.ExportedFile file : family.getValue())
                {
                    checkExportedFile(TelemetryFamilies.byName(family.getKey()), file);
                    lines += file.sourceRecords();
                }
            }
            final long exported = lines;
            assertEquals(reader.records() - recordsBefore - families.unknownRecords(), exported,
                () -> "every record decoded is exported as one line; damage: " +
                    reader.damage().subList(damageLinesBefore, reader.damage().size()));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            families.close();
            deleteTree(root);
        }

        final List<String> damage = List.copyOf(reader.damage().subList(damageLinesBefore, reader.damage().size()));
        for (final String line : damage)
        {
            assertTrue(line.contains(" offset "), () -> "damage names its position: " + line);
        }
        assertTrue(reader.damageCount() >= damageBefore + damage.size());

        if (++inputs % INPUTS_PER_QUEUE == 0)
        {
            closeQueue();
            openQueue();
        }

        return new Outcome(lines, damage);
    }

    /**
     * @return damaged parts the reader found so far, those folded into an earlier line of the same reason included
     * (an {@link Outcome}'s damage lists only the lines).
     */
    long damageCount()
    {
        return reader.damageCount();
    }

    @Override
    public void close()
    {
        closeQueue();
        deleteTree(directory);
    }

    private static void checkExportedFile(final TelemetryFamily family, final FamilyExport.ExportedFile file)
    {
        final long read = family.exportedRecords(file.path()).size(); // throws when it does not read back cleanly
        assertEquals(file.records(), read, () -> "every record of " + file.path() + " is one of its records");
    }

    private void appendBatch(final byte[] records)
    {
        final UnsafeBuffer recordsBuffer = new UnsafeBuffer(records);
        int count = 0;
        for (int offset = 0; offset + RECORD_HEADER_LENGTH <= records.length; )
        {
            final int length = recordsBuffer.getInt(recordLengthOffset(offset));
            count++;
            if (length < RECORD_HEADER_LENGTH)
            {
                break;
            }
            offset += BitUtil.align(length, RECORD_ALIGNMENT);
        }
        crc.reset();
        crc.update(records);

        final UnsafeBuffer excerpt = new UnsafeBuffer(new byte[HEADER_LENGTH + records.length]);
        excerpt.putInt(BATCH_VERSION_OFFSET, BATCH_VERSION);
        excerpt.putInt(RECORDS_LENGTH_OFFSET, records.length);
        excerpt.putLong(RING_ID_OFFSET, RING_ID);
        excerpt.putLong(RING_POSITION_OFFSET, ringPosition);
        excerpt.putInt(CRC_OFFSET, (int)crc.getValue());
        excerpt.putInt(RECORD_COUNT_OFFSET, count);
        excerpt.putBytes(HEADER_LENGTH, records);
        ringPosition += records.length;
        appendExcerpt(excerpt.byteArray());
    }

    private void appendExcerpt(final byte[] excerpt)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> out = dc.wire().bytes();
            out.write(excerpt);
        }
    }

    private void openQueue()
    {
        recording = directory.resolve("recording-" + queues++);
        queue = SingleChronicleQueueBuilder.binary(recording.resolve("queue")).rollCycle(RollCycles.FAST_DAILY).build();
        appender = queue.createAppender();
        reader = RecordingReader.open(recording);
        printer = new io.blackbox.exporter.RecordPrinter(recording, new io.blackbox.exporter.RecordPrinter.Filter(null,
            null, null), false, line -> { });
    }

    private void closeQueue()
    {
        reader.close();
        appender.close();
        queue.close();
        deleteTree(recording);
    }

    /**
     * A session start, then a definition of each symbol, as ring records.
     */
    private static byte[] preambleRecords()
    {
        final RingRecords records = new RingRecords().sessionStart(1_768_253_565_118_277_000L, 1, RING_ID, "fuzz");
        for (int symbol = 0; symbol < SYMBOL_COUNT; symbol++)
        {
            records.define(symbol, symbol < SYMBOL_NAMES.length ? SYMBOL_NAMES[symbol] : "key-" + symbol);
        }
        return records.toByteArray();
    }

    private static byte[] concat(final byte[] first, final byte[] second)
    {
        final byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    static void deleteTree(final Path root)
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> tree = Files.walk(root))
        {
            for (final Path path : tree.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
