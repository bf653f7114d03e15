package io.blackbox.exporter;

import io.blackbox.codecs.DropReportDecoder;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.codecs.SessionStartDecoder;
import io.blackbox.codecs.StringDefinitionDecoder;
import io.blackbox.codecs.layout.BatchDeltaCodec;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.Long2LongHashMap;
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
 * Damage is skipped and described in {@link #damage()}, each line naming the file and byte offset (and, inside a
 * batch, the record): a cycle file cut short or with a damaged excerpt header (reading resumes at the next good batch,
 * see {@link QueueReader}), a damaged batch (bad version, impossible length, CRC mismatch), a record that does not
 * decode (its handler throws a {@link RecordingException}, or reads past the record). Reading never writes to the
 * recording. Works while a recorder is still writing ({@link #read}); {@link #readAll} reads a closed recording.
 */
public final class RecordingReader implements AutoCloseable
{
    /**
     * Damage lines kept; past this only {@link #damageCount()} grows (a lost symbol definition can make every later
     * record of its session undecodable).
     */
    public static final int MAX_DAMAGE_LINES = 1000;

    /** Template ids are ranged by family and stay small; a larger number in a damaged batch is not one. */
    private static final int MAX_PLAUSIBLE_TEMPLATE_ID = 1000;
    /** {@code SessionStart}'s block before schema version 2 added the rank fields: timestamp, pid, ring id. */
    private static final int SESSION_START_BLOCK_LENGTH_V1 = 24;
    /** Bytes of a damaged batch's records in which its first record's SBE header must start, framed or coded. */
    private static final int FIRST_HEADER_SEARCH = 24;

    /**
     * Receives each family record. The buffer is valid only during the call and holds this record only, so reading
     * past its end throws. A handler refuses a record that does not decode by throwing a {@link RecordingException}
     * naming the field; either way the record is reported as damage and reading goes on.
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

        /**
         * A recorder session begins: the records after this call, up to {@link #onSessionEnd}, were written by it.
         * A session whose {@code SessionStart} was lost to damage gets no call; its records follow the previous
         * session's.
         *
         * @param session the session.
         */
        default void onSessionStart(final Session session)
        {
        }

        /**
         * A session ends: the next one begins, or the recording is read to its end ({@link #readAll}).
         *
         * @param session the session {@link #onSessionStart} gave.
         */
        default void onSessionEnd(final Session session)
        {
        }
    }

    /**
     * One recorder session, as its {@code SessionStart} record says.
     *
     * @param number         1 for the first session read, then counting up.
     * @param timestampNanos when it began, in epoch nanoseconds; 0 when the record's block is too short to say.
     * @param pid            the recording process, 0 when not known.
     * @param host           the recording host, empty when not known.
     * @param rank           the process's rank in a distributed job, {@link #NO_RANK} when the recorder was given
     *                       none (or wrote a version of the record without it).
     * @param worldSize      the job's processes, {@link #NO_RANK} exactly when {@code rank} is.
     * @param localRank      the process's rank on its host, {@link #NO_RANK} when not given.
     */
    public record Session(long number, long timestampNanos, long pid, String host, int rank, int worldSize,
        int localRank)
    {
        public static final int NO_RANK = -1;

        public Session(final long number, final long timestampNanos, final long pid, final String host)
        {
            this(number, timestampNanos, pid, host, NO_RANK, NO_RANK, NO_RANK);
        }

        /**
         * @return whether the recorder placed this session in a distributed job.
         */
        public boolean hasRank()
        {
            return rank != NO_RANK;
        }
    }

    private final Path directory;
    private final QueueReader queue;
    private final QueueReader.ExcerptHandler excerptHandler = this::onExcerpt;
    private final UnsafeBuffer recordView = new UnsafeBuffer(0, 0);
    private final Long2LongHashMap drainedEnds = new Long2LongHashMap(-1);
    private final List<String> warnings = new ArrayList<>();
    private final Symbols symbols = new Symbols();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final StringDefinitionDecoder stringDefinitionDecoder = new StringDefinitionDecoder();
    private final DropReportDecoder dropReportDecoder = new DropReportDecoder();
    private final SessionStartDecoder sessionStartDecoder = new SessionStartDecoder();
    private final ExpandableDirectByteBuffer batch = new ExpandableDirectByteBuffer(1 << 20);
    private final ExpandableDirectByteBuffer encoded = new ExpandableDirectByteBuffer(1 << 20);
    /** A version 5 batch's zstd frame as stored (checked against its CRC before it is decompressed into encoded). */
    private final ExpandableDirectByteBuffer compressed = new ExpandableDirectByteBuffer(1 << 16);
    /** Made at the first compressed batch: a recording without one loads no native library. */
    private ZstdDecompressCtx zstd;
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
    private RecordHandler handler;
    private Session session;
    private Path excerptFile;
    private long excerptRingPosition;
    private long damageCount;
    private String lastDamageReason;
    private String lastDamageWhere;
    private long lastDamageRepeats;
    private int lastDamageIndex = -1;
    /** A damaged batch that may have begun a session: its file and offset, until the next good batch is read. */
    private Path forgetSymbolsFile;
    private long forgetSymbolsOffset;

    private RecordingReader(final Path directory)
    {
        this.directory = directory;
        final Path queueDirectory = QueueReader.queueDirectory(directory);
        this.queue = new QueueReader(queueDirectory, this::addDamage);
        if (!Files.exists(QueueReader.metadataFile(queueDirectory)))
        {
            warnings.add(QueueReader.metadataFile(queueDirectory) + " is missing: not needed to export; a recorder " +
                "opening the recording writes a new one");
        }
        final String metadataProblem = QueueReader.checkMetadata(queueDirectory);
        if (metadataProblem != null)
        {
            addDamage(metadataProblem + "; not needed to export, but a recorder cannot open the recording until the " +
                "file is moved aside (a new one is then written)");
        }
    }

    /**
     * Open a recording to read, without writing anything to it.
     *
     * @throws RecordingException when {@code directory} is not a recording.
     */
    public static RecordingReader open(final Path directory)
    {
        requireRecording(directory);
        return new RecordingReader(directory);
    }

    /**
     * @throws RecordingException naming what is wrong when {@code directory} is not a recording directory.
     */
    public static void requireRecording(final Path directory)
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
    }

    /**
     * @return null, or what is wrong with the queue's {@code metadata.cq4t} (Chronicle's table store): a recorder
     * cannot open the recording while it is damaged.
     */
    public static String queueMetadataProblem(final Path directory)
    {
        return QueueReader.checkMetadata(QueueReader.queueDirectory(directory));
    }

    /**
     * @return the first session of {@code recording}, null when it has none (it is empty, or its start is damaged).
     * @throws RecordingException when {@code recording} is not a recording.
     */
    public static Session firstSession(final Path recording)
    {
        final Session[] first = new Session[1];
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            reader.readAll(new RecordHandler()
            {
                public void onRecord(final int templateId, final DirectBuffer buffer, final int offset,
                    final int length, final Symbols symbols)
                {
                    if (null != first[0])
                    {
                        throw FirstSessionRead.INSTANCE;
                    }
                }

                public void onSessionStart(final Session session)
                {
                    if (null != first[0])
                    {
                        throw FirstSessionRead.INSTANCE;
                    }
                    first[0] = session;
                }
            });
        }
        catch (final FirstSessionRead ignored)
        {
            // the rest of the recording is read by its export
        }
        return first[0];
    }

    /**
     * Stops the read of a recording once its first session is known.
     */
    private static final class FirstSessionRead extends RuntimeException
    {
        static final FirstSessionRead INSTANCE = new FirstSessionRead();

        private FirstSessionRead()
        {
            super(null, null, false, false);
        }
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * Read every batch from where the last call stopped to the current end of the queue, while a recorder may still
     * be writing: reading stops where the writer is.
     *
     * @return the number of family records handed to {@code handler}.
     */
    public long read(final RecordHandler handler)
    {
        return read(handler, false);
    }

    /**
     * Read every batch from where the last call stopped, the recording being closed: the end of the last cycle file
     * is checked for damage like the end of any other.
     *
     * @return the number of family records handed to {@code handler}.
     */
    public long readAll(final RecordHandler handler)
    {
        final long read = read(handler, true);
        endSession(handler);
        if (queue.cycleFiles() == 0)
        {
            addDamage(QueueReader.queueDirectory(directory) + ": no cycle files (*.cq4), nothing recorded");
        }
        return read;
    }

    /**
     * Nothing more will be read: the session read last ends ({@link RecordHandler#onSessionEnd}). {@link #readAll}
     * does this; a caller that stops reading a recording still being written ({@code export --follow}, interrupted)
     * calls it.
     */
    public void endSession(final RecordHandler handler)
    {
        if (null != session)
        {
            final Session ended = session;
            session = null;
            handler.onSessionEnd(ended);
        }
    }

    private long read(final RecordHandler handler, final boolean closed)
    {
        final long before = records;
        this.handler = handler;
        try
        {
            queue.read(excerptHandler, closed);
        }
        finally
        {
            this.handler = null;
        }
        return records - before;
    }

    private void onExcerpt(final Path file, final long excerptOffset, final DirectBuffer buffer, final int offset,
        final int length)
    {
        excerptFile = file;
        excerptRingPosition = -1;
        excerptBytes += length;
        excerptView.wrap(buffer, offset, length);
        readBatch(excerptOffset, excerptView, handler);
    }

    private void readBatch(final long excerptOffset, final UnsafeBuffer excerpt, final RecordHandler handler)
    {
        final int excerptLength = excerpt.capacity();
        if (excerptLength < HEADER_LENGTH)
        {
            addDamage(where(excerptOffset) + ": excerpt of " + excerptLength + " bytes is shorter than a batch header, skipped");
            return;
        }
        final int version = excerpt.getInt(BATCH_VERSION_OFFSET);
        final int recordsLength = excerpt.getInt(RECORDS_LENGTH_OFFSET);
        if (version != BATCH_VERSION && !isDeltaCoded(version))
        {
            addDamage(where(excerptOffset) + ": unknown batch version " + version + ", skipped" +
                forgetSymbolsIfSessionStartUnderDamagedHeader(excerptOffset, excerpt, version));
            return;
        }
        final int payloadLength = excerptLength - HEADER_LENGTH;
        // Records Length counts ring padding, which a coded batch does not store (a batch of padding only stores
        // nothing), so in a coded batch it can be any size: it bounds nothing here.
        if (recordsLength < 0 || (version == BATCH_VERSION && recordsLength != payloadLength))
        {
            addDamage(where(excerptOffset) + ": records length " + recordsLength + " does not match the excerpt (" +
                payloadLength + " bytes), skipped" +
                forgetSymbolsIfSessionStartUnderDamagedHeader(excerptOffset, excerpt, version));
            return;
        }

        final ExpandableDirectByteBuffer payload = version == BATCH_VERSION ? batch : isCompressed(version) ? compressed : encoded;
        payload.checkLimit(payloadLength);
        payload.putBytes(0, excerpt, HEADER_LENGTH, payloadLength);
        final ByteBuffer view = payload.byteBuffer();
        view.limit(payloadLength).position(0);
        crc.reset();
        crc.update(view);
        if ((int)crc.getValue() != excerpt.getInt(CRC_OFFSET))
        {
            addDamage(where(excerptOffset) + ": CRC mismatch over " + payloadLength + " bytes of records, batch skipped" +
                forgetSymbolsIfSessionStart(excerptOffset, excerpt, version));
            return;
        }
        int batchLength = payloadLength;
        int codedLength = payloadLength;
        if (isCompressed(version))
        {
            try
            {
                codedLength = decompress(payloadLength, recordsLength);
            }
            catch (final RecordingException ex)
            {
                addDamage(where(excerptOffset) + ": " + ex.getMessage() + ", batch skipped");
                return;
            }
        }
        if (isDeltaCoded(version))
        {
            // Decoded records (padding left out) take at most Records Length bytes. The header is outside the CRC, so
            // that bound is not an allocation to make up front: the buffer grows as records decode, and the records
            // passed the CRC.
            try
            {
                batchLength = deltaCodec.decode(encoded, 0, codedLength, batch, 0, recordsLength);
            }
            catch (final IllegalArgumentException ex)
            {
                addDamage(where(excerptOffset) + ": " + ex.getMessage() + ", batch skipped");
                return;
            }
        }
        batches++;
        if (forgetSymbolsFile != null)
        {
            if (!(forgetSymbolsFile.equals(excerptFile) && forgetSymbolsOffset == excerptOffset))
            {
                symbols.clear();
            }
            forgetSymbolsFile = null;
        }
        excerptRingPosition = excerpt.getLong(RING_POSITION_OFFSET);
        final long ringId = excerpt.getLong(RING_ID_OFFSET);
        final long drainedEnd = excerptRingPosition + recordsLength;
        if (drainedEnd > drainedEnds.get(ringId))
        {
            drainedEnds.put(ringId, drainedEnd);
        }
        readRecords(excerptOffset, batchLength, handler);
    }

    /**
     * A batch header that does not hold together: either a real batch whose header alone was damaged, and then the CRC
     * over its records still holds, or bytes that only look like an excerpt (after a damaged length in the queue file),
     * which say nothing about sessions.
     */
    private String forgetSymbolsIfSessionStartUnderDamagedHeader(
        final long excerptOffset, final UnsafeBuffer excerpt, final int version)
    {
        final ByteBuffer stored = excerpt.byteBuffer().duplicate();
        final int start = excerpt.wrapAdjustment() + HEADER_LENGTH;
        stored.limit(excerpt.wrapAdjustment() + excerpt.capacity()).position(start);
        crc.reset();
        crc.update(stored);
        return (int)crc.getValue() == excerpt.getInt(CRC_OFFSET) ?
            forgetSymbolsIfSessionStart(excerptOffset, excerpt, version) : "";
    }

    /**
     * A damaged batch that began a session took the session's symbol definitions with it, and the records after it
     * would otherwise be named with the symbols of the session before: wrong run ids, wrong keys. Its first record
     * tells: the frame's type and the SBE header both name the template, so a damaged byte leaves one of them (the
     * header is also looked for among the first bytes, in case the damage is in the framing before it). When the batch
     * began a session, or when nothing can be read, the symbols are forgotten: records after it that use them are
     * skipped as damage until the next session start.
     *
     * @return what to add to the damage line.
     */
    private String forgetSymbolsIfSessionStart(final long excerptOffset, final UnsafeBuffer excerpt, final int version)
    {
        final int payloadLength = excerpt.capacity() - HEADER_LENGTH;
        if (payloadLength <= 0)
        {
            return ""; // no record stored: padding only
        }
        boolean sessionStart = false;
        boolean otherRecord = false;
        if (!isDeltaCoded(version) && payloadLength >= RECORD_HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH)
        {
            final int type = excerpt.getInt(HEADER_LENGTH + recordTypeOffset(0));
            headerDecoder.wrap(excerpt, HEADER_LENGTH + recordMessageOffset(0));
            final int template = headerDecoder.templateId();
            sessionStart = type == SessionStartDecoder.TEMPLATE_ID || template == SessionStartDecoder.TEMPLATE_ID;
            otherRecord = isOtherTemplate(type) || isOtherTemplate(template);
        }
        if (version != BATCH_VERSION && !sessionStart && !otherRecord)
        {
            // Decode as far as the damage allows: the first record comes out whole unless the damage is in it. A
            // damaged zstd frame decompresses to nothing, and then nothing can be read.
            batch.setMemory(0, RECORD_HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH, (byte)0);
            try
            {
                int codedLength = payloadLength;
                if (isCompressed(version))
                {
                    compressed.checkLimit(payloadLength);
                    compressed.putBytes(0, excerpt, HEADER_LENGTH, payloadLength);
                    codedLength = decompress(payloadLength, excerpt.getInt(RECORDS_LENGTH_OFFSET));
                }
                else
                {
                    encoded.checkLimit(payloadLength);
                    encoded.putBytes(0, excerpt, HEADER_LENGTH, payloadLength);
                }
                deltaCodec.decode(encoded, 0, codedLength, batch, 0, batch.capacity());
            }
            catch (final RecordingException | IllegalArgumentException | IndexOutOfBoundsException ex)
            {
                // what was decoded before the damage is all there is
            }
            final int type = batch.getInt(recordTypeOffset(0));
            headerDecoder.wrap(batch, recordMessageOffset(0));
            final int template = headerDecoder.templateId();
            sessionStart = type == SessionStartDecoder.TEMPLATE_ID || template == SessionStartDecoder.TEMPLATE_ID;
            otherRecord = isOtherTemplate(type) || isOtherTemplate(template);
        }
        for (int offset = 0; offset <= FIRST_HEADER_SEARCH - MessageHeaderDecoder.ENCODED_LENGTH &&
            offset + MessageHeaderDecoder.ENCODED_LENGTH <= payloadLength; offset++)
        {
            headerDecoder.wrap(excerpt, HEADER_LENGTH + offset);
            if (headerDecoder.schemaId() == MessageHeaderDecoder.SCHEMA_ID &&
                headerDecoder.version() <= MessageHeaderDecoder.SCHEMA_VERSION)
            {
                sessionStart |= headerDecoder.templateId() == SessionStartDecoder.TEMPLATE_ID;
                otherRecord |= isOtherTemplate(headerDecoder.templateId());
            }
        }
        if (!sessionStart && otherRecord)
        {
            return "";
        }
        // Forgotten when the next good batch is read, unless that is this batch after all (its excerpt header was what
        // was damaged, and the queue reader found it whole): no record is read in between.
        forgetSymbolsFile = excerptFile;
        forgetSymbolsOffset = excerptOffset;
        return sessionStart ?
            "; it began a session: records after it that use the session's symbols are skipped until the next session" :
            "; its first record cannot be read, so it may have begun a session: records after it that use earlier " +
            "symbols are skipped until the next session";
    }

    /**
     * The session a {@code SessionStart} record in {@link #recordView} begins. What its fields say matters less than
     * the session boundary itself, so a record too short for them still begins a session, with what could be read.
     */
    private Session session(final int messageLength)
    {
        long timestamp = 0;
        long pid = 0;
        String host = "";
        int rank = Session.NO_RANK;
        int worldSize = Session.NO_RANK;
        int localRank = Session.NO_RANK;
        final int blockLength = headerDecoder.blockLength();
        if (blockLength >= SESSION_START_BLOCK_LENGTH_V1 &&
            messageLength >= MessageHeaderDecoder.ENCODED_LENGTH + blockLength)
        {
            sessionStartDecoder.wrapAndApplyHeader(recordView, 0, headerDecoder);
            timestamp = sessionStartDecoder.timestamp();
            pid = sessionStartDecoder.pid();
            // A version 2 writer's fields; an older record (or a block too short for them) reads as null.
            if (blockLength >= SessionStartDecoder.BLOCK_LENGTH)
            {
                final int recordedRank = sessionStartDecoder.rank();
                final int recordedWorldSize = sessionStartDecoder.worldSize();
                if (recordedRank >= 0 && recordedWorldSize > recordedRank)
                {
                    rank = recordedRank;
                    worldSize = recordedWorldSize;
                    final int recordedLocalRank = sessionStartDecoder.localRank();
                    localRank = recordedLocalRank >= 0 ? recordedLocalRank : Session.NO_RANK;
                }
            }
            final int afterBlock = messageLength - sessionStartDecoder.limit();
            if (afterBlock >= SessionStartDecoder.hostHeaderLength() &&
                (sessionStartDecoder.hostLength() & 0xFFFF_FFFFL) <= afterBlock - SessionStartDecoder.hostHeaderLength())
            {
                host = sessionStartDecoder.host();
            }
        }

        return new Session(sessions, timestamp, pid, host, rank, worldSize, localRank);
    }

    /**
     * @return whether {@code templateId} can be a record other than a session start (template ids are small).
     */
    private static boolean isOtherTemplate(final int templateId)
    {
        return templateId > SessionStartDecoder.TEMPLATE_ID && templateId <= MAX_PLAUSIBLE_TEMPLATE_ID;
    }

    private void readRecords(final long excerptOffset, final int recordsLength, final RecordHandler handler)
    {
        int offset = 0;
        while (offset < recordsLength)
        {
            if (recordsLength - offset < RECORD_HEADER_LENGTH)
            {
                addDamage(whereRecord(excerptOffset, offset) + ": truncated record header, rest of batch skipped");
                return;
            }
            final int recordLength = batch.getInt(recordLengthOffset(offset));
            final int type = batch.getInt(recordTypeOffset(offset));
            if (recordLength < RECORD_HEADER_LENGTH || recordLength > recordsLength - offset)
            {
                addDamage(whereRecord(excerptOffset, offset) + ": record length " + recordLength +
                    " out of bounds, rest of batch skipped");
                return;
            }
            if (type != PADDING_TYPE)
            {
                readRecord(excerptOffset, offset, type, recordLength - RECORD_HEADER_LENGTH, handler);
            }
            offset += BitUtil.align(recordLength, RECORD_ALIGNMENT);
        }
    }

    private void readRecord(
        final long excerptOffset, final int recordOffset, final int type, final int messageLength, final RecordHandler handler)
    {
        if (messageLength < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            addDamage(whereRecord(excerptOffset, recordOffset) + ": record shorter than its message header, skipped");
            return;
        }
        // The record alone: a decoder that trusts a damaged length reads past it and fails, never into the next one.
        recordView.wrap(batch, recordMessageOffset(recordOffset), messageLength);
        headerDecoder.wrap(recordView, 0);
        final int templateId = headerDecoder.templateId();
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID || templateId != type)
        {
            addDamage(whereRecord(excerptOffset, recordOffset) + ": record of schema " + headerDecoder.schemaId() +
                " template " + templateId + " does not match its frame (type " + type + "), skipped");
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
                    if (null != session)
                    {
                        handler.onSessionEnd(session);
                    }
                    session = session(messageLength);
                    handler.onSessionStart(session);
                    break;

                case StringDefinitionDecoder.TEMPLATE_ID:
                    stringDefinitionDecoder.wrapAndApplyHeader(recordView, 0, headerDecoder);
                    final int symbol = stringDefinitionDecoder.symbol();
                    final long valueLength = stringDefinitionDecoder.valueLength() & 0xFFFF_FFFFL;
                    if (valueLength > messageLength - stringDefinitionDecoder.limit() -
                        StringDefinitionDecoder.valueHeaderLength())
                    {
                        throw new RecordingException("string definition of symbol " + symbol + ": value length " +
                            valueLength + " runs past the record");
                    }
                    symbols.define(symbol, stringDefinitionDecoder.value());
                    break;

                case DropReportDecoder.TEMPLATE_ID:
                    dropReportDecoder.wrapAndApplyHeader(recordView, 0, headerDecoder);
                    droppedInSession = Math.max(droppedInSession, dropReportDecoder.droppedTotal());
                    break;

                default:
                    handler.onRecord(templateId, recordView, 0, messageLength, symbols);
                    records++;
            }
        }
        catch (final RecordingException ex)
        {
            addRecordDamage(whereRecord(excerptOffset, recordOffset), ex.getMessage());
        }
        catch (final IndexOutOfBoundsException ex)
        {
            addRecordDamage(whereRecord(excerptOffset, recordOffset), "template " + templateId + " runs past its record (" +
                messageLength + " bytes)");
        }
    }

    /**
     * Decompress the zstd frame in {@code compressed} into {@code encoded}. The frame passed the CRC, but its declared
     * size is still held to what Records Length allows before anything is allocated for it.
     *
     * @return bytes of coding in {@code encoded}.
     * @throws RecordingException naming what does not hold.
     */
    private int decompress(final int frameLength, final int recordsLength)
    {
        if (null == zstd)
        {
            zstd = new ZstdDecompressCtx();
        }
        // zstd-jni checks ranges against each ByteBuffer's limit, which the CRC's pass left where it stopped
        final ByteBuffer source = compressed.byteBuffer().clear();
        final long contentSize = Zstd.getDirectByteBufferFrameContentSize(source, 0, frameLength);
        // BatchDeltaCodec.maxEncodedLength, in long: a damaged Records Length near 2^31 must not wrap
        final long limit = recordsLength < 0 ? 0 : recordsLength + (recordsLength / RECORD_ALIGNMENT) * 4L + 16;
        if (contentSize < 0 || contentSize > limit)
        {
            throw new RecordingException("zstd frame of " + frameLength + " bytes " + (contentSize < 0 ?
                "declares no content size" :
                "declares " + contentSize + " bytes, more than " + limit + " for " + recordsLength + " ring bytes"));
        }
        encoded.checkLimit((int)contentSize);
        try
        {
            final int length = zstd.decompressDirectByteBuffer(
                encoded.byteBuffer().clear(), 0, (int)contentSize, source, 0, frameLength);
            if (length != contentSize)
            {
                throw new RecordingException("zstd frame of " + frameLength + " bytes decompresses to " + length +
                    " bytes, not the " + contentSize + " it declares");
            }
            return length;
        }
        catch (final ZstdException ex)
        {
            throw new RecordingException("zstd frame of " + frameLength + " bytes does not decompress: " +
                ex.getMessage());
        }
    }

    private String where(final long excerptOffset)
    {
        return excerptFile + " offset " + excerptOffset;
    }

    private String whereRecord(final long excerptOffset, final int recordOffset)
    {
        return where(excerptOffset) + " (batch from ring position " + excerptRingPosition + "), record at offset " +
            recordOffset + " of the batch's records";
    }

    private void addDamage(final String line)
    {
        lastDamageReason = null;
        damageCount++;
        if (damage.size() < MAX_DAMAGE_LINES)
        {
            damage.add(line);
        }
    }

    /**
     * Damage to one record. The same problem in a row of records (a symbol whose definition was lost) makes one line.
     */
    private void addRecordDamage(final String where, final String reason)
    {
        if (reason.equals(lastDamageReason) && lastDamageIndex >= 0)
        {
            lastDamageRepeats++;
            damageCount++;
            damage.set(lastDamageIndex, lastDamageWhere + ": " + reason + ", skipped; so were " + lastDamageRepeats +
                " more records up to " + where);
            return;
        }
        final int index = damage.size();
        addDamage(where + ": " + reason + ", skipped");
        lastDamageIndex = damage.size() > index ? index : -1;
        lastDamageReason = reason;
        lastDamageWhere = where;
        lastDamageRepeats = 0;
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
     * @return one line per damaged part skipped (a run of records with the same problem makes one line), naming the
     * file and byte offset; at most {@link #MAX_DAMAGE_LINES}.
     */
    public List<String> damage()
    {
        return damage;
    }

    /**
     * @return damaged parts found, including records folded into one line and lines past {@link #MAX_DAMAGE_LINES}.
     */
    public long damageCount()
    {
        return damageCount;
    }

    /**
     * @return one line per thing the user should know that is not damage (nothing was skipped because of it).
     */
    public List<String> warnings()
    {
        return warnings;
    }

    /**
     * What the recording's {@code ring.dat} holds beyond the batches read so far: records a process committed and
     * did not drain before it died. Read-only: {@code Recorder.open} (or {@code blackbox recover}) drains them.
     *
     * @return null when the recording has no ring file.
     */
    public RingBacklog ringBacklog()
    {
        return RingBacklog.inspect(directory.resolve(RecordingDirectoryLayout.RING_FILE), drainedEnds);
    }

    public void close()
    {
        queue.close();
        if (null != zstd)
        {
            zstd.close();
        }
    }
}
