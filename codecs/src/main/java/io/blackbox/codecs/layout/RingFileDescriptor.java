package io.blackbox.codecs.layout;

import org.agrona.BitUtil;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Layout of a recording's ring file, {@code ring.dat}: a small header followed by an Agrona
 * {@link org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer} (data, then its trailer of positions).
 * <p>
 * The file is memory-mapped by the recording process, so a record whose emit returned is in the page
 * cache and survives the death of the process; a later open drains what the dead process left.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Magic "BBXRING1" (8 bytes)                |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Layout Version                         |  8
 *  +---------------------------------------------------------------+
 *  |                        Ring Capacity                          | 12
 *  +---------------------------------------------------------------+
 *  |                        Ring Id (int64)                        | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Created, epoch ns (int64)                   | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Reserved, zero (32 bytes)                  ...  32
 *  +---------------------------------------------------------------+
 *  |            Dropped Records of the session (int64)             | 64
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Reserved, zero (56 bytes)                  ...  72
 *  +---------------------------------------------------------------+
 *  |          Ring data: Ring Capacity bytes of Agrona records    ...  HEADER_LENGTH
 *  +---------------------------------------------------------------+
 *  |    Agrona ring trailer (tail, head cache, head, correlation,  ...
 *  |    heartbeat; RingBufferDescriptor.TRAILER_LENGTH bytes)      |
 *  +---------------------------------------------------------------+
 * </pre>
 * All integers little-endian. Dropped Records counts the emits the session refused (atomically incremented by
 * emitting threads, on its own cache line): kept in the file, the count survives a crash or a full file system, and
 * the next open writes it into the recording before the new session starts. The ring id is random per file: recording batches carry it, so a drain
 * after a crash can tell which ring positions the queue already holds.
 */
public final class RingFileDescriptor
{
    /** "BBXRING1" as a little-endian long. */
    public static final long MAGIC = 0x31474E4952584242L;
    public static final int LAYOUT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 8;
    public static final int RING_CAPACITY_OFFSET = 12;
    public static final int RING_ID_OFFSET = 16;
    public static final int CREATED_OFFSET = 24;
    public static final int DROPPED_RECORDS_OFFSET = 64;

    /** Header length: two cache lines, so the ring data starts cache-line aligned. */
    public static final int HEADER_LENGTH = 128;

    private RingFileDescriptor()
    {
    }

    /**
     * @param ringCapacity capacity of the ring data, a power of two.
     * @return the length of the whole file.
     */
    public static int fileLength(final int ringCapacity)
    {
        if (!BitUtil.isPowerOfTwo(ringCapacity))
        {
            throw new IllegalArgumentException("ringCapacity must be a power of two: ringCapacity=" + ringCapacity);
        }
        return HEADER_LENGTH + ringCapacity + RingBufferDescriptor.TRAILER_LENGTH;
    }
}
