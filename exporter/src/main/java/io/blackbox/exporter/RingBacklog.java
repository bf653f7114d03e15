package io.blackbox.exporter;

import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import io.blackbox.codecs.layout.RingFileDescriptor;
import org.agrona.BitUtil;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a recording's ring file ({@code ring.dat}) holds that its queue does not: records a process committed but did
 * not drain before it died. Read-only (plain reads, no mapping, no lock), so looking never changes the recording;
 * {@code Recorder.open} drains them (recovery).
 *
 * @param path           the ring file.
 * @param records        committed records between the queue's end and the ring's tail.
 * @param bytes          ring bytes they take.
 * @param tornRecords    records claimed but never committed (their emit never returned); recovery skips them.
 * @param unframedBytes  bytes after them that cannot be framed; recovery discards them.
 * @param problem        null, or why the file is not a ring file any more (then nothing else is known).
 */
public record RingBacklog(Path path, long records, long bytes, long tornRecords, long unframedBytes, String problem)
{
    /**
     * @param ringFile     {@code DIR/ring.dat}.
     * @param drainedEnds  per ring id, the ring position up to which the queue's batches reach.
     * @return what the ring holds beyond the queue; null when there is no ring file.
     */
    public static RingBacklog inspect(final Path ringFile, final Long2LongHashMap drainedEnds)
    {
        if (!Files.exists(ringFile))
        {
            return null;
        }
        try (FileChannel channel = FileChannel.open(ringFile, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < RingFileDescriptor.HEADER_LENGTH)
            {
                return damaged(ringFile, "the file is " + size + " bytes, shorter than its " +
                    RingFileDescriptor.HEADER_LENGTH + "-byte header");
            }
            final UnsafeBuffer header = read(channel, 0, RingFileDescriptor.HEADER_LENGTH);
            if (header.getLong(RingFileDescriptor.MAGIC_OFFSET, ByteOrder.LITTLE_ENDIAN) != RingFileDescriptor.MAGIC)
            {
                return damaged(ringFile, "bad magic at offset " + RingFileDescriptor.MAGIC_OFFSET);
            }
            final int version = header.getInt(RingFileDescriptor.LAYOUT_VERSION_OFFSET, ByteOrder.LITTLE_ENDIAN);
            if (version != RingFileDescriptor.LAYOUT_VERSION)
            {
                return damaged(ringFile, "unknown layout version " + version + " at offset " +
                    RingFileDescriptor.LAYOUT_VERSION_OFFSET);
            }
            final int capacity = header.getInt(RingFileDescriptor.RING_CAPACITY_OFFSET, ByteOrder.LITTLE_ENDIAN);
            if (capacity < RecordingBatchDescriptor.RECORD_ALIGNMENT || !BitUtil.isPowerOfTwo(capacity))
            {
                return damaged(ringFile, "ring capacity " + capacity + " at offset " +
                    RingFileDescriptor.RING_CAPACITY_OFFSET + " is not a power of two");
            }
            if (size != RingFileDescriptor.fileLength(capacity))
            {
                return damaged(ringFile, "the file is " + size + " bytes, a ring of capacity " + capacity + " takes " +
                    RingFileDescriptor.fileLength(capacity));
            }

            final long ringId = header.getLong(RingFileDescriptor.RING_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final long trailerOffset = (long)RingFileDescriptor.HEADER_LENGTH + capacity;
            final UnsafeBuffer trailer = read(channel, trailerOffset, RingBufferDescriptor.TRAILER_LENGTH);
            final long head = trailer.getLong(RingBufferDescriptor.HEAD_POSITION_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final long tail = trailer.getLong(RingBufferDescriptor.TAIL_POSITION_OFFSET, ByteOrder.LITTLE_ENDIAN);
            if (head < 0 || tail < head || tail - head > capacity ||
                (head & (RecordingBatchDescriptor.RECORD_ALIGNMENT - 1)) != 0 ||
                (tail & (RecordingBatchDescriptor.RECORD_ALIGNMENT - 1)) != 0)
            {
                return damaged(ringFile, "impossible positions head=" + head + " tail=" + tail + " for capacity " +
                    capacity + " (trailer at offset " + trailerOffset + ")");
            }

            // Positions the queue already holds were drained by a process that died before freeing them.
            final long start = Math.max(head, drainedEnds.get(ringId));
            if (start >= tail)
            {
                return new RingBacklog(ringFile, 0, 0, 0, 0, null);
            }
            final UnsafeBuffer data = read(channel, RingFileDescriptor.HEADER_LENGTH, capacity);
            long records = 0;
            long torn = 0;
            long position = start;
            while (position < tail)
            {
                final int index = (int)position & (capacity - 1);
                final int length = data.getInt(RecordingBatchDescriptor.recordLengthOffset(index), ByteOrder.LITTLE_ENDIAN);
                final int type = data.getInt(RecordingBatchDescriptor.recordTypeOffset(index), ByteOrder.LITTLE_ENDIAN);
                final int magnitude = Math.abs(length);
                if (length == 0 || length == Integer.MIN_VALUE ||
                    BitUtil.align(magnitude, RecordingBatchDescriptor.RECORD_ALIGNMENT) > capacity - index)
                {
                    break; // claimed with no header yet, or damaged: nothing after it can be framed
                }
                if (length < 0)
                {
                    torn++;
                }
                else if (type != RecordingBatchDescriptor.PADDING_TYPE)
                {
                    records++;
                }
                position += BitUtil.align(magnitude, RecordingBatchDescriptor.RECORD_ALIGNMENT);
            }
            final long framed = Math.min(position, tail) - start;
            return new RingBacklog(ringFile, records, framed, torn, tail - start - framed, null);
        }
        catch (final IOException ex)
        {
            return damaged(ringFile, "cannot read: " + ex.getMessage());
        }
    }

    private static RingBacklog damaged(final Path ringFile, final String problem)
    {
        return new RingBacklog(ringFile, 0, 0, 0, 0, problem);
    }

    private static UnsafeBuffer read(final FileChannel channel, final long offset, final int length) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(length);
        while (bytes.hasRemaining())
        {
            if (channel.read(bytes, offset + bytes.position()) < 0)
            {
                throw new IOException(length + " bytes at offset " + offset + " are past the end of the file");
            }
        }
        return new UnsafeBuffer(bytes);
    }
}
