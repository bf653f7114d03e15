package io.blackbox.exporter.clamp;

/**
 * One anchor record of a session file.
 *
 * @param context        {@code context}.
 * @param seed           {@code seed}, its 64 bits (written unsigned).
 * @param threadId       {@code thread_id}, as written.
 * @param acquiredAt     {@code acquired_at}, epoch nanoseconds.
 * @param releasedAt     {@code released_at}, epoch nanoseconds, or null while in flight.
 * @param durationMs     {@code duration_ms}.
 * @param stabilityScore {@code stability_score}.
 */
public record ClampRecordValue(String context, long seed, String threadId, long acquiredAt, Long releasedAt,
    double durationMs, double stabilityScore)
{
    /**
     * @return the same record with every time shifted by {@code deltaNanos} ({@code alignToReference}).
     */
    public ClampRecordValue shifted(final long deltaNanos)
    {
        return new ClampRecordValue(context, seed, threadId, Math.addExact(acquiredAt, deltaNanos),
            null == releasedAt ? null : Math.addExact(releasedAt, deltaNanos), durationMs, stabilityScore);
    }
}
