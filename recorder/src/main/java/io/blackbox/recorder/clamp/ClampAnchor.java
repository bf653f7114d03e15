package io.blackbox.recorder.clamp;

/**
 * A Clamp anchor being held: {@link ClampEmitter#lock} recorded its acquisition, {@link #close()} records its release
 * ({@code released_at}, {@code duration_ms}, {@code stability_score}). Reused by its emitter once closed: keep no
 * reference past {@code close()}.
 */
public final class ClampAnchor implements AutoCloseable
{
    private final ClampEmitter emitter;
    private boolean held;
    private long number;
    private long seed;
    private long threadId;
    private long acquiredAt;
    private long startNs;
    private double stabilityScore;

    ClampAnchor(final ClampEmitter emitter)
    {
        this.emitter = emitter;
    }

    void begin(final long number, final long seed, final long threadId, final long acquiredAt, final long startNs)
    {
        this.held = true;
        this.number = number;
        this.seed = seed;
        this.threadId = threadId;
        this.acquiredAt = acquiredAt;
        this.startNs = startNs;
        this.stabilityScore = 1.0;
    }

    boolean held()
    {
        return held;
    }

    /**
     * The cycle's stability, recorded at release; 1.0 (a successful cycle, as the original scores it) unless set.
     *
     * @param score in [0, 1].
     * @return this anchor.
     * @throws IllegalArgumentException when {@code score} is outside [0, 1] or NaN: the spec calls such a score
     *                                  corruption, so it is refused where it is made.
     */
    public ClampAnchor stability(final double score)
    {
        if (!(score >= 0.0 && score <= 1.0))
        {
            throw new IllegalArgumentException("stability score must be in [0, 1]: " + score);
        }
        stabilityScore = score;
        return this;
    }

    /**
     * @return the entropy seed the anchor was taken with, never 0.
     */
    public long seed()
    {
        return seed;
    }

    /**
     * @return the host (OS) id of the thread that took the anchor.
     */
    public long threadId()
    {
        return threadId;
    }

    /**
     * @return whether the acquisition was recorded (and so the release will be).
     */
    public boolean recorded()
    {
        return 0 != number;
    }

    /**
     * Release the anchor: its release is recorded, and the anchor goes back to its emitter. A second close does
     * nothing.
     */
    @Override
    public void close()
    {
        if (!held)
        {
            return;
        }
        held = false;
        emitter.release(number, acquiredAt, startNs, stabilityScore);
    }
}
