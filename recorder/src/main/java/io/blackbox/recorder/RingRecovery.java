package io.blackbox.recorder;

import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import io.blackbox.codecs.layout.RingFileDescriptor;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.BitUtil;
import org.agrona.concurrent.EpochNanoClock;

import java.io.IOException;
import java.text.ParseException;
import java.util.function.Consumer;

import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RECORD_ALIGNMENT;

/**
 * Crash recovery: what {@link Recorder#open} does with a ring file an earlier process left, before the drainer
 * starts. It drains every acknowledged record into the queue exactly once:
 * <ol>
 *     <li>the queue's last batch from this ring file is the only one that can be both in the queue and still in its
 *     lane (the drainer frees each batch before it appends the next), so that lane's head skips what it holds;</li>
 *     <li>lane 0 (the symbol definitions) drains to its tail, then the other lanes to theirs: everything between a
 *     lane's head and tail is a whole, committed record, and a claim whose emit never returned is beyond the tail;</li>
 *     <li>what cannot be framed (only damage makes that) is counted and discarded, lanes whose positions no ring can
 *     have are named, and every lane is emptied, positions kept monotonic;</li>
 *     <li>the count of records that session refused, kept in the ring file, goes into the queue as its
 *     {@code DropReport}.</li>
 * </ol>
 */
final class RingRecovery
{
    private final RingFile ring;
    private final RingLane[] lanes;
    private final QueueBatchWriter batches;
    private final EpochNanoClock clock;
    private final long storageReserveBytes;
    private final Consumer<String> ringWarnings;
    private final Consumer<String> warnings;

    private RingRecovery(final RingFile ring, final QueueBatchWriter batches, final EpochNanoClock clock,
        final long storageReserveBytes, final Consumer<String> ringWarnings, final Consumer<String> warnings)
    {
        this.ring = ring;
        this.lanes = ring.lanes();
        this.batches = batches;
        this.clock = clock;
        this.storageReserveBytes = storageReserveBytes;
        this.ringWarnings = ringWarnings;
        this.warnings = warnings;
    }

    /**
     * Drain what {@code ring} holds into {@code queue} through {@code batches}, on the calling thread.
     *
     * @param ringWarnings receives warnings about the ring file's lanes.
     * @param warnings     receives the summary warning.
     * @throws IOException when the file system has no room for what the ring holds (the ring stays as it is).
     */
    static Recorder.Recovery recover(final ChronicleQueue queue, final RingFile ring, final QueueBatchWriter batches,
        final EpochNanoClock clock, final long storageReserveBytes, final Consumer<String> ringWarnings,
        final Consumer<String> warnings) throws IOException
    {
        return new RingRecovery(ring, batches, clock, storageReserveBytes, ringWarnings, warnings).recover(queue);
    }

    private Recorder.Recovery recover(final ChronicleQueue queue) throws IOException
    {
        final LastBatch lastBatch = lastBatch(queue, ring.ringId(), lanes.length);
        prepareRecovery(lastBatch.ringId(), lastBatch.end());
        final long before = batches.records();
        if (drainForRecovery() == QueueBatchWriter.NO_ROOM)
        {
            // The ring stays as it is (what was drained is skipped next time): nothing is lost, the user frees space.
            throw new IOException("no room on the file system to recover the records " + ring.path() +
                " holds (fewer than " + storageReserveBytes + " reserve bytes free); free space and open it again");
        }
        final long records = batches.records() - before;
        final long unframed = resetAfterRecovery();
        // The session that left the ring may have died (or met a full file system) before its last drop report
        // reached the queue: report its count, kept in the ring file, as that session's, before ours starts.
        final long droppedBefore = ring.droppedRecords();
        if (droppedBefore > 0)
        {
            ControlRecords.writeDropReport(ring, clock, droppedBefore); // the ring is empty now: it fits
            if (drainForRecovery() == QueueBatchWriter.NO_ROOM)
            {
                throw new IOException("no room on the file system to record the drop count " + ring.path() + " holds");
            }
            ring.resetDropped();
        }
        if (unframed > 0)
        {
            warnings.accept("recovered " + records + " records from " + ring.path() + "; " + unframed +
                " bytes could not be framed and are skipped");
        }
        return new Recorder.Recovery(records, unframed, droppedBefore);
    }

    /**
     * The queue's last batch from a ring file: the ring id of its lane and the ring position it reaches. Only that batch
     * can be in the queue and still in its lane: the drainer frees each batch's range before it appends the next.
     */
    private record LastBatch(long ringId, long end)
    {
        static final LastBatch NONE = new LastBatch(0, -1);
    }

    /**
     * @return the queue's last batch from the ring file whose lanes carry ring ids {@code [ringId, ringId + laneCount)},
     * or {@link LastBatch#NONE}.
     * <p>
     * Reads forward, one cycle file at a time from the last: a backward tailer's {@code toEnd()} trips over a cycle
     * file a dying process left with its first header still being written, where reading forward simply stops.
     */
    private static LastBatch lastBatch(final ChronicleQueue queue, final long ringId, final int laneCount)
    {
        if (!(queue instanceof SingleChronicleQueue single))
        {
            throw new IllegalStateException("unexpected queue implementation " + queue.getClass().getName());
        }
        try (ExcerptTailer tailer = queue.createTailer())
        {
            int cycle = single.lastCycle();
            final int firstCycle = single.firstCycle();
            while (cycle != Integer.MIN_VALUE && cycle >= firstCycle)
            {
                final LastBatch last = lastBatchInCycle(tailer, cycle, ringId, laneCount);
                if (last != LastBatch.NONE)
                {
                    return last;
                }
                try
                {
                    final int previous = single.nextCycle(cycle, TailerDirection.BACKWARD);
                    if (previous == cycle || previous == -1)
                    {
                        break;
                    }
                    cycle = previous;
                }
                catch (final ParseException ex)
                {
                    throw new IllegalStateException("cannot list the queue's cycle files: " + ex.getMessage(), ex);
                }
            }
            return LastBatch.NONE;
        }
    }

    private static LastBatch lastBatchInCycle(
        final ExcerptTailer tailer, final int cycle, final long ringId, final int laneCount)
    {
        LastBatch last = LastBatch.NONE;
        if (!tailer.moveToCycle(cycle))
        {
            return last;
        }
        while (true)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent() || tailer.cycle() != cycle)
                {
                    return last;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                if (bytes.readRemaining() < RecordingBatchDescriptor.HEADER_LENGTH)
                {
                    continue;
                }
                final long start = bytes.readPosition();
                final long batchRingId = bytes.readLong(start + RecordingBatchDescriptor.RING_ID_OFFSET);
                if (batchRingId - ringId >= 0 && batchRingId - ringId < laneCount)
                {
                    last = new LastBatch(batchRingId, bytes.readLong(start + RecordingBatchDescriptor.RING_POSITION_OFFSET) +
                        bytes.readInt(start + RecordingBatchDescriptor.RECORDS_LENGTH_OFFSET));
                }
            }
        }
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
    private void prepareRecovery(final long drainedRingId, final long drainedPosition)
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
     * @return ring bytes drained, or {@link QueueBatchWriter#NO_ROOM}.
     */
    private long drainForRecovery()
    {
        final long shared = drainLanesForRecovery(0, 1);
        if (shared == QueueBatchWriter.NO_ROOM)
        {
            return QueueBatchWriter.NO_ROOM;
        }
        final long others = drainLanesForRecovery(1, lanes.length);
        return others == QueueBatchWriter.NO_ROOM ? QueueBatchWriter.NO_ROOM : shared + others;
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
                    final int drained = batches.drainBatch(lanes[lane], lanes[lane].tailPositionVolatile());
                    if (drained == QueueBatchWriter.NO_ROOM)
                    {
                        return QueueBatchWriter.NO_ROOM;
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
    private long resetAfterRecovery()
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
                ringWarnings.accept("lane " + lane.lane() + " of the ring file has impossible positions head=" + head +
                    " tail=" + tail + " for its capacity of " + lane.capacity() + " bytes: whatever it held that was " +
                    "not yet in the queue is discarded");
                lane.reset(BitUtil.align(Math.max(Math.max(head, tail), 0), RECORD_ALIGNMENT));
            }
            lane.attach();
        }
        return discarded;
    }
}
