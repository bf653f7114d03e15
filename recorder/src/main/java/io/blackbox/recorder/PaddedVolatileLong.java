package io.blackbox.recorder;

/**
 * A volatile long on cache lines of its own, for a value one thread writes often and others read: the drainer's
 * count of drained records, updated every round, would otherwise share a line with fields every emit reads, and
 * each round would cost the emitting threads a cache miss.
 */
final class PaddedVolatileLong extends PaddedVolatileLongValue
{
    @SuppressWarnings("unused")
    private long p10, p11, p12, p13, p14, p15, p16, p17;

    long get()
    {
        return value;
    }

    void set(final long value)
    {
        this.value = value;
    }
}

abstract class PaddedVolatileLongValue extends PaddedVolatileLongPadding
{
    volatile long value;
}

abstract class PaddedVolatileLongPadding
{
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07;
}
