package io.blackbox.recorder;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import io.blackbox.codecs.layout.BatchDeltaCodec;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import static io.blackbox.codecs.layout.RecordingBatchDescriptor.*;
import static org.agrona.concurrent.ringbuffer.RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET;
import static org.agrona.concurrent.ringbuffer.RingBufferDescriptor.HEAD_POSITION_OFFSET;
import static org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TAIL_POSITION_OFFSET;

/**
 * Consumer side of the ring: copies committed records, one contiguous range at a time, into one Chronicle
 * excerpt per batch ({@link io.blackbox.codecs.layout.RecordingBatchDescriptor}), then frees the range.
 * <p>
 * Reads the Agrona ring layout directly instead of {@code ManyToOneRingBuffer.read}: a batch is one memory
 * copy rather than one call per record, and the same code recovers a ring left by a process that died.
 * Only the drainer thread calls this class.
 */
final class RingDrainer
{
    /** {@link #drainBatch()}: committed records wait, the file system has no room for them. */
    static final int NO_ROOM = -1;

    /** Room asked for beyond a batch's ring bytes: its header, the excerpt's, and Chronicle's index pages. */
    private static final int BATCH_OVERHEAD_BYTES = 64 * 1024;

    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int headPositionIndex;
    private final int headCachePositionIndex;
    private final int tailPositionIndex;
    private final long ringId;
    private final int maxBatchBytes;
    private final ByteBuffer crcView;
    private final BatchDeltaCodec codec = new BatchDeltaCodec();
    private final UnsafeBuffer encoded;
    private final ByteBuffer encodedCrcView;
    private final CRC32C crc = new CRC32C();
    private final ExcerptAppender appender;
    private final StorageSpaceGuard spaceGuard;

    private long records;
    private long batches;
    private long bytes;

    RingDrainer(
        final RingFile ringFile, final ExcerptAppender appender, final int maxBatchBytes, final StorageSpaceGuard spaceGuard)
    {
        this.spaceGuard = spaceGuard;
        this.buffer = ringFile.ringBuffer();
        this.capacity = ringFile.ring().capacity();
        this.headPositionIndex = capacity + HEAD_POSITION_OFFSET;
        this.headCachePositionIndex = capacity + HEAD_CACHE_POSITION_OFFSET;
        this.tailPositionIndex = capacity + TAIL_POSITION_OFFSET;
        this.ringId = ringFile.ringId();
        this.maxBatchBytes = maxBatchBytes;
        this.appender = appender;
        this.crcView = buffer.byteBuffer().duplicate();
        this.encoded = new UnsafeBuffer(ByteBuffer.allocateDirect(BatchDeltaCodec.maxEncodedLength(maxBatchBytes)));
        this.encodedCrcView = encoded.byteBuffer().duplicate();
    }

    /**
     * Drain one batch: the committed records from the head up to the end of the ring data, the first record
     * that is not committed yet, or {@code maxBatchBytes}.
     *
     * @return the number of ring bytes drained, 0 when there was nothing committed, {@link #NO_ROOM} when there was
     * but the file system has no room for it (the records stay in the ring).
     */
    int drainBatch()
    {
        final long head = buffer.getLong(headPositionIndex);
        final int headIndex = (int)head & (capacity - 1);
        final int limit = Math.min(capacity - headIndex, maxBatchBytes);

        int length = 0;
        int count = 0;
        while (length < limit)
        {
            final int index = headIndex + length;
            final int recordLength = buffer.getIntVolatile(recordLengthOffset(index));
            if (recordLength <= 0)
            {
                break;
            }
            final int aligned = BitUtil.align(recordLength, RECORD_ALIGNMENT);
            if (aligned < 0 || aligned > capacity - index)
            {
                // cannot be a record of this ring (damaged file: a length near 2^31 aligns to a negative number);
                // recovery discards what cannot be framed
                break;
            }
            if (length > 0 && length + aligned > limit)
            {
                break;
            }
            length += aligned;
            if (buffer.getInt(recordTypeOffset(index)) != PADDING_TYPE)
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

        final int stored = append(head, headIndex, length, count);

        spaceGuard.wrote(stored + HEADER_LENGTH + Integer.BYTES);
        buffer.setMemory(headIndex, length, (byte)0);
        buffer.putLongOrdered(headPositionIndex, head + length);
        records += count;
        batches++;
        bytes += length;
        return length;
    }

    /**
     * @return bytes of records stored (after coding).
     */
    private int append(final long position, final int index, final int length, final int count)
    {
        int version = BATCH_VERSION_DELTA;
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
        if (encodedLength >= 0)
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
            out.writeInt(version);
            out.writeInt(length);
            out.writeLong(ringId);
            out.writeLong(position);
            out.writeInt(checksum);
            out.writeInt(count);
            out.unsafeWrite(address, storedLength);
        }
        return storedLength;
    }

    /**
     * Make a ring left by a process that died drainable: records that were claimed but never committed
     * (their emit never returned) become padding, and records this ring already wrote to the queue
     * ({@code drainedPosition}) are skipped, so each acknowledged record reaches the queue exactly once.
     *
     * @param drainedPosition ring position up to which the queue already holds this ring's records, or -1.
     * @return the number of torn records turned into padding.
     */
    int prepareRecovery(final long drainedPosition)
    {
        long head = buffer.getLong(headPositionIndex);
        final long tail = buffer.getLongVolatile(tailPositionIndex);
        if (drainedPosition > head && drainedPosition <= tail)
        {
            head = drainedPosition; // the skipped range is zeroed with the rest by resetAfterRecovery
            buffer.putLongOrdered(headPositionIndex, head);
        }

        int torn = 0;
        long position = head;
        while (position < tail)
        {
            final int index = (int)position & (capacity - 1);
            final int recordLength = buffer.getInt(recordLengthOffset(index));
            if (recordLength == 0)
            {
                // Claimed (the tail moved past it) but its header not yet written: the claiming thread stopped
                // between tryClaim's CAS and its header store. Its bytes are still zero (space is zeroed before it
                // is freed, and a body is written only after its header), so the next record begins at the first
                // non-zero aligned word before the tail. Records committed after it were acknowledged: keep them.
                final long next = nextWrittenPosition(position, tail);
                padUnwritten(position, next);
                torn++;
                position = next;
                continue;
            }
            if (recordLength < -capacity || recordLength > capacity)
            {
                break; // damaged file: its length is unknown, so nothing after it can be framed
            }
            if (recordLength < 0)
            {
                buffer.putInt(recordTypeOffset(index), PADDING_TYPE);
                buffer.putInt(recordLengthOffset(index), -recordLength);
                torn++;
            }
            position += BitUtil.align(Math.abs(recordLength), RECORD_ALIGNMENT);
        }
        return torn;
    }

    private long nextWrittenPosition(final long from, final long tail)
    {
        long position = from + RECORD_ALIGNMENT;
        while (position < tail && buffer.getLong((int)position & (capacity - 1)) == 0)
        {
            position += RECORD_ALIGNMENT;
        }
        return position;
    }

    /**
     * Turn the unwritten ring range [from, to) into padding records, one per lap of the ring it touches.
     */
    private void padUnwritten(final long from, final long to)
    {
        long position = from;
        while (position < to)
        {
            final int index = (int)position & (capacity - 1);
            final int length = (int)Math.min(to - position, capacity - index);
            buffer.putInt(recordTypeOffset(index), PADDING_TYPE);
            buffer.putInt(recordLengthOffset(index), length);
            position += length;
        }
    }

    /**
     * After a recovery drain: discard anything still between head and tail (it cannot be framed), zero the whole
     * ring (producers rely on zeroed memory beyond the tail) and make it empty, keeping positions monotonic so the
     * queue's record of drained positions stays valid.
     *
     * @return bytes discarded.
     */
    long resetAfterRecovery()
    {
        final long head = buffer.getLong(headPositionIndex);
        final long tail = buffer.getLongVolatile(tailPositionIndex);
        buffer.setMemory(0, capacity, (byte)0);
        buffer.putLongOrdered(headCachePositionIndex, tail);
        buffer.putLongOrdered(headPositionIndex, tail);
        return Math.max(0, tail - head);
    }

    /**
     * @return bytes between head and tail: records (and padding) not yet in the queue.
     */
    long undrainedBytes()
    {
        return Math.max(0, buffer.getLongVolatile(tailPositionIndex) - buffer.getLongVolatile(headPositionIndex));
    }

    StorageSpaceGuard spaceGuard()
    {
        return spaceGuard;
    }

    boolean isEmpty()
    {
        return buffer.getLongVolatile(headPositionIndex) >= buffer.getLongVolatile(tailPositionIndex);
    }

    /**
     * @return records drained so far, padding excluded.
     */
    long records()
    {
        return records;
    }

    long batches()
    {
        return batches;
    }

    long bytes()
    {
        return bytes;
    }
}
