package io.blackbox.recorder;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * One thread's handle for writing records into a {@link Recorder}'s ring: claim space, encode in place,
 * commit. Emitters hold one each. Not thread-safe: it owns a lane of the ring (a single-producer ring, see
 * {@link io.blackbox.codecs.layout.RingFileDescriptor}), so exactly one thread may use it at a time.
 * <pre>{@code
 * final int index = writer.claim(templateId, length);
 * if (index >= 0)
 * {
 *     encoder.wrapAndApplyHeader(writer.buffer(), index, header)...;
 *     writer.commit(index);
 * }
 * }</pre>
 * A writer that found no free lane (the recorder has {@link Recorder.Context#lanes(int)} of them) writes the shared
 * lane under its lock: correct, and slower. {@link #close()} gives the lane back for a later writer.
 */
public final class RecordWriter implements AutoCloseable
{
    /**
     * Shared-lane space records of the recorder itself (symbol definitions, drop reports) may use while the file system
     * is full and emitters may not, so what the recording needs to be read, and its count of refused records, still fit.
     */
    static final int HEADROOM_BYTES = 64 * 1024;

    private final Recorder recorder;
    /** What claims look at: accepting, storage full, closing. */
    private final RecorderState state;
    private final RingFile ringFile;
    private final RingLane sharedLane;
    private final AtomicBuffer buffer;
    private final Backpressure backpressure;
    /** The recorder's own writer ({@link ControlRecords}): may use the headroom; its refusals are counted there. */
    private final boolean control;
    private final int headroomBytes;
    private final IdleStrategy idle = new BackoffIdleStrategy(100, 1000, 1_000, 20_000);
    /** This writer's lane: one of its own, or the shared lane. */
    private RingLane lane;
    /** The lane of the claim in progress. */
    private RingLane claimed;

    RecordWriter(final Recorder recorder, final RecorderState state, final RingFile ringFile, final RingLane lane,
        final Backpressure backpressure, final boolean control)
    {
        this.recorder = recorder;
        this.state = state;
        this.ringFile = ringFile;
        this.sharedLane = ringFile.sharedLane();
        this.buffer = ringFile.buffer();
        this.lane = lane != null ? lane : sharedLane;
        this.backpressure = backpressure;
        this.control = control;
        this.headroomBytes = Math.min(HEADROOM_BYTES, sharedLane.capacity() / 4);
    }

    /**
     * Claim space for one record.
     *
     * @param templateId SBE template id of the record (its ring type).
     * @param length     length of the SBE message, header included.
     * @return the index in {@link #buffer()} to encode the message at, or -1 when the record was not
     * recorded (ring full under {@link Backpressure#DROP} or while {@link Recorder#isStorageFull()}, or the recorder
     * closed or its drainer failed); such records are counted in {@link Recorder#droppedRecords()}.
     * @throws IllegalArgumentException when the record is longer than {@link #maxRecordLength()}: a programming error
     * (no state of the recorder would take it), not a refusal.
     */
    public int claim(final int templateId, final int length)
    {
        final RingLane lane = this.lane;
        if (!lane.isShared() && length <= lane.maxRecordLength() && state.accepting)
        {
            final int index = lane.tryClaim(templateId, length);
            if (index >= 0)
            {
                claimed = lane;
                return index;
            }
        }
        return claimSlowly(lane, templateId, length);
    }

    private int claimSlowly(final RingLane lane, final int templateId, final int length)
    {
        if (length > maxRecordLength())
        {
            throw new IllegalArgumentException("record of " + length + " bytes is longer than the ring takes: " +
                "maxRecordLength=" + maxRecordLength() + " ringCapacity=" + ringFile.capacity());
        }
        if (lane.isShared())
        {
            return claimShared(templateId, length);
        }
        if (length > lane.maxRecordLength())
        {
            // Too long for this writer's lane: it goes through the shared lane, once everything this writer wrote
            // before it is in the queue (the drainer keeps each lane's order, not an order between lanes).
            return waitUntilDrained(lane) ? claimShared(templateId, length) : refuse();
        }
        if (!state.accepting)
        {
            return claimWhileNotAccepting(lane, templateId, length);
        }
        recorder.wakeDrainer(); // it may be in a caught-up pause while the lane filled
        if (backpressure == Backpressure.DROP)
        {
            return refuse();
        }

        idle.reset();
        while (true)
        {
            idle.idle();
            if (!state.accepting)
            {
                return claimWhileNotAccepting(lane, templateId, length);
            }
            final int index = lane.tryClaim(templateId, length);
            if (index >= 0)
            {
                claimed = lane;
                return index;
            }
        }
    }

    /**
     * @return whether the lane emptied into the queue; false when the recorder stopped accepting first.
     */
    private boolean waitUntilDrained(final RingLane lane)
    {
        idle.reset();
        while (!lane.isDrained())
        {
            if (!state.accepting)
            {
                return false;
            }
            recorder.wakeDrainer();
            idle.idle();
        }
        return true;
    }

    /**
     * Claim in the shared lane: returns holding its lock (released by {@link #commit} or {@link #abort}), or -1 not
     * holding it.
     */
    private int claimShared(final int templateId, final int length)
    {
        idle.reset();
        while (true)
        {
            sharedLane.lock();
            if (!state.accepting)
            {
                final int index = claimWhileNotAccepting(sharedLane, templateId, length);
                if (index < 0)
                {
                    sharedLane.unlock();
                }
                return index;
            }
            final int index = sharedLane.tryClaim(templateId, length);
            if (index >= 0)
            {
                claimed = sharedLane;
                return index;
            }
            sharedLane.unlock();
            recorder.wakeDrainer();
            if (backpressure == Backpressure.DROP)
            {
                return refuse();
            }
            idle.idle();
        }
    }

    /**
     * Closed, failed, or the file system full. In the last case the ring (a file that survives the process) still
     * takes records, until only the headroom of the shared lane is left: waiting for the file system could last
     * forever, so an emit that finds no room is refused and counted, whatever the backpressure policy.
     */
    private int claimWhileNotAccepting(final RingLane lane, final int templateId, final int length)
    {
        final int headroom = lane.isShared() && !control ? headroomBytes : 0;
        if (state.storageFull && !state.closing && lane.freeBytes() - length > headroom)
        {
            final int index = lane.tryClaim(templateId, length);
            if (index >= 0)
            {
                claimed = lane;
                return index;
            }
        }
        return refuse();
    }

    private int refuse()
    {
        if (!control)
        {
            ringFile.countDropped();
        }
        return -1;
    }

    /**
     * Publish a claimed record to the drainer.
     */
    public void commit(final int index)
    {
        final RingLane lane = claimed;
        lane.commit();
        if (lane.isShared())
        {
            lane.unlock();
        }
    }

    /**
     * Give back a claimed record without publishing it (it becomes padding).
     */
    public void abort(final int index)
    {
        final RingLane lane = claimed;
        lane.abort();
        if (lane.isShared())
        {
            lane.unlock();
        }
    }

    /**
     * @return the buffer claimed indexes refer to.
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the longest record (SBE message) the ring accepts: an eighth of its capacity.
     */
    public int maxRecordLength()
    {
        return sharedLane.maxRecordLength();
    }

    /**
     * @return whether this writer has a lane of its own (else it shares one under a lock).
     */
    public boolean hasOwnLane()
    {
        return !lane.isShared();
    }

    /**
     * @return the recorder this writer writes into.
     */
    public Recorder recorder()
    {
        return recorder;
    }

    /**
     * Give this writer's lane back to the recorder for a later writer, once what it holds is in the queue (so records
     * of this writer stay in order). A writer used after close still records, through the shared lane. Not while a
     * claim is open.
     */
    public void close()
    {
        final RingLane lane = this.lane;
        if (!lane.isShared())
        {
            waitUntilDrained(lane);
            this.lane = sharedLane;
            ringFile.releaseLane(lane);
        }
    }
}
