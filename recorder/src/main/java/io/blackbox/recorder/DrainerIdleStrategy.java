package io.blackbox.recorder;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The drainer's pace: straight on while rounds come back busy (at least {@code busyWorkCount} ring bytes), else a
 * park: {@link #MIN_PARK_NS} after a round that drained a fair amount (at least {@code busyWorkCount} /
 * {@value #TRICKLE_DIVISOR}), doubling to {@link #MAX_PARK_NS} while rounds find nothing or a trickle. An emitter that
 * finds the ring full, and the recorder's close, end a park early ({@code LockSupport.unpark} of the runner's thread).
 * <p>
 * Why not Agrona's {@link org.agrona.concurrent.BackoffIdleStrategy}: it parks only after rounds that did no work, and
 * spins and yields first. Both cost here. Spinning or short parks keep a core busy: every wake of a parked thread
 * cost about 35 us of CPU on the 2-core VM this was measured on (an idle drainer that backed off to 100 us parks used
 * 15 % of a core; at 4 ms, 1.3 %). And a drainer that comes straight back after a small round polls the ring's edge,
 * pulling the emitters' cache lines to its core: each emit cost twice as much while emits trickled in
 * (docs/benchmarks.md). A returned emit is already in {@code ring.dat}, so nothing durable waits on a pause; a 16 MiB
 * ring holds about 5 ms of records at the fastest emit rate measured.
 * <p>
 * Why a trickle backs off like nothing: a training loop emits a record or two a step, a step a millisecond. Parked
 * for 1 ms after each such round, the drainer woke a thousand times a second to move one record, and used 5 % of a
 * core beside a real training run (docs/benchmarks.md, issue 21); backed off, it moves a few records a wake.
 */
final class DrainerIdleStrategy implements IdleStrategy
{
    static final long MIN_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(4);
    /** A round that drained less than the busy count divided by this is a trickle: see the class comment. */
    static final int TRICKLE_DIVISOR = 128;

    private final int busyWorkCount;
    private final int trickleWorkCount;
    private long parkNs = MIN_PARK_NS;

    /**
     * @param busyWorkCount work count (ring bytes) at and above which the next round follows at once.
     */
    DrainerIdleStrategy(final int busyWorkCount)
    {
        this.busyWorkCount = busyWorkCount;
        this.trickleWorkCount = Math.max(1, busyWorkCount / TRICKLE_DIVISOR);
    }

    public void idle(final int workCount)
    {
        final long ns = parkNs(workCount);
        if (ns > 0)
        {
            LockSupport.parkNanos(this, ns);
        }
    }

    public void idle()
    {
        LockSupport.parkNanos(this, parkNs(0));
    }

    /**
     * The pace's rule, apart from the parking it decides.
     *
     * @param workCount ring bytes the round drained.
     * @return how long to park after it, 0 for not at all.
     */
    long parkNs(final int workCount)
    {
        if (workCount >= busyWorkCount)
        {
            parkNs = MIN_PARK_NS;
            return 0;
        }
        if (workCount >= trickleWorkCount)
        {
            parkNs = MIN_PARK_NS; // caught up: let records gather rather than poll the emitters' cache lines
        }
        else
        {
            parkNs = Math.min(parkNs << 1, MAX_PARK_NS); // nothing, or a trickle: fewer wakes, more records a wake
        }
        return parkNs;
    }

    public void reset()
    {
        parkNs = MIN_PARK_NS;
    }

    public String alias()
    {
        return "blackbox-drainer";
    }
}
