package io.blackbox.exporter.report;

/**
 * One series of a plot, downsampled as it streams in so that its peaks survive: points are put in buckets of
 * consecutive points, and each bucket keeps its lowest and its highest point (min/max per pixel column, the
 * downsampling that never hides a spike). When the buckets fill, neighbours are merged in pairs and each holds twice
 * the points, so memory stays at {@code 2 x maxBuckets} buckets however long the run, and the plot gets between
 * {@code maxBuckets} and {@code 2 x maxBuckets} buckets: at most two points each.
 * <pre>
 *   points:  . : . | ' . : | . . ' | ...     bucket = bucketSize consecutive points
 *   kept:    min, max of each bucket, in x order
 * </pre>
 * Points whose y is not finite are counted and left out (a plot cannot draw NaN).
 */
public final class MinMaxSeries
{
    private final String label;
    private final String run;
    private final int maxBuckets;
    private final double[] minX;
    private final double[] minY;
    private final double[] maxX;
    private final double[] maxY;
    private final long[] count;
    private int buckets;
    private long bucketSize = 1;
    private long points;
    private long notFinite;

    /**
     * @param label      the series' name in the legend.
     * @param run        the run it belongs to (the report's run selector shows and hides a run's series together).
     * @param maxBuckets the buckets the plot gets at least once the series is longer (about its width in pixels).
     */
    public MinMaxSeries(final String label, final String run, final int maxBuckets)
    {
        if (maxBuckets < 1)
        {
            throw new IllegalArgumentException("maxBuckets: " + maxBuckets);
        }
        this.label = label;
        this.run = run;
        this.maxBuckets = maxBuckets;
        final int capacity = 2 * maxBuckets;
        minX = new double[capacity];
        minY = new double[capacity];
        maxX = new double[capacity];
        maxY = new double[capacity];
        count = new long[capacity];
    }

    /**
     * @param x the point's x (a step); points come in x order, as a run records them.
     * @param y its value.
     */
    public void add(final double x, final double y)
    {
        if (!Double.isFinite(y) || !Double.isFinite(x))
        {
            notFinite++;
            return;
        }
        points++;
        if (0 == buckets || count[buckets - 1] == bucketSize)
        {
            if (buckets == count.length)
            {
                mergePairs();
            }
            final int b = buckets++;
            minX[b] = x;
            minY[b] = y;
            maxX[b] = x;
            maxY[b] = y;
            count[b] = 1;
            return;
        }
        final int b = buckets - 1;
        if (y < minY[b])
        {
            minY[b] = y;
            minX[b] = x;
        }
        if (y > maxY[b])
        {
            maxY[b] = y;
            maxX[b] = x;
        }
        count[b]++;
    }

    private void mergePairs()
    {
        int to = 0;
        for (int from = 0; from < buckets; from += 2, to++)
        {
            minX[to] = minX[from];
            minY[to] = minY[from];
            maxX[to] = maxX[from];
            maxY[to] = maxY[from];
            count[to] = count[from];
            if (from + 1 < buckets)
            {
                final int next = from + 1;
                if (minY[next] < minY[to])
                {
                    minY[to] = minY[next];
                    minX[to] = minX[next];
                }
                if (maxY[next] > maxY[to])
                {
                    maxY[to] = maxY[next];
                    maxX[to] = maxX[next];
                }
                count[to] += count[next];
            }
        }
        buckets = to;
        bucketSize *= 2;
    }

    public String label()
    {
        return label;
    }

    public String run()
    {
        return run;
    }

    /**
     * @return points added with a finite value.
     */
    public long points()
    {
        return points;
    }

    /**
     * @return points left out because their value was NaN or infinite.
     */
    public long notFinite()
    {
        return notFinite;
    }

    /**
     * @return the points kept, in x order: each bucket's min and max (one point when they are the same).
     */
    public double[][] kept()
    {
        final double[] xs = new double[2 * buckets];
        final double[] ys = new double[2 * buckets];
        int n = 0;
        for (int b = 0; b < buckets; b++)
        {
            final boolean minFirst = minX[b] <= maxX[b];
            xs[n] = minFirst ? minX[b] : maxX[b];
            ys[n++] = minFirst ? minY[b] : maxY[b];
            if (minX[b] != maxX[b] || minY[b] != maxY[b])
            {
                xs[n] = minFirst ? maxX[b] : minX[b];
                ys[n++] = minFirst ? maxY[b] : minY[b];
            }
        }
        return new double[][] {java.util.Arrays.copyOf(xs, n), java.util.Arrays.copyOf(ys, n)};
    }
}
