package io.blackbox.exporter.report;

import com.fasterxml.jackson.core.JsonGenerator;
import io.blackbox.exporter.AtomicFiles;
import io.blackbox.recorder.JsonValues;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Writes a report as one HTML file that opens offline: uPlot (its minified script and stylesheet, from the uPlot
 * webjar on the class path), the report's own script and style, and the data, all inline; nothing is fetched.
 * <pre>
 *   &lt;head&gt;  error catcher | uPlot css | report css
 *   &lt;body&gt;  &lt;script type="application/json" id="report-data"&gt; {title, source, runs, sections: [{plots: [...]}]}
 *           uPlot js | report js (draws every plot, the run selector, and writes #report-status)
 * </pre>
 * The report script leaves what it drew in {@code <pre id="report-status">} (JSON: errors, each plot's series and
 * legend, drawn pixels, render time), which the browser test reads from the DOM.
 */
public final class HtmlReport
{
    private static final String UPLOT_POM = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private HtmlReport()
    {
    }

    /**
     * Write {@code sections} to {@code out}, whole or not at all (a temporary file, then a rename).
     *
     * @param out      the HTML file.
     * @param title    the report's title.
     * @param source   what it was made from (a recording, files), shown under the title.
     * @param sections the families' sections.
     * @return the file's size in bytes.
     */
    public static long write(final Path out, final String title, final String source, final List<ReportSection> sections)
    {
        final String html = render(title, source, sections);
        AtomicFiles.writeString(out, html);
        return html.getBytes(StandardCharsets.UTF_8).length;
    }

    static String render(final String title, final String source, final List<ReportSection> sections)
    {
        final String uplotBase = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        final StringBuilder html = new StringBuilder(1 << 20);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta name=\"generator\" content=\"blackbox report\">\n")
            .append("<title>").append(escape(title)).append("</title>\n")
            // First, so that an error in any later script is caught.
            .append("<script>").append(resource("/report/errors.js")).append("</script>\n")
            .append("<style>").append(resource(uplotBase + "uPlot.min.css")).append("</style>\n")
            .append("<style>").append(resource("/report/report.css")).append("</style>\n")
            .append("</head>\n<body>\n")
            .append("<script type=\"application/json\" id=\"report-data\">")
            .append(scriptSafe(json(title, source, sections))).append("</script>\n")
            .append("<div id=\"report\"></div>\n<pre id=\"report-status\" hidden></pre>\n")
            .append("<script>").append(scriptSafe(resource(uplotBase + "uPlot.iife.min.js"))).append("</script>\n")
            .append("<script>").append(resource("/report/report.js")).append("</script>\n")
            .append("</body>\n</html>\n");
        return html.toString();
    }

    private static String json(final String title, final String source, final List<ReportSection> sections)
    {
        final StringWriter text = new StringWriter(1 << 20);
        try (JsonGenerator g = JsonValues.FACTORY.createGenerator(text))
        {
            g.writeStartObject();
            g.writeStringField("title", title);
            g.writeStringField("source", source);
            g.writeArrayFieldStart("runs");
            for (final ReportSection section : sections)
            {
                final Set<String> runs = new LinkedHashSet<>();
                for (final Plot plot : section.plots())
                {
                    for (final MinMaxSeries series : byRun(plot.series()))
                    {
                        runs.add(series.run());
                    }
                }
                for (final String run : runs)
                {
                    g.writeStartObject();
                    g.writeStringField("family", section.family());
                    g.writeStringField("id", run);
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("sections");
            for (final ReportSection section : sections)
            {
                writeSection(g, section);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return text.toString();
    }

    private static void writeSection(final JsonGenerator g, final ReportSection section) throws IOException
    {
        g.writeStartObject();
        g.writeStringField("family", section.family());
        g.writeStringField("title", section.title());
        g.writeArrayFieldStart("columns");
        for (final String column : section.columns())
        {
            g.writeString(column);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("rows");
        final List<List<String>> rows = new java.util.ArrayList<>(section.rows());
        rows.sort(java.util.Comparator.comparing(row -> row.isEmpty() ? "" : row.get(0)));
        for (final List<String> row : rows)
        {
            g.writeStartArray();
            for (final String cell : row)
            {
                g.writeString(cell);
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("plots");
        for (final Plot plot : section.plots())
        {
            if (!plot.hasPoints())
            {
                continue;
            }
            g.writeStartObject();
            g.writeStringField("id", plot.id());
            g.writeStringField("title", plot.title());
            g.writeStringField("x", plot.xLabel());
            g.writeStringField("y", plot.yLabel());
            g.writeBooleanField("log", plot.logScale());
            g.writeArrayFieldStart("series");
            for (final MinMaxSeries series : byRun(plot.series()))
            {
                if (0 == series.points())
                {
                    continue;
                }
                final double[][] kept = series.kept();
                g.writeStartObject();
                g.writeStringField("label", series.label());
                g.writeStringField("run", series.run());
                g.writeNumberField("points", series.points());
                g.writeArrayFieldStart("x");
                for (final double x : kept[0])
                {
                    if (x == Math.rint(x) && Math.abs(x) < 1e15)
                    {
                        g.writeNumber((long)x); // steps: integers, shortest as such
                    }
                    else
                    {
                        g.writeNumber(x);
                    }
                }
                g.writeEndArray();
                g.writeArrayFieldStart("y");
                for (final double y : kept[1])
                {
                    // A float's 7 digits are more than a pixel column shows, and half the bytes of a double's; a value
                    // a float cannot hold (too large, too small) stays a double.
                    final float narrow = (float)y;
                    if (Float.isFinite(narrow) && (0 == y || 0 != narrow))
                    {
                        g.writeNumber(narrow);
                    }
                    else
                    {
                        g.writeNumber(y);
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("thresholds");
            for (final Plot.Threshold threshold : plot.thresholds())
            {
                g.writeStartObject();
                g.writeNumberField("y", threshold.y());
                g.writeStringField("label", threshold.label());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("markers");
            final List<Plot.Marker> markers = new java.util.ArrayList<>(plot.markers());
            markers.sort(java.util.Comparator.comparing(Plot.Marker::run).thenComparingDouble(Plot.Marker::x));
            for (final Plot.Marker marker : markers)
            {
                g.writeStartObject();
                g.writeNumberField("x", marker.x());
                g.writeStringField("run", marker.run());
                g.writeStringField("label", marker.label());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * Runs in the order of their ids, each run's series in the order they came: a recording interleaves its runs and
     * files come in the order given, and both make the same report.
     */
    private static List<MinMaxSeries> byRun(final List<MinMaxSeries> series)
    {
        final List<MinMaxSeries> sorted = new java.util.ArrayList<>(series);
        sorted.sort(java.util.Comparator.comparing(MinMaxSeries::run)); // stable: a run's series keep their order
        return sorted;
    }

    /**
     * @return {@code text} safe inside a script element: a {@code </} would end it.
     */
    static String scriptSafe(final String text)
    {
        return text.replace("</", "<\\/");
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String uplotVersion()
    {
        try (InputStream in = HtmlReport.class.getResourceAsStream(UPLOT_POM))
        {
            if (null == in)
            {
                throw new IllegalStateException("uPlot is not on the class path (" + UPLOT_POM + ")");
            }
            final Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static String resource(final String name)
    {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name))
        {
            if (null == in)
            {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
