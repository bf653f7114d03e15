package io.blackbox.codecs.layout;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Layout of a recording's ring file, {@code ring.dat}: a header, then lanes. Each lane is a single-producer,
 * single-consumer ring of records framed as Agrona ring records ({@link RecordingBatchDescriptor}), followed by its
 * trailer of positions.
 * <p>
 * The file is memory-mapped by the recording process, so a record whose emit returned is in the page cache and
 * survives the death of the process; a later open drains what the dead process left.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Magic "BBXRING1" (8 bytes)                |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Layout Version (2)                     |  8
 *  +---------------------------------------------------------------+
 *  |          Ring Capacity (data bytes of all lanes together)     | 12
 *  +---------------------------------------------------------------+
 *  |            Ring Id (int64; its low 8 bits are zero)           | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Created, epoch ns (int64)                   | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |         Lane Count (the shared lane 0, then the others)       | 32
 *  +---------------------------------------------------------------+
 *  |                  Shared Lane Capacity (lane 0)                | 36
 *  +---------------------------------------------------------------+
 *  |     Owner PID (int64): the process that has the ring open,    | 40
 *  |     0 once it closed it                                       |
 *  +---------------------------------------------------------------+
 *  |                   Reserved, zero (16 bytes)                  ...  48
 *  +---------------------------------------------------------------+
 *  |            Dropped Records of the session (int64)             | 64
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Reserved, zero (56 bytes)                  ...  72
 *  +---------------------------------------------------------------+
 *  |  Lane 0: Shared Lane Capacity bytes of records               ...  HEADER_LENGTH
 *  +---------------------------------------------------------------+
 *  |  Lane 0 trailer (LANE_TRAILER_LENGTH bytes, below)           ...
 *  +---------------------------------------------------------------+
 *  |  Lane 1: laneCapacity(...) bytes of records, then trailer    ...
 *  +---------------------------------------------------------------+
 *  |  ... up to lane Lane Count - 1                               ...
 *  +---------------------------------------------------------------+
 * </pre>
 * A lane's trailer, each position on its own cache line (the producer writes the tail, the drainer the head):
 * <pre>
 *  +---------------------------------------------------------------+
 *  |   Tail Position (int64): end of the last committed record     |  0
 *  +---------------------------------------------------------------+
 *  |   zero to the next cache line                                ...  8
 *  +---------------------------------------------------------------+
 *  |   Head Position (int64): end of what the queue holds          | 64
 *  +---------------------------------------------------------------+
 *  |   zero to the end of the trailer                             ...  72
 *  +---------------------------------------------------------------+
 * </pre>
 * All integers little-endian. Positions only grow; a position's index in its lane is {@code position & (capacity - 1)}.
 * <p>
 * <b>Publication.</b> The producer writes a record (header and body) beyond the tail with plain stores, then moves the
 * tail past it with one ordered store. So every record between head and tail is whole, and nothing beyond the tail
 * was ever acknowledged: there are no torn records to recover, and the drainer never writes the producer's data (no
 * zeroing: a consumer that zeroes what it read, as Agrona's rings do, pulls the producer's cache lines to its own
 * core). A record that would not fit before the end of the lane is preceded by a padding record (type
 * {@link RecordingBatchDescriptor#PADDING_TYPE}) to the end, and starts at index 0. The bytes between a record's
 * length and its 8-byte alignment are zero.
 * <p>
 * <b>Lanes.</b> Lane 0 is shared: any thread may write it while it holds the recorder's lock for it (symbol
 * definitions, session starts, drop reports, and emitters that found no lane of their own). Every other lane belongs
 * to one writer at a time. Lane {@code i}'s batches in the queue carry the ring id {@code Ring Id + i}, so "which
 * positions of which lane the queue holds" is the batch header's Ring Id and Ring Position, as before lanes.
 * The drop count is atomically incremented by emitting threads, on its own cache line: kept in the file, it survives a
 * crash or a full file system, and the next open writes it into the recording before the new session starts.
 */
public final class RingFileDescriptor
{
    /** "BBXRING1" as a little-endian long. */
    public static final long MAGIC = 0x31474E4952584242L;
    /** 1: one Agrona many-to-one ring (before lanes), no longer opened; 2: lanes. */
    public static final int LAYOUT_VERSION = 2;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 8;
    public static final int RING_CAPACITY_OFFSET = 12;
    public static final int RING_ID_OFFSET = 16;
    public static final int CREATED_OFFSET = 24;
    public static final int LANE_COUNT_OFFSET = 32;
    public static final int SHARED_LANE_CAPACITY_OFFSET = 36;
    /**
     * The pid of the process that has the ring open, written when a recorder opens it and zeroed when it closes it,
     * so a reader can tell a recording still being written ({@code export --follow}) from one whose recorder closed
     * (zero) or died (a pid no live process has). Layout 2 files written before it was kept hold zero there.
     */
    public static final int OWNER_PID_OFFSET = 40;
    public static final int DROPPED_RECORDS_OFFSET = 64;

    /** Header length: two cache lines, so lane data starts cache-line aligned. */
    public static final int HEADER_LENGTH = 128;

    public static final int LANE_TAIL_POSITION_OFFSET = 0;
    public static final int LANE_HEAD_POSITION_OFFSET = 64;
    public static final int LANE_TRAILER_LENGTH = 128;

    /** Most lanes a ring file has: lane ids are the ring id plus the lane's index in its low 8 bits. */
    public static final int MAX_LANE_COUNT = 256;
    /** Smallest capacity of a lane of its own. */
    public static final int MIN_LANE_CAPACITY = 1024;

    private RingFileDescriptor()
    {
    }

    /**
     * @param ringCapacity data bytes of all lanes, a power of two.
     * @param ownLanes     lanes of one writer each wanted (a power of two, or 0).
     * @return how many lanes of their own a ring of {@code ringCapacity} gets: {@code ownLanes}, halved until each is
     * at least {@link #MIN_LANE_CAPACITY}.
     */
    public static int ownLaneCount(final int ringCapacity, final int ownLanes)
    {
        requirePowerOfTwo(ringCapacity);
        int lanes = Math.min(ownLanes, MAX_LANE_COUNT / 2);
        while (lanes > 0 && (ringCapacity >> 1) / lanes < MIN_LANE_CAPACITY)
        {
            lanes >>= 1;
        }
        return lanes;
    }

    /**
     * @return the shared lane's capacity: half the ring when there are lanes of their own, else all of it.
     */
    public static int sharedLaneCapacity(final int ringCapacity, final int ownLanes)
    {
        return ownLanes > 0 ? ringCapacity >> 1 : ringCapacity;
    }

    /**
     * @return the capacity of each lane after the shared one.
     */
    public static int ownLaneCapacity(final int ringCapacity, final int laneCount, final int sharedLaneCapacity)
    {
        return laneCount > 1 ? (ringCapacity - sharedLaneCapacity) / (laneCount - 1) : 0;
    }

    /**
     * @return offset in the file of lane {@code lane}'s data.
     */
    public static long laneOffset(final int lane, final int sharedLaneCapacity, final int ownLaneCapacity)
    {
        if (lane == 0)
        {
            return HEADER_LENGTH;
        }
        return HEADER_LENGTH + (long)sharedLaneCapacity + LANE_TRAILER_LENGTH +
            (long)(lane - 1) * (ownLaneCapacity + LANE_TRAILER_LENGTH);
    }

    /**
     * @param ringCapacity data bytes of all lanes, a power of two.
     * @param laneCount    lanes, the shared one included.
     * @return the length of the whole file.
     */
    public static long fileLength(final int ringCapacity, final int laneCount)
    {
        requirePowerOfTwo(ringCapacity);
        return HEADER_LENGTH + (long)ringCapacity + (long)laneCount * LANE_TRAILER_LENGTH;
    }

    /**
     * The one check of a ring file's header, for the recorder that opens it and the exporter that only looks.
     *
     * @param header     the file's first {@link #HEADER_LENGTH} bytes.
     * @param fileLength the file's length.
     * @return null when the header describes a ring file of {@code fileLength} bytes, else what is wrong, naming the
     * field's offset.
     */
    public static String headerProblem(final DirectBuffer header, final long fileLength)
    {
        if (header.getLong(MAGIC_OFFSET, ByteOrder.LITTLE_ENDIAN) != MAGIC)
        {
            return "bad magic at offset " + MAGIC_OFFSET;
        }
        final int version = header.getInt(LAYOUT_VERSION_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (version != LAYOUT_VERSION)
        {
            return "unknown layout version " + version + " at offset " + LAYOUT_VERSION_OFFSET;
        }
        final int capacity = header.getInt(RING_CAPACITY_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (capacity < 2 * MIN_LANE_CAPACITY || capacity > (1 << 30) || !BitUtil.isPowerOfTwo(capacity))
        {
            return "ring capacity " + capacity + " at offset " + RING_CAPACITY_OFFSET + " is not a power of two from " +
                2 * MIN_LANE_CAPACITY + " to 2^30";
        }
        final int laneCount = header.getInt(LANE_COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final int own = laneCount - 1;
        final int sharedCapacity = header.getInt(SHARED_LANE_CAPACITY_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (own < 0 || own > MAX_LANE_COUNT / 2 || (own > 0 && !BitUtil.isPowerOfTwo(own)) ||
            sharedCapacity != sharedLaneCapacity(capacity, own) ||
            (own > 0 && ownLaneCapacity(capacity, laneCount, sharedCapacity) < MIN_LANE_CAPACITY))
        {
            return "lane count " + laneCount + " (offset " + LANE_COUNT_OFFSET + ") and shared lane capacity " +
                sharedCapacity + " (offset " + SHARED_LANE_CAPACITY_OFFSET + ") do not fit ring capacity " + capacity;
        }
        final long ringId = header.getLong(RING_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if ((ringId & (MAX_LANE_COUNT - 1)) != 0)
        {
            return "ring id " + ringId + " at offset " + RING_ID_OFFSET + " has lane bits set";
        }
        if (fileLength != fileLength(capacity, laneCount))
        {
            return "the file is " + fileLength + " bytes, a ring of capacity " + capacity + " and " + laneCount +
                " lanes takes " + fileLength(capacity, laneCount);
        }
        return null;
    }

    /**
     * @return whether a lane of {@code laneCapacity} can have these positions: head before tail, at most a lap apart,
     * both aligned. Anything else is damage.
     */
    public static boolean isPossibleLane(final long head, final long tail, final int laneCapacity)
    {
        return head >= 0 && tail >= head && tail - head <= laneCapacity &&
            ((head | tail) & (RecordingBatchDescriptor.RECORD_ALIGNMENT - 1)) == 0;
    }

    /**
     * @return the ring id lane {@code lane}'s batches carry.
     */
    public static long laneRingId(final long ringId, final int lane)
    {
        return ringId + lane;
    }

    private static void requirePowerOfTwo(final int ringCapacity)
    {
        if (!BitUtil.isPowerOfTwo(ringCapacity))
        {
            throw new IllegalArgumentException("ringCapacity must be a power of two: ringCapacity=" + ringCapacity);
        }
    }
}
