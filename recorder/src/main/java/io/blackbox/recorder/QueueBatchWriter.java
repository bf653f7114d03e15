package io.blackbox.recorder;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import io.blackbox.codecs.layout.BatchDeltaCodec;
import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import static io.blackbox.codecs.layout.RecordingBatchDescriptor.*;

/**
 * Writes a lane's committed records to the queue: one contiguous range at a time, delta-coded into one Chronicle
 * excerpt per batch ({@link io.blackbox.codecs.layout.RecordingBatchDescriptor}), then frees the range. The drainer
 * ({@link RingDrainer}) decides which lane and how far, recovery ({@link RingRecovery}) too before the drainer starts.
 * <p>
 * A coded batch of at least {@link #COMPRESS_MIN_BYTES} is then compressed with zstd at the recorder's level, and the
 * compressed form is stored when it saves at least an eighth (batch version 5). The delta coder leaves what it cannot
 * predict: text (agent payloads, Esper's strings) and the changing bytes of floats; zstd takes what repeats among
 * those. Each batch is its own zstd frame, so damage still costs one batch. A lane whose batch did not compress
 * (random bytes: noise in every float) has its next {@link #COMPRESS_BACKOFF_BATCHES} batches stored as coded
 * without trying, so data that does not compress costs the drainer a sixteenth of the attempts.
 * <p>
 * Only one thread at a time calls this class: recovery on the opening thread, then the drainer's.
 */
final class QueueBatchWriter implements AutoCloseable
{
    /** Coded bytes below which a batch is stored as coded: a frame's header and a few records gain little. */
    static final int COMPRESS_MIN_BYTES = 512;
    /** Batches of a lane stored without trying after an attempt that did not save enough. */
    static final int COMPRESS_BACKOFF_BATCHES = 16;

    /** {@link #drainBatch}: committed records wait, the file system has no room for them. */
    static final int NO_ROOM = -1;

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /** Room asked for beyond a batch's ring bytes: its header, the excerpt's, and Chronicle's index pages. */
    private static final int BATCH_OVERHEAD_BYTES = 64 * 1024;

    private final UnsafeBuffer buffer;
    private final RingLane[] lanes;
    private final int maxBatchBytes;
    private final ByteBuffer crcView;
    private final BatchDeltaCodec codec = new BatchDeltaCodec();
    private final UnsafeBuffer encoded;
    private final ByteBuffer encodedCrcView;
    /** Null when batches are not compressed. */
    private final ZstdCompressCtx zstd;
    private final UnsafeBuffer compressed;
    private final ByteBuffer compressedCrcView;
    /** By lane: batches to store before compression is tried again. */
    private final int[] skipCompression;
    private final CRC32C crc = new CRC32C();
    /** The batch header, laid out by RecordingBatchDescriptor and copied into the excerpt ahead of the records. */
    private final UnsafeBuffer batchHeader = new UnsafeBuffer(ByteBuffer.allocateDirect(HEADER_LENGTH));
    private final ExcerptAppender appender;
    private final StorageSpaceGuard spaceGuard;

    private final Consumer<String> warnings;

    private long records;
    private long storedBytes;
    private long discardedBytes;

    QueueBatchWriter(final RingFile ringFile, final ExcerptAppender appender, final int maxBatchBytes,
        final int compressionLevel, final StorageSpaceGuard spaceGuard, final Consumer<String> warnings)
    {
        this.warnings = warnings;
        this.spaceGuard = spaceGuard;
        this.buffer = ringFile.buffer();
        this.lanes = ringFile.lanes();
        this.maxBatchBytes = maxBatchBytes;
        this.appender = appender;
        this.crcView = buffer.byteBuffer().duplicate();
        this.encoded = new UnsafeBuffer(ByteBuffer.allocateDirect(BatchDeltaCodec.maxEncodedLength(maxBatchBytes)));
        this.encodedCrcView = encoded.byteBuffer().duplicate();
        int laneIds = 0;
        for (final RingLane lane : lanes)
        {
            laneIds = Math.max(laneIds, lane.lane() + 1);
        }
        this.skipCompression = new int[laneIds];
        if (compressionLevel != Recorder.Context.NO_COMPRESSION)
        {
            zstd = new ZstdCompressCtx().setLevel(compressionLevel).setChecksum(false).setContentSize(true);
            compressed = new UnsafeBuffer(ByteBuffer.allocateDirect(
                (int)Zstd.compressBound(BatchDeltaCodec.maxEncodedLength(maxBatchBytes))));
            compressedCrcView = compressed.byteBuffer().duplicate();
        }
        else
        {
            zstd = null;
            compressed = null;
            compressedCrcView = null;
        }
    }

    /**
     * Committed bytes that are not a record can only come from a writer used by two threads at once (two producers
     * on one lane) or from something else writing the mapped file: without this, the lane would never drain and
     * its writer would wait forever. Skip to the tail, count the bytes, say so.
     */
    void discardUnframed(final RingLane lane, final long tail)
    {
        final long head = lane.headPosition();
        lane.freeTo(tail);
        discardedBytes += tail - head;
        warnings.accept("lane " + lane.lane() + " of the ring holds " + (tail - head) + " committed bytes at position " +
            head + " that are not records (is one writer or emitter used by two threads at once?); discarded, " +
            discardedBytes + " bytes so far");
    }

    /**
     * Drain one batch of {@code lane}: its records from the head up to {@code tail}, the end of the lane's data, a
     * record that cannot be framed, or {@code maxBatchBytes}.
     *
     * @return ring bytes drained, 0 when there is nothing committed or the first record cannot be framed,
     * {@link #NO_ROOM} when the file system has no room for the batch.
     */
    int drainBatch(final RingLane lane, final long tail)
    {
        final long head = lane.headPosition();
        if (head >= tail)
        {
            return 0;
        }
        final int headIndex = lane.indexOf(head);
        final int toEnd = lane.capacity() - (int)(head & (lane.capacity() - 1));
        final long available = Math.min(tail - head, toEnd);
        final int limit = (int)Math.min(available, maxBatchBytes);

        // The lane's range [headIndex, headIndex + available) is inside the mapped file by construction, and each
        // header is read inside it: one unchecked 8-byte read per record (length, then type), not two checked ones.
        final long address = buffer.addressOffset() + headIndex;
        int length = 0;
        int count = 0;
        while (length < available)
        {
            final long header = UnsafeApi.getLong(address + length);
            final int recordLength = (int)(LITTLE_ENDIAN ? header : Long.reverseBytes(header));
            final int type = (int)((LITTLE_ENDIAN ? header : Long.reverseBytes(header)) >>> 32);
            final int aligned = alignedRecordLength(recordLength, available - length);
            if (aligned < 0)
            {
                // cannot be a record of this lane (a damaged file: a length near 2^31 aligns to a negative number);
                // recovery discards what cannot be framed
                break;
            }
            if (length > 0 && length + aligned > limit)
            {
                break;
            }
            length += aligned;
            if (type != PADDING_TYPE)
            {
                count++;
            }
        }
        if (length == 0)
        {
            return 0;
        }
        if (!spaceGuard.hasRoomFor(BatchDeltaCodec.maxEncodedLength(length) + BATCH_OVERHEAD_BYTES))
        {
            return NO_ROOM;
        }

        final int stored = append(lane.lane(), lane.ringId(), head, headIndex, length, count);

        final int batchBytes = HEADER_LENGTH + stored;
        spaceGuard.wrote(batchBytes + Integer.BYTES); // and the excerpt's header
        storedBytes += batchBytes;
        lane.freeTo(head + length);
        records += count;
        return length;
    }

    /**
     * @return bytes of records stored (after coding).
     */
    private int append(
        final int laneId, final long ringId, final long position, final int index, final int length, final int count)
    {
        int version = BATCH_VERSION_PREDICTED;
        int encodedLength;
        try
        {
            encodedLength = codec.encode(buffer, index, length, encoded, 0);
        }
        catch (final IllegalArgumentException ex)
        {
            encodedLength = -1; // a record this ring cannot frame (a damaged file in recovery): store the bytes as they are
        }
        final long address;
        final int storedLength;
        int compressedLength = -1;
        if (encodedLength >= COMPRESS_MIN_BYTES && null != zstd)
        {
            if (skipCompression[laneId] > 0)
            {
                skipCompression[laneId]--;
            }
            else
            {
                final int frameLength = zstd.compressDirectByteBuffer(
                    compressed.byteBuffer(), 0, compressed.capacity(), encoded.byteBuffer(), 0, encodedLength);
                final boolean saves = frameLength <= encodedLength - (encodedLength >> 3);
                skipCompression[laneId] = saves ? 0 : COMPRESS_BACKOFF_BATCHES;
                compressedLength = saves ? frameLength : -1;
            }
        }
        if (compressedLength >= 0)
        {
            version = BATCH_VERSION_COMPRESSED;
            compressedCrcView.limit(compressedLength).position(0);
            crc.reset();
            crc.update(compressedCrcView);
            address = compressed.addressOffset();
            storedLength = compressedLength;
        }
        else if (encodedLength >= 0)
        {
            encodedCrcView.limit(encodedLength).position(0);
            crc.reset();
            crc.update(encodedCrcView);
            address = encoded.addressOffset();
            storedLength = encodedLength;
        }
        else
        {
            version = BATCH_VERSION;
            final int viewOffset = buffer.wrapAdjustment();
            crcView.limit(viewOffset + index + length).position(viewOffset + index);
            crc.reset();
            crc.update(crcView);
            address = buffer.addressOffset() + index;
            storedLength = length;
        }
        final int checksum = (int)crc.getValue();

        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> out = dc.wire().bytes();
            RecordingBatchDescriptor.putHeader(batchHeader, 0, version, length, ringId, position, checksum, count);
            out.unsafeWrite(batchHeader.addressOffset(), HEADER_LENGTH);
            out.unsafeWrite(address, storedLength);
        }
        return storedLength;
    }

    /**
     * @return bytes between head and tail: records (and padding) not yet in the queue.
     */
    long undrainedBytes()
    {
        long undrained = 0;
        for (final RingLane lane : lanes)
        {
            undrained += Math.max(0, lane.tailPositionVolatile() - lane.headPositionVolatile());
        }
        return undrained;
    }

    /**
     * Free the compressor's native memory; the drainer calls it last.
     */
    public void close()
    {
        if (null != zstd)
        {
            zstd.close();
        }
    }

    StorageSpaceGuard spaceGuard()
    {
        return spaceGuard;
    }

    /**
     * @return records drained so far, padding excluded.
     */
    long records()
    {
        return records;
    }

    /**
     * @return bytes of batches appended to the queue so far: batch headers and stored (coded) records.
     */
    long storedBytes()
    {
        return storedBytes;
    }
}
