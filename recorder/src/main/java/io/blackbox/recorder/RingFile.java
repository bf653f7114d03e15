package io.blackbox.recorder;

import io.blackbox.codecs.layout.RingFileDescriptor;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.function.Consumer;

import static io.blackbox.codecs.layout.RingFileDescriptor.*;

/**
 * The memory-mapped ring file of a recording: header plus an Agrona many-to-one ring buffer.
 * Opens an existing file as it was left (possibly by a process that died), or creates a new one whole
 * (written to a temporary file, then renamed).
 */
final class RingFile implements AutoCloseable
{
    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final UnsafeBuffer ringBuffer;
    private final ManyToOneRingBuffer ring;
    private final long ringId;
    private final boolean existed;

    private RingFile(final Path path, final MappedByteBuffer mapped, final boolean existed)
    {
        this.path = path;
        this.mapped = mapped;
        this.existed = existed;
        this.header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final int capacity = header.getInt(RING_CAPACITY_OFFSET);
        this.ringBuffer = new UnsafeBuffer(mapped, HEADER_LENGTH, capacity + RingBufferDescriptor.TRAILER_LENGTH);
        this.ring = new ManyToOneRingBuffer(ringBuffer);
        this.ringId = header.getLong(RING_ID_OFFSET);
    }

    /**
     * Open the ring file at {@code path}, or create it with {@code capacity} if there is none.
     * A file that is not a valid ring file is moved aside (never deleted) and a new one is created.
     *
     * @return the ring file; {@link #existed()} tells whether it may hold records of an earlier process.
     */
    static RingFile openOrCreate(
        final Path path, final int capacity, final long createdEpochNs, final Consumer<String> warnings) throws IOException
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
        return create(path, capacity, createdEpochNs);
    }

    private static RingFile create(final Path path, final int capacity, final long createdEpochNs) throws IOException
    {
        final int fileLength = RingFileDescriptor.fileLength(capacity);
        final Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        final MappedByteBuffer tmp = IoUtil.mapNewFile(temporary.toFile(), fileLength, true);
        try
        {
            final UnsafeBuffer h = new UnsafeBuffer(tmp, 0, HEADER_LENGTH);
            h.putLong(RING_ID_OFFSET, new SecureRandom().nextLong());
            h.putInt(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
            h.putInt(RING_CAPACITY_OFFSET, capacity);
            h.putLong(CREATED_OFFSET, createdEpochNs);
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
            final UnsafeBuffer h = new UnsafeBuffer(mapped);
            if (h.getLong(MAGIC_OFFSET) != MAGIC)
            {
                return "bad magic";
            }
            if (h.getInt(LAYOUT_VERSION_OFFSET) != LAYOUT_VERSION)
            {
                return "unknown layout version " + h.getInt(LAYOUT_VERSION_OFFSET);
            }
            final int capacity = h.getInt(RING_CAPACITY_OFFSET);
            if (capacity < ManyToOneRingBuffer.MIN_CAPACITY || Integer.bitCount(capacity) != 1)
            {
                return "bad ring capacity " + capacity;
            }
            if (size != RingFileDescriptor.fileLength(capacity))
            {
                return "file is " + size + " bytes, expected " + RingFileDescriptor.fileLength(capacity);
            }
            return null;
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    /**
     * Count one record the session refused; any thread.
     */
    void countDropped()
    {
        header.getAndAddLong(DROPPED_RECORDS_OFFSET, 1);
    }

    /**
     * @return records the session refused (or, before {@link #resetDropped()}, the session that left this file).
     */
    long droppedRecords()
    {
        return header.getLongVolatile(DROPPED_RECORDS_OFFSET);
    }

    void resetDropped()
    {
        header.putLongVolatile(DROPPED_RECORDS_OFFSET, 0);
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

    ManyToOneRingBuffer ring()
    {
        return ring;
    }

    /**
     * @return the ring data and trailer as one buffer (ring data at index 0).
     */
    UnsafeBuffer ringBuffer()
    {
        return ringBuffer;
    }

    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
