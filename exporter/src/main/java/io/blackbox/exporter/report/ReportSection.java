package io.blackbox.exporter.report;

import java.util.List;

/**
 * A family's part of a report: its plots and a table of its runs.
 *
 * @param family  the family's name.
 * @param title   the section's heading.
 * @param columns the runs table's column names.
 * @param rows    the runs table, a row per run, cells as text, the run first (rows are shown in run order).
 * @param plots   the charts, in order; a chart without points is left out.
 */
public record ReportSection(String family, String title, List<String> columns, List<List<String>> rows,
    List<Plot> plots)
{
}
