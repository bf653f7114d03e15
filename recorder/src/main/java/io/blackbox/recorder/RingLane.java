package io.blackbox.recorder;

import org.agrona.BitUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.blackbox.codecs.layout.RecordingBatchDescriptor.PADDING_TYPE;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RECORD_ALIGNMENT;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RECORD_HEADER_LENGTH;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.recordLengthOffset;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.recordTypeOffset;
import static io.blackbox.codecs.layout.RingFileDescriptor.LANE_HEAD_POSITION_OFFSET;
import static io.blackbox.codecs.layout.RingFileDescriptor.LANE_TAIL_POSITION_OFFSET;
import static io.blackbox.codecs.layout.RingFileDescriptor.LANE_TRAILER_LENGTH;

/**
 * One lane of {@code ring.dat} ({@link io.blackbox.codecs.layout.RingFileDescriptor}): a single-producer,
 * single-consumer ring. The producer is the one writer that owns the lane, or, for the shared lane 0, whichever
 * thread holds {@link #lock()}; the consumer is the drainer.
 * <p>
 * Why not Agrona's {@code ManyToOneRingBuffer}, as before: its claim is a CAS on a shared tail, and its consumer
 * zeroes what it read so the next record's length reads 0 until committed. Measured on the benchmark VM, the CAS
 * waited for the record's stores to lines the drainer had just zeroed on the other core: ~28 ns of the emit. Here a
 * claim is plain stores into memory only this producer writes, and a commit is one ordered store of the tail.
 */
final class RingLane
{
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final int lane;
    private final long ringId;
    private final UnsafeBuffer buffer;
    private final int base;
    private final int capacity;
    private final int mask;
    private final int tailIndex;
    private final int headIndex;
    private final int maxRecordLength;
    private final AtomicBoolean locked;
    /** Absolute addresses (the file is mapped off-heap): the producer's stores are checked once, by the claim. */
    private final long dataAddress;
    private final long tailAddress;
    private final long headAddress;

    /** Only the owner (or the holder of the lock) touches it. Reloaded from the trailer on attach(). */
    private final ProducerState producer = new ProducerState();

    /**
     * @param buffer  the whole mapped file.
     * @param base    offset of the lane's data in {@code buffer}; its trailer follows the data.
     */
    RingLane(final int lane, final long ringId, final UnsafeBuffer buffer, final int base, final int capacity,
        final int maxRecordLength, final boolean shared)
    {
        this.lane = lane;
        this.ringId = ringId;
        this.buffer = buffer;
        this.base = base;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.tailIndex = base + capacity + LANE_TAIL_POSITION_OFFSET;
        this.headIndex = base + capacity + LANE_HEAD_POSITION_OFFSET;
        this.maxRecordLength = maxRecordLength;
        this.locked = shared ? new AtomicBoolean() : null;
        buffer.boundsCheck(base, capacity + LANE_TRAILER_LENGTH);
        if (buffer.byteArray() != null)
        {
            throw new IllegalArgumentException("a lane lives in a mapped file, not on the heap");
        }
        this.dataAddress = buffer.addressOffset() + base;
        this.tailAddress = buffer.addressOffset() + tailIndex;
        this.headAddress = buffer.addressOffset() + headIndex;
        attach();
    }

    /**
     * Take up producing where the trailer says the last producer stopped.
     */
    void attach()
    {
        producer.tail = buffer.getLongVolatile(tailIndex);
        producer.headCache = buffer.getLongVolatile(headIndex);
    }

    // ------------------------------------------------------------------ producer

    /**
     * Claim space for a record of {@code length} bytes (SBE message, record header excluded) at the tail.
     *
     * @return the index in the file's buffer to encode the message at, or -1 when the lane has no room. The record is
     * invisible to the drainer until {@link #commit()}.
     */
    int tryClaim(final int type, final int length)
    {
        final int recordLength = length + RECORD_HEADER_LENGTH;
        final int aligned = BitUtil.align(recordLength, RECORD_ALIGNMENT);
        final ProducerState producer = this.producer;
        final long tail = producer.tail;
        final int tailOffset = (int)tail & mask;
        final int toEnd = capacity - tailOffset;
        final int padding = aligned > toEnd ? toEnd : 0;
        final long end = tail + padding + aligned;
        if (end - producer.headCache > capacity)
        {
            producer.headCache = UnsafeApi.getLongVolatile(null, headAddress);
            if (end - producer.headCache > capacity)
            {
                return -1;
            }
        }

        // [tailOffset, tailOffset + padding + aligned) wraps to [0, aligned) when padded: inside the lane either way.
        int recordOffset = tailOffset;
        if (padding != 0)
        {
            UnsafeApi.putLong(null, dataAddress + recordOffset, recordHeader(padding, PADDING_TYPE));
            recordOffset = 0;
        }
        if (aligned != recordLength)
        {
            UnsafeApi.putLong(null, dataAddress + recordOffset + aligned - Long.BYTES, 0L); // alignment bytes are zero
        }
        UnsafeApi.putLong(null, dataAddress + recordOffset, recordHeader(recordLength, type));
        final int recordIndex = base + recordOffset;
        producer.claimedRecordIndex = recordIndex;
        producer.claimedTail = end;
        return recordIndex + RECORD_HEADER_LENGTH;
    }

    /**
     * Publish the claimed record (and the padding before it) to the drainer.
     */
    void commit()
    {
        final ProducerState producer = this.producer;
        final long end = producer.claimedTail;
        producer.tail = end;
        UnsafeApi.putLongRelease(null, tailAddress, end);
    }

    /**
     * Publish the claimed record as padding: its space is given back when the drainer passes it.
     */
    void abort()
    {
        buffer.putInt(recordTypeOffset(producer.claimedRecordIndex), PADDING_TYPE);
        commit();
    }

    /**
     * @return a record header (length, then type, little-endian) as one word in native order.
     */
    private static long recordHeader(final int length, final int type)
    {
        final long header = ((long)type << 32) | (length & 0xFFFF_FFFFL);
        return LITTLE_ENDIAN ? header : Long.reverseBytes(header);
    }

    /**
     * @return bytes the producer could still claim (the drainer may free more meanwhile).
     */
    int freeBytes()
    {
        return capacity - (int)(producer.tail - buffer.getLongVolatile(headIndex));
    }

    void lock()
    {
        while (!locked.compareAndSet(false, true))
        {
            for (int i = 0; i < 64 && locked.get(); i++)
            {
                Thread.onSpinWait();
            }
            if (locked.get())
            {
                Thread.yield(); // the holder may be descheduled: on 2 cores, spinning would keep it off the CPU
            }
        }
    }

    boolean tryLock()
    {
        return locked.compareAndSet(false, true);
    }

    void unlock()
    {
        locked.set(false);
    }

    // ------------------------------------------------------------------ drainer

    long headPosition()
    {
        return buffer.getLong(headIndex);
    }

    long tailPositionVolatile()
    {
        return buffer.getLongVolatile(tailIndex);
    }

    long headPositionVolatile()
    {
        return buffer.getLongVolatile(headIndex);
    }

    /**
     * Give the space up to {@code position} back to the producer.
     */
    void freeTo(final long position)
    {
        buffer.putLongOrdered(headIndex, position);
    }

    /**
     * Set both positions (recovery: an empty lane, positions kept monotonic).
     */
    void reset(final long position)
    {
        buffer.putLongOrdered(headIndex, position);
        buffer.putLongOrdered(tailIndex, position);
    }

    /**
     * @return the index in the file's buffer of ring position {@code position}.
     */
    int indexOf(final long position)
    {
        return base + ((int)position & mask);
    }

    // ------------------------------------------------------------------ both

    boolean isShared()
    {
        return locked != null;
    }

    boolean isDrained()
    {
        return buffer.getLongVolatile(headIndex) >= buffer.getLongVolatile(tailIndex);
    }

    int lane()
    {
        return lane;
    }

    long ringId()
    {
        return ringId;
    }

    int capacity()
    {
        return capacity;
    }

    /**
     * @return the longest SBE message this lane takes.
     */
    int maxRecordLength()
    {
        return maxRecordLength;
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * The producer's fields, padded to cache lines of their own: the drainer reads the lane's final fields every round,
     * and a producer store to a line it shares with them would fetch that line back from the drainer's core.
     */
    static final class ProducerState extends ProducerStateFields
    {
        @SuppressWarnings("unused")
        private long p10, p11, p12, p13, p14, p15, p16, p17;
    }

    abstract static class ProducerStateFields extends ProducerStatePadding
    {
        long tail;
        long headCache;
        long claimedTail;
        int claimedRecordIndex;
    }

    abstract static class ProducerStatePadding
    {
        @SuppressWarnings("unused")
        private long p00, p01, p02, p03, p04, p05, p06, p07;
    }
}
