package io.blackbox.recorder;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import io.blackbox.codecs.layout.BatchDeltaCodec;
import io.blackbox.codecs.layout.RingFileDescriptor;
import org.agrona.BitUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import static io.blackbox.codecs.layout.RecordingBatchDescriptor.*;

/**
 * Consumer side of the ring: copies committed records of each lane, one contiguous range at a time, into one Chronicle
 * excerpt per batch ({@link io.blackbox.codecs.layout.RecordingBatchDescriptor}), then frees the range.
 * <p>
 * Order: within a lane, records reach the queue in the order they were committed. Across lanes there is one rule, the
 * one readers need: a record that refers to a symbol comes after the symbol's definition. Definitions go through the
 * shared lane 0, and a record is committed only after the definition it uses was; so each round reads the other
 * lanes' tails first, then drains lane 0 to its tail, then the other lanes to the tails read before. Whatever those
 * tails cover was committed after every definition it uses, and lane 0's later tail covers those definitions.
 * <p>
 * Only the drainer thread (or, before it starts, recovery) calls this class.
 */
final class RingDrainer
{
    /** {@link #drainRound()}: committed records wait, the file system has no room for them. */
    static final int NO_ROOM = -1;

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /** Room asked for beyond a batch's ring bytes: its header, the excerpt's, and Chronicle's index pages. */
    private static final int BATCH_OVERHEAD_BYTES = 64 * 1024;

    private final UnsafeBuffer buffer;
    private final RingLane[] lanes;
    private final long[] tails;
    private final int maxBatchBytes;
    private final ByteBuffer crcView;
    private final BatchDeltaCodec codec = new BatchDeltaCodec();
    private final UnsafeBuffer encoded;
    private final ByteBuffer encodedCrcView;
    private final CRC32C crc = new CRC32C();
    private final ExcerptAppender appender;
    private final StorageSpaceGuard spaceGuard;

    private final Consumer<String> warnings;

    private long records;
    private long storedBytes;
    private long discardedBytes;
    private boolean behind;

    RingDrainer(final RingFile ringFile, final ExcerptAppender appender, final int maxBatchBytes,
        final StorageSpaceGuard spaceGuard, final Consumer<String> warnings)
    {
        this.warnings = warnings;
        this.spaceGuard = spaceGuard;
        this.buffer = ringFile.buffer();
        this.lanes = ringFile.lanes();
        this.tails = new long[lanes.length];
        this.maxBatchBytes = maxBatchBytes;
        this.appender = appender;
        this.crcView = buffer.byteBuffer().duplicate();
        this.encoded = new UnsafeBuffer(ByteBuffer.allocateDirect(BatchDeltaCodec.maxEncodedLength(maxBatchBytes)));
        this.encodedCrcView = encoded.byteBuffer().duplicate();
    }

    /**
     * Drain one round: the shared lane to its tail, then one batch of each other lane (see the class comment for the
     * order).
     *
     * @return the number of ring bytes drained, 0 when there was nothing committed, {@link #NO_ROOM} when there was
     * but the file system has no room for it (the records stay in the ring).
     */
    int drainRound()
    {
        behind = false;
        for (int lane = 1; lane < lanes.length; lane++)
        {
            tails[lane] = lanes[lane].tailPositionVolatile();
        }
        final RingLane shared = lanes[0];
        final long sharedTail = shared.tailPositionVolatile();
        int total = 0;
        while (shared.headPosition() < sharedTail)
        {
            final int drained = drainBatch(shared, sharedTail);
            if (drained == NO_ROOM)
            {
                return NO_ROOM;
            }
            if (drained == 0)
            {
                discardUnframed(shared, sharedTail);
                break;
            }
            total += drained;
        }
        for (int lane = 1; lane < lanes.length; lane++)
        {
            final RingLane own = lanes[lane];
            final int drained = drainBatch(own, tails[lane]);
            if (drained == NO_ROOM)
            {
                return NO_ROOM;
            }
            if (drained == 0 && own.headPosition() < tails[lane])
            {
                discardUnframed(own, tails[lane]);
            }
            total += drained;
            if (own.headPosition() < tails[lane])
            {
                behind = true;
            }
        }
        return total;
    }

    /**
     * Committed bytes that are not a record can only come from a writer used by two threads at once (two producers
     * on one lane) or from something else writing the mapped file: without this, the lane would never drain and
     * its writer would wait forever. Skip to the tail, count the bytes, say so.
     */
    private void discardUnframed(final RingLane lane, final long tail)
    {
        final long head = lane.headPosition();
        lane.freeTo(tail);
        discardedBytes += tail - head;
        warnings.accept("lane " + lane.lane() + " of the ring holds " + (tail - head) + " committed bytes at position " +
            head + " that are not records (is one writer or emitter used by two threads at once?); discarded, " +
            discardedBytes + " bytes so far");
    }

    /**
     * @return whether the last round left records it could have drained (a lane had more than one batch): drain on.
     */
    boolean isBehind()
    {
        return behind;
    }

    /**
     * Drain one batch of {@code lane}: its records from the head up to {@code tail}, the end of the lane's data, a
     * record that cannot be framed, or {@code maxBatchBytes}.
     */
    private int drainBatch(final RingLane lane, final long tail)
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

        final int stored = append(lane.ringId(), head, headIndex, length, count);

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
    private int append(final long ringId, final long position, final int index, final int length, final int count)
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
     * Make a ring left by a process that died drainable: records of the lane whose batch the queue ends with may be
     * in the queue already (the drainer died between appending and freeing them), so that lane's head skips them, and
     * each acknowledged record reaches the queue exactly once. Lanes whose positions no ring can have are emptied
     * (named by {@link #resetAfterRecovery()}).
     *
     * @param drainedRingId   ring id of the queue's last batch from this ring file, or 0.
     * @param drainedPosition ring position up to which that batch reaches, or -1.
     */
    void prepareRecovery(final long drainedRingId, final long drainedPosition)
    {
        for (final RingLane lane : lanes)
        {
            if (!framable(lane))
            {
                continue; // left for resetAfterRecovery, which discards it
            }
            if (lane.ringId() == drainedRingId && drainedPosition > lane.headPosition() &&
                drainedPosition <= lane.tailPositionVolatile())
            {
                lane.freeTo(drainedPosition);
            }
        }
    }

    /**
     * @return whether lane positions are ones a ring can have (recovery drains only such lanes).
     */
    private static boolean framable(final RingLane lane)
    {
        return RingFileDescriptor.isPossibleLane(lane.headPosition(), lane.tailPositionVolatile(), lane.capacity());
    }

    /**
     * Recovery's drain: the shared lane to its tail first (the symbol definitions other lanes' records use), then the
     * other lanes to theirs; only lanes whose positions can be framed.
     *
     * @return ring bytes drained, or {@link #NO_ROOM}.
     */
    long drainForRecovery()
    {
        final long shared = drainLanesForRecovery(0, 1);
        if (shared == NO_ROOM)
        {
            return NO_ROOM;
        }
        final long others = drainLanesForRecovery(1, lanes.length);
        return others == NO_ROOM ? NO_ROOM : shared + others;
    }

    /**
     * Drain lanes {@code [from, to)} whose positions can be framed, a batch of each per round, until none has more.
     */
    private long drainLanesForRecovery(final int from, final int to)
    {
        long total = 0;
        int round;
        do
        {
            round = 0;
            for (int lane = from; lane < to; lane++)
            {
                if (framable(lanes[lane]))
                {
                    final int drained = drainBatch(lanes[lane], lanes[lane].tailPositionVolatile());
                    if (drained == NO_ROOM)
                    {
                        return NO_ROOM;
                    }
                    round += drained;
                }
            }
            total += round;
        }
        while (round > 0);
        return total;
    }

    /**
     * After a recovery drain: discard anything still between head and tail of each lane (it cannot be framed) and
     * make every lane empty, keeping positions monotonic so the queue's record of drained positions stays valid.
     *
     * Each lane whose positions no ring can have is named in a warning (what it held is unknown, so not counted).
     *
     * @return bytes discarded from lanes whose positions were sound.
     */
    long resetAfterRecovery()
    {
        long discarded = 0;
        for (final RingLane lane : lanes)
        {
            final long head = lane.headPosition();
            final long tail = lane.tailPositionVolatile();
            if (framable(lane))
            {
                discarded += tail - head;
                lane.reset(tail);
            }
            else
            {
                warnings.accept("lane " + lane.lane() + " of the ring file has impossible positions head=" + head +
                    " tail=" + tail + " for its capacity of " + lane.capacity() + " bytes: whatever it held that was " +
                    "not yet in the queue is discarded");
                lane.reset(BitUtil.align(Math.max(Math.max(head, tail), 0), RECORD_ALIGNMENT));
            }
            lane.attach();
        }
        return discarded;
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
