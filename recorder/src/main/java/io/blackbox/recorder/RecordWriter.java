package io.blackbox.recorder;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

/**
 * One thread's handle for writing records into a {@link Recorder}'s ring: claim space, encode in place,
 * commit. Emitters hold one each. Not thread-safe (it holds the thread's idle state); the ring behind it is.
 * <pre>{@code
 * final int index = writer.claim(templateId, length);
 * if (index >= 0)
 * {
 *     encoder.wrapAndApplyHeader(writer.buffer(), index, header)...;
 *     writer.commit(index);
 * }
 * }</pre>
 */
public final class RecordWriter
{
    /**
     * Ring space records of the recorder itself (symbol definitions, drop reports) may use while the file system is
     * full and emitters may not, so what the recording needs to be read, and its count of refused records, still fit.
     */
    static final int HEADROOM_BYTES = 64 * 1024;

    private final Recorder recorder;
    private final ManyToOneRingBuffer ring;
    private final AtomicBuffer buffer;
    private final Backpressure backpressure;
    private final boolean control;
    private final int headroomBytes;
    private final IdleStrategy idle = new BackoffIdleStrategy(100, 1000, 1_000, 20_000);

    RecordWriter(final Recorder recorder, final ManyToOneRingBuffer ring, final Backpressure backpressure, final boolean control)
    {
        this.recorder = recorder;
        this.ring = ring;
        this.buffer = ring.buffer();
        this.backpressure = backpressure;
        this.control = control;
        this.headroomBytes = Math.min(HEADROOM_BYTES, ring.capacity() / 4);
    }

    /**
     * Claim space for one record.
     *
     * @param templateId SBE template id of the record (its ring type).
     * @param length     length of the SBE message, header included.
     * @return the index in {@link #buffer()} to encode the message at, or -1 when the record was not
     * recorded (ring full under {@link Backpressure#DROP} or while {@link Recorder#isStorageFull()}, or the recorder
     * closed); such records are counted.
     * @throws IllegalArgumentException when the record is longer than the ring's maximum record length.
     */
    public int claim(final int templateId, final int length)
    {
        if (recorder.isAccepting())
        {
            final int index = ring.tryClaim(templateId, length);
            if (index >= 0)
            {
                return index;
            }
        }
        return claimSlowly(templateId, length);
    }

    private int claimSlowly(final int templateId, final int length)
    {
        if (!recorder.isAccepting())
        {
            return claimWhileNotAccepting(templateId, length);
        }
        recorder.wakeDrainer(); // it may be in a caught-up pause while the ring filled
        if (backpressure == Backpressure.DROP)
        {
            recorder.countDropped();
            return -1;
        }

        idle.reset();
        while (true)
        {
            idle.idle();
            if (!recorder.isAccepting())
            {
                return claimWhileNotAccepting(templateId, length);
            }
            final int index = ring.tryClaim(templateId, length);
            if (index >= 0)
            {
                return index;
            }
        }
    }

    /**
     * Closed, failed, or the file system full. In the last case the ring (a file that survives the process) still
     * takes records, until only the headroom is left: waiting for the file system could last forever, so an emit
     * that finds no room is refused and counted, whatever the backpressure policy.
     */
    private int claimWhileNotAccepting(final int templateId, final int length)
    {
        if (recorder.isStorageFull() && !recorder.isClosing() &&
            (control || ring.capacity() - ring.size() - length > headroomBytes))
        {
            final int index = ring.tryClaim(templateId, length);
            if (index >= 0)
            {
                return index;
            }
        }
        recorder.countDropped();
        return -1;
    }

    /**
     * Publish a claimed record to the drainer.
     */
    public void commit(final int index)
    {
        ring.commit(index);
    }

    /**
     * Give back a claimed record without publishing it (it becomes padding).
     */
    public void abort(final int index)
    {
        ring.abort(index);
    }

    /**
     * @return the buffer claimed indexes refer to.
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the longest record (SBE message) the ring accepts.
     */
    public int maxRecordLength()
    {
        return ring.maxMsgLength();
    }

    /**
     * @return the recorder this writer writes into.
     */
    public Recorder recorder()
    {
        return recorder;
    }
}
