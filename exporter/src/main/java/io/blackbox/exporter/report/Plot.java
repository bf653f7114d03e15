package io.blackbox.exporter.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One chart of a report: series against a shared x axis, horizontal threshold lines and vertical markers (alerts).
 */
public final class Plot
{
    /**
     * A horizontal line at {@code y}.
     */
    public record Threshold(double y, String label)
    {
    }

    /**
     * A vertical mark at {@code x}, drawn in its run's colour.
     */
    public record Marker(double x, String run, String label)
    {
    }

    /** Buckets each series keeps: about the width of a plot in pixels. */
    public static final int BUCKETS = 800;

    private final String id;
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logScale;
    private final Map<String, MinMaxSeries> series = new LinkedHashMap<>();
    private final List<Threshold> thresholds = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();

    /**
     * @param id       unique in the report, for tests and links.
     * @param title    above the chart.
     * @param xLabel   the x axis.
     * @param yLabel   the y axis.
     * @param logScale whether y is drawn on a log scale (perplexity).
     */
    public Plot(final String id, final String title, final String xLabel, final String yLabel, final boolean logScale)
    {
        this.id = id;
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logScale = logScale;
    }

    /**
     * @return the series labelled {@code label} of {@code run}, made on first use.
     */
    public MinMaxSeries series(final String run, final String label)
    {
        return series.computeIfAbsent(run + '\0' + label, key -> new MinMaxSeries(label, run, BUCKETS));
    }

    /**
     * Add {@code value} to the run's series {@code label} when it is a number (a JSON null, absent key or text is not
     * drawn).
     */
    public void addNumber(final String run, final String label, final double x, final com.fasterxml.jackson.databind.JsonNode value)
    {
        if (null != value && value.isNumber())
        {
            series(run, label).add(x, value.asDouble());
        }
    }

    public void threshold(final double y, final String label)
    {
        thresholds.add(new Threshold(y, label));
    }

    public void marker(final double x, final String run, final String label)
    {
        markers.add(new Marker(x, run, label));
    }

    public String id()
    {
        return id;
    }

    public String title()
    {
        return title;
    }

    public String xLabel()
    {
        return xLabel;
    }

    public String yLabel()
    {
        return yLabel;
    }

    public boolean logScale()
    {
        return logScale;
    }

    public List<MinMaxSeries> series()
    {
        return List.copyOf(series.values());
    }

    public List<Threshold> thresholds()
    {
        return thresholds;
    }

    public List<Marker> markers()
    {
        return markers;
    }

    /**
     * @return whether it has a point to draw.
     */
    public boolean hasPoints()
    {
        for (final MinMaxSeries s : series.values())
        {
            if (s.points() > 0)
            {
                return true;
            }
        }
        return false;
    }
}
