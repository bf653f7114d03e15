package io.blackbox.recorder;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What an emitter needs from its recorder, one context per emitter ({@link Recorder#emitter}): a writer into the ring of
 * its own, a clock of its own, the recorder's symbols, and the run the emitter records.
 * <p>
 * The emitter's part of the contract: an emit writes one record through {@link #writer()} (claim, encode in place,
 * commit) and returns true, or returns false when the record was not recorded. Not recording is counted: the
 * writer counts the claims it refuses, and an emit that refuses a record itself, because a symbol the record needs is
 * {@link #NO_SYMBOL}, returns {@link #refuse()}. Nothing about the recorder's state (ring full, file system full,
 * closed) throws out of an emit.
 * <p>
 * Not thread-safe, like the emitter: the writer owns a lane of the ring and the clock keeps per-thread state.
 */
public final class EmitterContext
{
    /**
     * The symbol {@link #symbol(String)} returns when it could not write the definition (ring full under
     * {@link Backpressure#DROP}, file system full, recorder closed): no record may carry it. A later call tries again.
     */
    public static final int NO_SYMBOL = 0;

    private final Recorder recorder;
    private final RecordWriter writer;
    private final EpochNanoClock clock;
    private final NanoClock intervalClock;
    private final String runId;
    private int runSymbol = NO_SYMBOL;
    private AtomicLong runSequence;

    EmitterContext(final Recorder recorder, final RecordWriter writer, final EpochNanoClock clock,
        final NanoClock intervalClock, final String runId)
    {
        this.recorder = recorder;
        this.writer = writer;
        this.clock = clock;
        this.intervalClock = intervalClock;
        this.runId = runId;
    }

    /**
     * @return this emitter's writer into the ring: claim, encode in place, commit.
     */
    public RecordWriter writer()
    {
        return writer;
    }

    /**
     * @return this emitter's timestamp source (epoch ns).
     */
    public EpochNanoClock clock()
    {
        return clock;
    }

    /**
     * @return what measures durations: the monotonic clock ({@link System#nanoTime()}), exact for every read (unlike
     * {@link #clock()}, which a fast emitter reads once per window); or, when the recorder was given a clock
     * ({@link Recorder.Context#clock}), that clock, so that a test's durations are as deterministic as its timestamps.
     */
    public NanoClock intervalClock()
    {
        return intervalClock;
    }

    /**
     * @return the integer that stands for {@code value} in records of this session, or {@link #NO_SYMBOL} when its
     * definition could not be written yet (see {@link Recorder#symbol(String)}).
     */
    public int symbol(final String value)
    {
        return recorder.symbol(value);
    }

    /**
     * @return the run id this emitter records.
     */
    public String runId()
    {
        return runId;
    }

    /**
     * @return the symbol of {@link #runId()}: defined on the first call that can write it, {@link #NO_SYMBOL} before.
     */
    public int runSymbol()
    {
        if (runSymbol == NO_SYMBOL)
        {
            runSymbol = recorder.symbol(runId);
        }
        return runSymbol;
    }

    /**
     * @return the next number of this emitter's run in this session, from 1, shared with every other emitter of the run
     * ({@link Recorder#runSequence}): for a family whose spec numbers a run's records. One atomic increment, no
     * allocation after the first call.
     */
    public long nextRunSequence()
    {
        if (null == runSequence)
        {
            runSequence = recorder.runSequence(runId);
        }
        return runSequence.incrementAndGet();
    }

    /**
     * @return the longest record (SBE message, header included) the writer takes; a longer one is a programming
     * error, refused by an {@link IllegalArgumentException}.
     */
    public int maxRecordLength()
    {
        return writer.maxRecordLength();
    }

    /**
     * @return what the writer does when the ring is full.
     */
    public Backpressure backpressure()
    {
        return recorder.backpressure();
    }

    /**
     * Count a record the emitter did not record without claiming it (a symbol it needs is {@link #NO_SYMBOL}), in
     * {@link Recorder#droppedRecords()} like the records the writer refuses.
     *
     * @return false, what the emit returns.
     */
    public boolean refuse()
    {
        recorder.countDropped();
        return false;
    }
}
