package io.blackbox.recorder;

import io.blackbox.codecs.layout.RingFileDescriptor;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;

import static io.blackbox.codecs.layout.RingFileDescriptor.*;

/**
 * The memory-mapped ring file of a recording: header plus lanes ({@link RingFileDescriptor}).
 * Opens an existing file as it was left (possibly by a process that died), or creates a new one whole
 * (written to a temporary file, then renamed). Hands lanes of their own to writers, one writer per lane.
 */
final class RingFile implements AutoCloseable
{
    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final RingLane[] lanes;
    private final AtomicIntegerArray owned;
    private final int capacity;
    private final long ringId;
    private final boolean existed;

    private RingFile(final Path path, final MappedByteBuffer mapped, final boolean existed)
    {
        this.path = path;
        this.mapped = mapped;
        this.existed = existed;
        this.buffer = new UnsafeBuffer(mapped);
        this.capacity = buffer.getInt(RING_CAPACITY_OFFSET);
        this.ringId = buffer.getLong(RING_ID_OFFSET);
        final int laneCount = buffer.getInt(LANE_COUNT_OFFSET);
        final int sharedCapacity = buffer.getInt(SHARED_LANE_CAPACITY_OFFSET);
        final int ownCapacity = ownLaneCapacity(capacity, laneCount, sharedCapacity);
        this.lanes = new RingLane[laneCount];
        for (int lane = 0; lane < laneCount; lane++)
        {
            final boolean shared = lane == 0;
            final int laneCapacity = shared ? sharedCapacity : ownCapacity;
            // The shared lane takes the recorder's longest records (an eighth of the ring, as before lanes); a lane of
            // its own a quarter of itself, and its writer sends longer ones through the shared lane.
            final int maxRecordLength = shared ? Math.min(capacity >> 3, laneCapacity >> 2) : laneCapacity >> 2;
            lanes[lane] = new RingLane(lane, laneRingId(ringId, lane), buffer,
                (int)laneOffset(lane, sharedCapacity, ownCapacity), laneCapacity, maxRecordLength, shared);
        }
        this.owned = new AtomicIntegerArray(laneCount);
        // Says "a live process has this ring open" to readers that must not take the recorder's lock to ask
        // (export --follow); zeroed again by disown() when the recorder closes.
        buffer.putLongVolatile(OWNER_PID_OFFSET, ProcessHandle.current().pid());
    }

    /**
     * Open the ring file at {@code path}, or create it with {@code capacity} and {@code ownLanes} if there is none.
     * A file that is not a valid ring file is moved aside (never deleted) and a new one is created.
     *
     * @return the ring file; {@link #existed()} tells whether it may hold records of an earlier process.
     */
    static RingFile openOrCreate(final Path path, final int capacity, final int ownLanes, final long createdEpochNs,
        final Consumer<String> warnings) throws IOException
    {
        if (Files.exists(path))
        {
            final String problem = check(path);
            if (problem == null)
            {
                final MappedByteBuffer mapped = IoUtil.mapExistingFile(path.toFile(), FileChannel.MapMode.READ_WRITE, "ring");
                return new RingFile(path, mapped, true);
            }
            final Path aside = path.resolveSibling(path.getFileName() + ".damaged-" + createdEpochNs);
            Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
            warnings.accept("ring file " + path + " is damaged (" + problem + "); moved to " + aside);
        }
        return create(path, capacity, ownLanes, createdEpochNs);
    }

    private static RingFile create(final Path path, final int capacity, final int ownLanes, final long createdEpochNs)
        throws IOException
    {
        final int own = ownLaneCount(capacity, ownLanes);
        final int laneCount = own + 1;
        final long fileLength = RingFileDescriptor.fileLength(capacity, laneCount);
        final Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        final MappedByteBuffer tmp = IoUtil.mapNewFile(temporary.toFile(), fileLength, true);
        try
        {
            final UnsafeBuffer h = new UnsafeBuffer(tmp, 0, HEADER_LENGTH);
            h.putLong(RING_ID_OFFSET, new SecureRandom().nextLong() & ~(long)(MAX_LANE_COUNT - 1));
            h.putInt(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
            h.putInt(RING_CAPACITY_OFFSET, capacity);
            h.putLong(CREATED_OFFSET, createdEpochNs);
            h.putInt(LANE_COUNT_OFFSET, laneCount);
            h.putInt(SHARED_LANE_CAPACITY_OFFSET, sharedLaneCapacity(capacity, own));
            h.putLong(MAGIC_OFFSET, MAGIC);
            tmp.force();
        }
        finally
        {
            IoUtil.unmap(tmp);
        }
        Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(path.toFile(), FileChannel.MapMode.READ_WRITE, "ring");
        return new RingFile(path, mapped, false);
    }

    /**
     * @return null when the file is a valid ring file, else what is wrong with it.
     */
    static String check(final Path path) throws IOException
    {
        final long size = Files.size(path);
        if (size < HEADER_LENGTH)
        {
            return "file is " + size + " bytes, shorter than its header";
        }
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(path.toFile(), FileChannel.MapMode.READ_ONLY, "ring", 0, HEADER_LENGTH);
        try
        {
            return RingFileDescriptor.headerProblem(new UnsafeBuffer(mapped), size);
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    /**
     * @return a lane of its own for one writer, or null when every lane is taken.
     */
    RingLane acquireLane()
    {
        for (int lane = 1; lane < lanes.length; lane++)
        {
            if (owned.get(lane) == 0 && owned.compareAndSet(lane, 0, 1))
            {
                final RingLane acquired = lanes[lane];
                acquired.attach(); // the CAS orders this after the last owner's stores
                return acquired;
            }
        }
        return null;
    }

    /**
     * Give a lane back; its owner must not write it any more.
     */
    void releaseLane(final RingLane lane)
    {
        owned.set(lane.lane(), 0);
    }

    /**
     * Count one record the session refused; any thread.
     */
    void countDropped()
    {
        buffer.getAndAddLong(DROPPED_RECORDS_OFFSET, 1);
    }

    /**
     * @return records the session refused (or, before {@link #resetDropped()}, the session that left this file).
     */
    long droppedRecords()
    {
        return buffer.getLongVolatile(DROPPED_RECORDS_OFFSET);
    }

    void resetDropped()
    {
        buffer.putLongVolatile(DROPPED_RECORDS_OFFSET, 0);
    }

    Path path()
    {
        return path;
    }

    boolean existed()
    {
        return existed;
    }

    long ringId()
    {
        return ringId;
    }

    /**
     * @return data bytes of all lanes.
     */
    int capacity()
    {
        return capacity;
    }

    /**
     * @return the lanes; index 0 is the shared one.
     */
    RingLane[] lanes()
    {
        return lanes;
    }

    RingLane sharedLane()
    {
        return lanes[0];
    }

    /**
     * @return the whole mapped file; lane indexes refer to it.
     */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Say in the file that no process has it open any more (the recorder closed it); the mapping stays for writers
     * that have not noticed.
     */
    void disown()
    {
        buffer.putLongVolatile(OWNER_PID_OFFSET, 0);
    }

    public void close()
    {
        disown();
        IoUtil.unmap(mapped);
    }
}
