package io.blackbox.recorder;

/**
 * The extra numeric keys of one record being built: a key (a symbol) and its value, floats and integers kept apart
 * so that {@code 1.0} stays a float and {@code 100} an integer in the export. Preallocated: adding one never
 * allocates, so a hot-path emit can carry them. A family's emitter writes them into its record's two metric groups.
 */
public final class NumericMetrics
{
    /**
     * Keys of each kind one record carries at most; within a 1-byte group count.
     */
    public static final int CAPACITY = 64;

    private final int[] doubleKeys = new int[CAPACITY];
    private final double[] doubleValues = new double[CAPACITY];
    private final int[] longKeys = new int[CAPACITY];
    private final long[] longValues = new long[CAPACITY];
    private int doubleCount;
    private int longCount;

    /**
     * Forget the keys added: the next record starts with none.
     */
    public void reset()
    {
        doubleCount = 0;
        longCount = 0;
    }

    /**
     * Make this hold exactly the keys of {@code other}, in its order. No allocation.
     */
    public void copy(final NumericMetrics other)
    {
        System.arraycopy(other.doubleKeys, 0, doubleKeys, 0, other.doubleCount);
        System.arraycopy(other.doubleValues, 0, doubleValues, 0, other.doubleCount);
        System.arraycopy(other.longKeys, 0, longKeys, 0, other.longCount);
        System.arraycopy(other.longValues, 0, longValues, 0, other.longCount);
        doubleCount = other.doubleCount;
        longCount = other.longCount;
    }

    /**
     * @throws IllegalStateException when the record already has {@link #CAPACITY} float keys.
     */
    public void add(final int key, final double value)
    {
        if (doubleCount == CAPACITY)
        {
            throw new IllegalStateException("more than " + CAPACITY + " float metrics on one record");
        }
        doubleKeys[doubleCount] = key;
        doubleValues[doubleCount++] = value;
    }

    /**
     * @throws IllegalStateException when the record already has {@link #CAPACITY} integer keys.
     */
    public void add(final int key, final long value)
    {
        if (longCount == CAPACITY)
        {
            throw new IllegalStateException("more than " + CAPACITY + " integer metrics on one record");
        }
        longKeys[longCount] = key;
        longValues[longCount++] = value;
    }

    public int doubleCount()
    {
        return doubleCount;
    }

    public int doubleKey(final int index)
    {
        return doubleKeys[index];
    }

    public double doubleValue(final int index)
    {
        return doubleValues[index];
    }

    public int longCount()
    {
        return longCount;
    }

    public int longKey(final int index)
    {
        return longKeys[index];
    }

    public long longValue(final int index)
    {
        return longValues[index];
    }
}
