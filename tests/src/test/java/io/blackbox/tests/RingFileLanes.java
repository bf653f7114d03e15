package io.blackbox.tests;

import io.blackbox.codecs.layout.RingFileDescriptor;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.blackbox.codecs.layout.RecordingBatchDescriptor.PADDING_TYPE;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RECORD_ALIGNMENT;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RECORD_HEADER_LENGTH;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.recordLengthOffset;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.recordTypeOffset;
import static io.blackbox.codecs.layout.RingFileDescriptor.LANE_HEAD_POSITION_OFFSET;
import static io.blackbox.codecs.layout.RingFileDescriptor.LANE_TAIL_POSITION_OFFSET;

/**
 * The lanes of a mapped ring file ({@link RingFileDescriptor}), found from its header, for tests that write into a
 * lane by hand the way its producer does: a claim writes the record header at the tail's index (after a padding record
 * to the lane's end when the record does not fit before it), the message follows, and a commit moves the tail past
 * the record with one ordered store. What a claim wrote stays invisible (beyond the tail) until its commit.
 * <p>
 * The test's own reading of the layout, on purpose not the recorder's code.
 */
public final class RingFileLanes
{
    /**
     * A claimed record: its header at {@code recordIndex} of the file, its message at {@code messageIndex};
     * {@code padding} bytes of padding record before it (to the lane's end), 0 when it fitted; {@code end} is the
     * lane's tail once it is committed.
     */
    public record Claim(int lane, int recordIndex, int messageIndex, int padding, long end)
    {
    }

    private final UnsafeBuffer file;
    private final int laneCount;
    private final int sharedCapacity;
    private final int ownCapacity;

    /**
     * @param file the whole ring file, mapped (or read) from offset 0.
     */
    public RingFileLanes(final UnsafeBuffer file)
    {
        this.file = file;
        final int capacity = file.getInt(RingFileDescriptor.RING_CAPACITY_OFFSET);
        this.laneCount = file.getInt(RingFileDescriptor.LANE_COUNT_OFFSET);
        this.sharedCapacity = file.getInt(RingFileDescriptor.SHARED_LANE_CAPACITY_OFFSET);
        this.ownCapacity = RingFileDescriptor.ownLaneCapacity(capacity, laneCount, sharedCapacity);
        if (file.capacity() != RingFileDescriptor.fileLength(capacity, laneCount))
        {
            throw new IllegalStateException("a ring file of capacity " + capacity + " and " + laneCount +
                " lanes is " + RingFileDescriptor.fileLength(capacity, laneCount) + " bytes, not " + file.capacity());
        }
    }

    /**
     * @return the lanes of a copy of {@code ringFile} read into memory: the file is not mapped, so never changed.
     */
    public static RingFileLanes read(final Path ringFile) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(ringFile);
        final ByteBuffer file = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
        file.put(bytes).flip();
        return new RingFileLanes(new UnsafeBuffer(file));
    }

    /**
     * @return lanes, the shared lane 0 included.
     */
    public int laneCount()
    {
        return laneCount;
    }

    public int capacity(final int lane)
    {
        return lane == 0 ? sharedCapacity : ownCapacity;
    }

    /**
     * @return the offset in the file of the lane's data.
     */
    public int offset(final int lane)
    {
        return (int)RingFileDescriptor.laneOffset(lane, sharedCapacity, ownCapacity);
    }

    /**
     * @return the offset in the file of the lane's trailer (its positions), right after its data.
     */
    public int trailer(final int lane)
    {
        return offset(lane) + capacity(lane);
    }

    public long tail(final int lane)
    {
        return file.getLongVolatile(trailer(lane) + LANE_TAIL_POSITION_OFFSET);
    }

    public long head(final int lane)
    {
        return file.getLongVolatile(trailer(lane) + LANE_HEAD_POSITION_OFFSET);
    }

    /**
     * @return the offset in the file of ring position {@code position} of the lane.
     */
    public int indexOf(final int lane, final long position)
    {
        return offset(lane) + (int)(position & (capacity(lane) - 1));
    }

    /**
     * @return the lane whose data holds file offset {@code index}, or -1.
     */
    public int laneOf(final int index)
    {
        for (int lane = 0; lane < laneCount; lane++)
        {
            if (index >= offset(lane) && index < offset(lane) + capacity(lane))
            {
                return lane;
            }
        }
        return -1;
    }

    /**
     * Claim a record of a {@code length}-byte message of {@code type} at the lane's tail, as its producer does.
     *
     * @return the claim, or null when the lane has no room for it (the drainer has not freed enough).
     */
    public Claim claim(final int lane, final int type, final int length)
    {
        final int capacity = capacity(lane);
        final int recordLength = length + RECORD_HEADER_LENGTH;
        final int aligned = BitUtil.align(recordLength, RECORD_ALIGNMENT);
        final long tail = tail(lane);
        final int toEnd = capacity - (int)(tail & (capacity - 1));
        final int padding = aligned > toEnd ? toEnd : 0;
        final long end = tail + padding + aligned;
        if (end - head(lane) > capacity)
        {
            return null;
        }
        int recordIndex = indexOf(lane, tail);
        if (padding != 0)
        {
            file.putInt(recordTypeOffset(recordIndex), PADDING_TYPE);
            file.putInt(recordLengthOffset(recordIndex), padding);
            recordIndex = offset(lane);
        }
        if (aligned != recordLength)
        {
            file.putLong(recordIndex + aligned - Long.BYTES, 0L);
        }
        file.putInt(recordLengthOffset(recordIndex), recordLength);
        file.putInt(recordTypeOffset(recordIndex), type);
        return new Claim(lane, recordIndex, recordIndex + RECORD_HEADER_LENGTH, padding, end);
    }

    /**
     * Publish a claimed record (and the padding before it) to the drainer.
     */
    public void commit(final Claim claim)
    {
        file.putLongOrdered(trailer(claim.lane()) + LANE_TAIL_POSITION_OFFSET, claim.end());
    }

    public UnsafeBuffer file()
    {
        return file;
    }
}
