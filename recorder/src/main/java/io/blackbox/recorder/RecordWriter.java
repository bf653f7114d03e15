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
    private final Recorder recorder;
    private final ManyToOneRingBuffer ring;
    private final AtomicBuffer buffer;
    private final Backpressure backpressure;
    private final IdleStrategy idle = new BackoffIdleStrategy(100, 1000, 1_000, 20_000);

    RecordWriter(final Recorder recorder, final ManyToOneRingBuffer ring, final Backpressure backpressure)
    {
        this.recorder = recorder;
        this.ring = ring;
        this.buffer = ring.buffer();
        this.backpressure = backpressure;
    }

    /**
     * Claim space for one record.
     *
     * @param templateId SBE template id of the record (its ring type).
     * @param length     length of the SBE message, header included.
     * @return the index in {@link #buffer()} to encode the message at, or -1 when the record was not
     * recorded (ring full under {@link Backpressure#DROP}, or the recorder closed); such records are counted.
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
        if (backpressure == Backpressure.DROP || !recorder.isAccepting())
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
                recorder.countDropped();
                return -1;
            }
            final int index = ring.tryClaim(templateId, length);
            if (index >= 0)
            {
                return index;
            }
        }
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
