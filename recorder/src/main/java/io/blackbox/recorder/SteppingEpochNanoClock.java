package io.blackbox.recorder;

import org.agrona.concurrent.EpochNanoClock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic clock: each read returns the previous value plus a fixed step. With it a fixed scenario
 * records the same timestamps every time, so its export is byte-identical (golden files).
 */
public final class SteppingEpochNanoClock implements EpochNanoClock
{
    private final AtomicLong next;
    private final long stepNs;

    public SteppingEpochNanoClock(final long startEpochNs, final long stepNs)
    {
        this.next = new AtomicLong(startEpochNs);
        this.stepNs = stepNs;
    }

    public long nanoTime()
    {
        return next.getAndAdd(stepNs);
    }
}
