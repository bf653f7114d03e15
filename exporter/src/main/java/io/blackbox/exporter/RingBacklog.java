package io.blackbox.exporter;

import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import io.blackbox.codecs.layout.RingFileDescriptor;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.blackbox.codecs.layout.RingFileDescriptor.*;

/**
 * What a recording's ring file ({@code ring.dat}) holds that its queue does not: records a process committed but did
 * not drain before it died. Read-only (plain reads, no mapping, no lock), so looking never changes the recording;
 * {@code Recorder.open} drains them (recovery).
 *
 * @param path           the ring file.
 * @param records        committed records between the queue's end and each lane's tail.
 * @param bytes          ring bytes they take.
 * @param unframedBytes  bytes after them that cannot be framed; recovery discards them.
 * @param laneDamage     null, or which lanes have positions no ring can have (what they hold is unknown; recovery
 *                       discards it), while the other lanes are counted.
 * @param problem        null, or why the file is not a ring file any more (then nothing else is known).
 */
public record RingBacklog(Path path, long records, long bytes, long unframedBytes, String laneDamage, String problem)
{
    /**
     * @param ringFile     {@code DIR/ring.dat}.
     * @param drainedEnds  per ring id (one per lane), the ring position up to which the queue's batches reach.
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
            if (size < HEADER_LENGTH)
            {
                return damaged(ringFile, "the file is " + size + " bytes, shorter than its " + HEADER_LENGTH + "-byte header");
            }
            final UnsafeBuffer header = read(channel, 0, HEADER_LENGTH);
            final String problem = headerProblem(header, size);
            if (problem != null)
            {
                return damaged(ringFile, problem);
            }
            final int capacity = header.getInt(RING_CAPACITY_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final int laneCount = header.getInt(LANE_COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final int sharedCapacity = header.getInt(SHARED_LANE_CAPACITY_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final long ringId = header.getLong(RING_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final int ownCapacity = ownLaneCapacity(capacity, laneCount, sharedCapacity);
            long records = 0;
            long framedBytes = 0;
            long unframedBytes = 0;
            final StringBuilder laneDamage = new StringBuilder();
            for (int lane = 0; lane < laneCount; lane++)
            {
                final int laneCapacity = lane == 0 ? sharedCapacity : ownCapacity;
                final long offset = laneOffset(lane, sharedCapacity, ownCapacity);
                final long trailerOffset = offset + laneCapacity;
                final UnsafeBuffer trailer = read(channel, trailerOffset, LANE_TRAILER_LENGTH);
                final long head = trailer.getLong(LANE_HEAD_POSITION_OFFSET, ByteOrder.LITTLE_ENDIAN);
                final long tail = trailer.getLong(LANE_TAIL_POSITION_OFFSET, ByteOrder.LITTLE_ENDIAN);
                if (!isPossibleLane(head, tail, laneCapacity))
                {
                    laneDamage.append(laneDamage.length() == 0 ? "" : "; ").append("lane ").append(lane)
                        .append(" has impossible positions head=").append(head).append(" tail=").append(tail)
                        .append(" for its capacity of ").append(laneCapacity).append(" bytes (trailer at offset ")
                        .append(trailerOffset).append(')');
                    continue;
                }

                // Positions the queue already holds were drained by a process that died before freeing them.
                final long start = Math.max(head, drainedEnds.get(laneRingId(ringId, lane)));
                if (start >= tail)
                {
                    continue;
                }
                final UnsafeBuffer data = read(channel, offset, laneCapacity);
                long position = start;
                while (position < tail)
                {
                    final int index = (int)position & (laneCapacity - 1);
                    final int length = data.getInt(RecordingBatchDescriptor.recordLengthOffset(index), ByteOrder.LITTLE_ENDIAN);
                    final int type = data.getInt(RecordingBatchDescriptor.recordTypeOffset(index), ByteOrder.LITTLE_ENDIAN);
                    final int aligned = RecordingBatchDescriptor.alignedRecordLength(length,
                        Math.min(laneCapacity - index, tail - position));
                    if (aligned < 0)
                    {
                        break; // damaged: nothing after it can be framed
                    }
                    if (type != RecordingBatchDescriptor.PADDING_TYPE)
                    {
                        records++;
                    }
                    position += aligned;
                }
                framedBytes += position - start;
                unframedBytes += tail - position;
            }
            return new RingBacklog(ringFile, records, framedBytes, unframedBytes,
                laneDamage.length() == 0 ? null : laneDamage.toString(), null);
        }
        catch (final IOException ex)
        {
            return damaged(ringFile, "cannot read: " + ex.getMessage());
        }
    }

    /**
     * Whether a recorder has the recording of {@code ringFile} open: its ring header names a process that is alive.
     * Read without a lock (taking the recorder's lock, even for a moment, could make a recorder that opens the
     * recording then fail). A pid the system gave again to another process after the recorder died reads as open.
     *
     * @param ringFile the recording's {@code ring.dat}.
     * @return true while a live process has it open; false when the file is absent, not a ring file, or its owner
     * closed it or died.
     */
    public static boolean isOwnerAlive(final Path ringFile)
    {
        try (FileChannel channel = FileChannel.open(ringFile, StandardOpenOption.READ))
        {
            if (channel.size() < HEADER_LENGTH)
            {
                return false;
            }
            final UnsafeBuffer header = read(channel, 0, HEADER_LENGTH);
            if (null != headerProblem(header, channel.size()))
            {
                return false;
            }
            final long pid = header.getLong(OWNER_PID_OFFSET, ByteOrder.LITTLE_ENDIAN);
            return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static RingBacklog damaged(final Path ringFile, final String problem)
    {
        return new RingBacklog(ringFile, 0, 0, 0, null, problem);
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
