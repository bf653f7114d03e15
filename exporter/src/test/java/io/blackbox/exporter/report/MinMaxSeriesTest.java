package io.blackbox.exporter.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MinMaxSeriesTest
{
    @Test
    void shouldKeepEveryPointOfAShortSeries()
    {
        final MinMaxSeries series = new MinMaxSeries("a", "run", 8);
        for (int i = 0; i < 10; i++)
        {
            series.add(i, i * i);
        }
        final double[][] kept = series.kept();
        assertEquals(10, kept[0].length);
        for (int i = 0; i < 10; i++)
        {
            assertEquals(i, kept[0][i]);
            assertEquals(i * i, kept[1][i]);
        }
    }

    @Test
    void shouldKeepTheExtremesOfEachBucketInXOrderWithinTwiceTheBuckets()
    {
        final MinMaxSeries series = new MinMaxSeries("loss", "run", 100);
        final int points = 1_000_003;
        for (int i = 0; i < points; i++)
        {
            final double y = Math.sin(i / 1000.0) + (i == 777_777 ? 50 : 0) - (i == 123_456 ? 50 : 0);
            series.add(i, y);
        }
        series.add(points, Double.NaN);
        assertEquals(points, series.points());
        assertEquals(1, series.notFinite());
        final double[][] kept = series.kept();
        assertTrue(kept[0].length <= 4 * 100, kept[0].length + " points kept");
        assertTrue(kept[0].length >= 2 * 100 - 1, kept[0].length + " points kept");
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < kept[0].length; i++)
        {
            if (i > 0)
            {
                assertTrue(kept[0][i] > kept[0][i - 1], "x increases at " + i);
            }
            max = Math.max(max, kept[1][i]);
            min = Math.min(min, kept[1][i]);
            if (kept[1][i] > 10)
            {
                assertEquals(777_777, kept[0][i]);
            }
        }
        assertTrue(max > 45, "the spike up survives");
        assertTrue(min < -45, "the spike down survives");
    }
}
