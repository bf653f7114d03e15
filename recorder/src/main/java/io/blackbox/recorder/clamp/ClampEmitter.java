package io.blackbox.recorder.clamp;

import io.blackbox.codecs.ClampAnchorAcquiredEncoder;
import io.blackbox.codecs.ClampAnchorReleasedEncoder;
import io.blackbox.codecs.ClampRecordEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.clamp.ClampMessageLengths;
import io.blackbox.jni.NativeSupport;
import io.blackbox.recorder.EmitterContext;
import io.blackbox.recorder.RecordWriter;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;

/**
 * Records ROCForge Clamp's anchors ({@code specs/clamp-telemetry-v0.5.md}): each lock and each release, so the
 * export writes every anchor of a recorder session into one session file, an anchor still held when the process died
 * with {@code released_at: null}.
 * <pre>
 * try (ClampAnchor anchor = clamp.lock("kernel-launch"))      // context, seed, host thread id, acquired_at
 * {
 *     ... work that must be reproducible ...
 *     anchor.stability(0.75);                                 // optional: 1.0 unless set, in [0, 1]
 * }                                                           // released_at, duration_ms, stability_score
 * </pre>
 * {@code lock(String)} looks its context's symbol up (a map lookup); {@link #lock(int)} takes the symbol, for hot
 * loops. Neither allocates: anchors come from a small pool of this emitter's (a new one only past
 * {@value #POOLED_ANCHORS} held at once), the host thread id is read once ({@link NativeSupport#hostThreadId()}, the
 * emitter belongs to one thread), and seeds come from a pool of {@value #SEED_POOL} refilled by one
 * {@code getrandom} ({@link NativeSupport#entropySeeds}) when empty, never zero. Durations are from the monotonic
 * clock ({@link EmitterContext#intervalClock()}: {@link System#nanoTime()}, exact at every read); {@code acquired_at}
 * from the recorder's clock.
 * <p>
 * Not thread-safe: one emitter per thread ({@code recorder.emitter(ClampEmitter::new, runId)}). An anchor whose lock
 * could not be recorded (the ring full under the DROP policy, the recorder closed) is still a working anchor, its
 * {@link ClampAnchor#recorded()} false, and its release is not recorded either; the recorder's state never throws.
 */
public final class ClampEmitter implements AutoCloseable
{
    /** Anchors an emitter holds at once without allocating. */
    public static final int POOLED_ANCHORS = 16;
    /** Seeds taken from the kernel in one system call. */
    public static final int SEED_POOL = 64;

    private final EmitterContext context;
    private final RecordWriter writer;
    private final AtomicBuffer buffer;
    private final EpochNanoClock clock;
    private final NanoClock intervalClock;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final ClampAnchorAcquiredEncoder acquired = new ClampAnchorAcquiredEncoder();
    private final ClampAnchorReleasedEncoder released = new ClampAnchorReleasedEncoder();
    private final ClampRecordEncoder imported = new ClampRecordEncoder();
    private final ClampAnchor[] anchors = new ClampAnchor[POOLED_ANCHORS];
    private final long[] seeds = new long[SEED_POOL];
    private int seedsLeft;
    private SeedSource seedSource = NativeSupport::entropySeeds;
    private long threadId;
    private boolean threadIdRead;
    private int run;

    /**
     * Prefer {@code recorder.emitter(ClampEmitter::new, runId)}.
     *
     * @param context this emitter's writer, clock and run, and the recorder's symbols.
     */
    public ClampEmitter(final EmitterContext context)
    {
        this.context = context;
        this.writer = context.writer();
        this.buffer = writer.buffer();
        this.clock = context.clock();
        this.intervalClock = context.intervalClock();
        this.run = context.runSymbol();
        for (int i = 0; i < anchors.length; i++)
        {
            anchors[i] = new ClampAnchor(this);
        }
    }

    /**
     * Give this emitter's lane of the ring back (see {@link RecordWriter#close()}).
     */
    @Override
    public void close()
    {
        writer.close();
    }

    /**
     * Where seeds come from, {@value #SEED_POOL} at a time.
     */
    @FunctionalInterface
    public interface SeedSource
    {
        /**
         * Fill {@code seeds[offset, offset + count)} with non-zero seeds.
         */
        void fill(long[] seeds, int offset, int count);
    }

    /**
     * Take seeds from {@code source} instead of the kernel's entropy: for a reproducible recording (tests, golden
     * files). A zero it gives is refused when taken.
     *
     * @return this emitter.
     */
    public ClampEmitter seedSource(final SeedSource source)
    {
        seedSource = java.util.Objects.requireNonNull(source, "source");
        seedsLeft = 0;
        return this;
    }

    /**
     * @return the symbol for an anchor's context, looked up once and given to {@link #lock(int)};
     * {@link EmitterContext#NO_SYMBOL} when its definition could not be written yet.
     */
    public int symbol(final String anchorContext)
    {
        return context.symbol(anchorContext);
    }

    /**
     * Take an anchor: its seed, this thread's host id and {@code acquired_at} are recorded now.
     *
     * @param anchorContext the anchor's logical name ({@code context}).
     * @return the anchor, to close (try-with-resources) when its cycle ends.
     */
    public ClampAnchor lock(final String anchorContext)
    {
        return lock(context.symbol(anchorContext));
    }

    /**
     * Take an anchor, its context by symbol: no allocation.
     *
     * @param contextSymbol from {@link #symbol(String)}; {@link EmitterContext#NO_SYMBOL} records nothing (the anchor
     *                      works, unrecorded, counted as dropped).
     * @return the anchor, to close (try-with-resources) when its cycle ends.
     */
    public ClampAnchor lock(final int contextSymbol)
    {
        final ClampAnchor anchor = freeAnchor();
        final long seed = nextSeed();
        final long hostThreadId = hostThreadId();
        final long acquiredAt = clock.nanoTime();
        final long startNs = intervalClock.nanoTime();
        long number = 0;
        if (EmitterContext.NO_SYMBOL == contextSymbol || !runDefined())
        {
            context.refuse();
        }
        else
        {
            final int index = writer.claim(ClampAnchorAcquiredEncoder.TEMPLATE_ID, ClampMessageLengths.ANCHOR_ACQUIRED);
            if (index >= 0)
            {
                number = context.nextRunSequence();
                acquired.wrapAndApplyHeader(buffer, index, header)
                    .timestamp(acquiredAt)
                    .anchor(number)
                    .seed(seed)
                    .threadId(hostThreadId)
                    .run(run)
                    .context(contextSymbol);
                writer.commit(index);
            }
        }
        anchor.begin(number, seed, hostThreadId, acquiredAt, startNs);
        return anchor;
    }

    /**
     * Record an anchor's release; {@link ClampAnchor#close()} calls it.
     *
     * @return whether it was recorded.
     */
    boolean release(final long number, final long acquiredAt, final long startNs, final double stabilityScore)
    {
        final long durationNs = intervalClock.nanoTime() - startNs;
        if (0 == number)
        {
            return false; // its lock was not recorded: a release alone would pair with nothing
        }
        final int index = writer.claim(ClampAnchorReleasedEncoder.TEMPLATE_ID, ClampMessageLengths.ANCHOR_RELEASED);
        if (index < 0)
        {
            return false;
        }
        released.wrapAndApplyHeader(buffer, index, header)
            .timestamp(acquiredAt + durationNs) // the release's time without a second clock read
            .anchor(number)
            .durationNanos(durationNs)
            .stabilityScore(stabilityScore)
            .run(run);
        writer.commit(index);
        return true;
    }

    /**
     * Record one record of an existing session file as it was (importers): the export writes the records of one
     * {@code file} together, under that name.
     *
     * @param file         the symbol of the session file's name.
     * @param contextName  the symbol of {@code context}.
     * @param threadIdText the symbol of {@code thread_id} as written.
     * @param seed         {@code seed}'s 64 bits.
     * @param acquiredAt   {@code acquired_at}, epoch nanoseconds.
     * @param releasedAt   {@code released_at}, epoch nanoseconds, or {@link Long#MIN_VALUE} for null (in flight).
     * @param durationMs   {@code duration_ms}.
     * @param score        {@code stability_score}.
     * @return whether it was recorded.
     */
    public boolean importRecord(final int file, final int contextName, final int threadIdText, final long seed,
        final long acquiredAt, final long releasedAt, final double durationMs, final double score)
    {
        if (EmitterContext.NO_SYMBOL == file || EmitterContext.NO_SYMBOL == contextName ||
            EmitterContext.NO_SYMBOL == threadIdText || !runDefined())
        {
            return context.refuse();
        }
        final int index = writer.claim(ClampRecordEncoder.TEMPLATE_ID, ClampMessageLengths.RECORD);
        if (index < 0)
        {
            return false;
        }
        final ClampRecordEncoder encoder = imported.wrapAndApplyHeader(buffer, index, header)
            .acquiredAt(acquiredAt)
            .releasedAt(Long.MIN_VALUE == releasedAt ? 0 : releasedAt)
            .durationMs(durationMs)
            .stabilityScore(score)
            .seed(seed)
            .run(run)
            .file(file)
            .context(contextName)
            .threadId(threadIdText);
        encoder.fields().clear().released(Long.MIN_VALUE != releasedAt);
        writer.commit(index);
        return true;
    }

    private ClampAnchor freeAnchor()
    {
        for (final ClampAnchor anchor : anchors)
        {
            if (!anchor.held())
            {
                return anchor;
            }
        }
        return new ClampAnchor(this); // more held at once than the pool: still correct, one allocation
    }

    private long nextSeed()
    {
        if (0 == seedsLeft)
        {
            seedSource.fill(seeds, 0, SEED_POOL);
            seedsLeft = SEED_POOL;
        }
        final long seed = seeds[--seedsLeft];
        if (0 == seed)
        {
            throw new IllegalStateException("the seed source gave a zero seed: a zero marks a failed acquisition");
        }
        return seed;
    }

    private long hostThreadId()
    {
        if (!threadIdRead)
        {
            threadId = NativeSupport.hostThreadId();
            threadIdRead = true;
        }
        return threadId;
    }

    private boolean runDefined()
    {
        if (EmitterContext.NO_SYMBOL == run)
        {
            run = context.runSymbol();
        }
        return EmitterContext.NO_SYMBOL != run;
    }
}
