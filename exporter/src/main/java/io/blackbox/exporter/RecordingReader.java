package io.blackbox.exporter;

import io.blackbox.codecs.DropReportDecoder;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.codecs.SessionStartDecoder;
import io.blackbox.codecs.StringDefinitionDecoder;
import io.blackbox.codecs.layout.BatchDeltaCodec;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.recorder.ChronicleSettings;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static io.blackbox.codecs.layout.RecordingBatchDescriptor.*;

/**
 * Reads a recording's queue from the start: checks each batch, frames its records, resolves the session's
 * symbols and recording-control records itself, and hands every family record to a {@link RecordHandler}.
 * <p>
 * A damaged batch (bad version, impossible length, CRC mismatch) or record is skipped and described in
 * {@link #damage()}; reading goes on with the next batch. Works while a recorder is still writing.
 */
public final class RecordingReader implements AutoCloseable
{
    static
    {
        ChronicleSettings.apply(); // before any Chronicle class loads
    }

    /**
     * Receives each family record. The buffer is valid only during the call.
     */
    @FunctionalInterface
    public interface RecordHandler
    {
        /**
         * @param templateId SBE template id.
         * @param buffer     holding the record.
         * @param offset     of the SBE message header.
         * @param length     of the SBE message, header included.
         * @param symbols    the session's symbols.
         */
        void onRecord(int templateId, DirectBuffer buffer, int offset, int length, Symbols symbols);
    }

    private final Path directory;
    private final ChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final Symbols symbols = new Symbols();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final StringDefinitionDecoder stringDefinitionDecoder = new StringDefinitionDecoder();
    private final DropReportDecoder dropReportDecoder = new DropReportDecoder();
    private final ExpandableDirectByteBuffer batch = new ExpandableDirectByteBuffer(1 << 20);
    private final ExpandableDirectByteBuffer encoded = new ExpandableDirectByteBuffer(1 << 20);
    private final BatchDeltaCodec deltaCodec = new BatchDeltaCodec();
    private final UnsafeBuffer excerptView = new UnsafeBuffer(0, 0);
    private final CRC32C crc = new CRC32C();
    private final List<String> damage = new ArrayList<>();

    private long records;
    private long excerptBytes;
    private long batches;
    private long sessions;
    private long droppedInSession;
    private long droppedBeforeSession;

    private RecordingReader(final Path directory, final ChronicleQueue queue)
    {
        this.directory = directory;
        this.queue = queue;
        this.tailer = queue.createTailer();
    }

    /**
     * @throws RecordingException when {@code directory} is not a recording.
     */
    public static RecordingReader open(final Path directory)
    {
        if (!Files.exists(directory))
        {
            throw new RecordingException(directory + ": no such recording directory");
        }
        if (!Files.isDirectory(directory))
        {
            throw new RecordingException(directory + ": not a directory");
        }
        final Path queueDirectory = directory.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY);
        if (!Files.isDirectory(queueDirectory))
        {
            throw new RecordingException(directory + ": not a recording (no " + RecordingDirectoryLayout.QUEUE_DIRECTORY +
                "/ directory)");
        }
        final ChronicleQueue queue = SingleChronicleQueueBuilder.binary(queueDirectory).readOnly(true).build();
        return new RecordingReader(directory, queue);
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * Read every batch from where the last call stopped to the current end of the queue.
     *
     * @return the number of family records handed to {@code handler}.
     */
    public long read(final RecordHandler handler)
    {
        final long before = records;
        while (true)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    break;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                final long remaining = bytes.readRemaining();
                if (remaining > Integer.MAX_VALUE)
                {
                    damage.add(where(dc.index()) + ": excerpt of " + remaining + " bytes is too long, skipped");
                    continue;
                }
                excerptBytes += remaining;
                excerptView.wrap(bytes.addressForRead(bytes.readPosition()), (int)remaining);
                readBatch(dc.index(), excerptView, handler);
            }
        }
        return records - before;
    }

    private void readBatch(final long excerptIndex, final UnsafeBuffer excerpt, final RecordHandler handler)
    {
        final int excerptLength = excerpt.capacity();
        if (excerptLength < HEADER_LENGTH)
        {
            damage.add(where(excerptIndex) + ": excerpt of " + excerptLength + " bytes is shorter than a batch header, skipped");
            return;
        }
        final int version = excerpt.getInt(BATCH_VERSION_OFFSET);
        final int recordsLength = excerpt.getInt(RECORDS_LENGTH_OFFSET);
        if (version != BATCH_VERSION && version != BATCH_VERSION_DELTA)
        {
            damage.add(where(excerptIndex) + ": unknown batch version " + version + ", skipped");
            return;
        }
        final int payloadLength = excerptLength - HEADER_LENGTH;
        if (recordsLength < 0 || (version == BATCH_VERSION && recordsLength != payloadLength))
        {
            damage.add(where(excerptIndex) + ": records length " + recordsLength + " does not match the excerpt (" +
                payloadLength + " bytes), skipped");
            return;
        }

        final ExpandableDirectByteBuffer payload = version == BATCH_VERSION ? batch : encoded;
        payload.checkLimit(payloadLength);
        payload.putBytes(0, excerpt, HEADER_LENGTH, payloadLength);
        final ByteBuffer view = payload.byteBuffer();
        view.limit(payloadLength).position(0);
        crc.reset();
        crc.update(view);
        if ((int)crc.getValue() != excerpt.getInt(CRC_OFFSET))
        {
            damage.add(where(excerptIndex) + ": CRC mismatch over " + payloadLength + " bytes of records, batch skipped");
            return;
        }
        int batchLength = payloadLength;
        if (version == BATCH_VERSION_DELTA)
        {
            // Padding is not stored, so Records Length (ring bytes) may be far more than the records decode to; a coded
            // record decodes to at most 8 bytes per stored byte, and the header is outside the CRC: bound by that.
            final int decodedCapacity = (int)Math.min(recordsLength, 8L * payloadLength + RECORD_ALIGNMENT);
            batch.checkLimit(decodedCapacity);
            try
            {
                batchLength = deltaCodec.decode(encoded, 0, payloadLength, batch, 0, decodedCapacity);
            }
            catch (final IllegalArgumentException ex)
            {
                damage.add(where(excerptIndex) + ": " + ex.getMessage() + ", batch skipped");
                return;
            }
        }
        batches++;
        readRecords(excerptIndex, batchLength, handler);
    }

    private void readRecords(final long excerptIndex, final int recordsLength, final RecordHandler handler)
    {
        int offset = 0;
        while (offset < recordsLength)
        {
            if (recordsLength - offset < RECORD_HEADER_LENGTH)
            {
                damage.add(where(excerptIndex) + " offset " + offset + ": truncated record header, rest of batch skipped");
                return;
            }
            final int recordLength = batch.getInt(recordLengthOffset(offset));
            final int type = batch.getInt(recordTypeOffset(offset));
            if (recordLength < RECORD_HEADER_LENGTH || recordLength > recordsLength - offset)
            {
                damage.add(where(excerptIndex) + " offset " + offset + ": record length " + recordLength +
                    " out of bounds, rest of batch skipped");
                return;
            }
            if (type != PADDING_TYPE)
            {
                readRecord(excerptIndex, offset, type, recordLength - RECORD_HEADER_LENGTH, handler);
            }
            offset += BitUtil.align(recordLength, RECORD_ALIGNMENT);
        }
    }

    private void readRecord(
        final long excerptIndex, final int recordOffset, final int type, final int messageLength, final RecordHandler handler)
    {
        final int offset = recordMessageOffset(recordOffset);
        if (messageLength < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            damage.add(where(excerptIndex) + " offset " + recordOffset + ": record shorter than its message header, skipped");
            return;
        }
        headerDecoder.wrap(batch, offset);
        final int templateId = headerDecoder.templateId();
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID || templateId != type)
        {
            damage.add(where(excerptIndex) + " offset " + recordOffset + ": record of schema " + headerDecoder.schemaId() +
                " template " + templateId + " does not match its frame, skipped");
            return;
        }
        try
        {
            switch (templateId)
            {
                case SessionStartDecoder.TEMPLATE_ID:
                    symbols.clear();
                    sessions++;
                    droppedBeforeSession += droppedInSession;
                    droppedInSession = 0;
                    break;

                case StringDefinitionDecoder.TEMPLATE_ID:
                    stringDefinitionDecoder.wrapAndApplyHeader(batch, offset, headerDecoder);
                    final int symbol = stringDefinitionDecoder.symbol();
                    symbols.define(symbol, stringDefinitionDecoder.value());
                    break;

                case DropReportDecoder.TEMPLATE_ID:
                    dropReportDecoder.wrapAndApplyHeader(batch, offset, headerDecoder);
                    droppedInSession = Math.max(droppedInSession, dropReportDecoder.droppedTotal());
                    break;

                default:
                    records++;
                    handler.onRecord(templateId, batch, offset, messageLength, symbols);
            }
        }
        catch (final RecordingException ex)
        {
            damage.add(where(excerptIndex) + " offset " + recordOffset + ": " + ex.getMessage() + ", skipped");
        }
        catch (final IndexOutOfBoundsException ex)
        {
            damage.add(where(excerptIndex) + " offset " + recordOffset + ": template " + templateId +
                " runs past its record, skipped");
        }
    }

    private String where(final long excerptIndex)
    {
        return directory.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY) + " excerpt 0x" + Long.toHexString(excerptIndex);
    }

    /**
     * @return family records read so far.
     */
    public long records()
    {
        return records;
    }

    /**
     * @return bytes of queue excerpts read (batch headers and records): the recording's data, without the queue
     * files' preallocated space.
     */
    public long excerptBytes()
    {
        return excerptBytes;
    }

    public long batches()
    {
        return batches;
    }

    public long sessions()
    {
        return sessions;
    }

    /**
     * @return records the recorder dropped (reported by drop reports), over all sessions read so far.
     */
    public long droppedRecords()
    {
        return droppedBeforeSession + droppedInSession;
    }

    /**
     * @return one line per damaged batch or record skipped, naming the queue excerpt and offset.
     */
    public List<String> damage()
    {
        return damage;
    }

    public void close()
    {
        tailer.close();
        queue.close();
    }
}
