package io.blackbox.exporter.family;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.report.ReportSection;

/**
 * A family's part of {@code blackbox report}: what it plots of its records. A report reads a recording through the
 * family's line export, or its exported files, so a family's report sees the records as its files hold them, whichever
 * the source.
 */
public interface FamilyReport
{
    /**
     * @param firstRecord the first record of a file given to {@code report FILE...}.
     * @return whether the file is this family's.
     */
    boolean recognizes(JsonNode firstRecord);

    /**
     * @return a new collector of one report's records.
     */
    Collector newCollector();

    /**
     * Takes the family's records one at a time (plots downsample as they go, so a run of millions of steps holds only
     * what is drawn) and makes the section at the end.
     */
    interface Collector
    {
        /**
         * @param run    the run the record belongs to: the run id the export's file is named by (a recording's, or
         *               the file's name decoded, {@code RunFileNames.decode}), for a family whose lines do not say.
         * @param record one record, as the family's export writes it; the collector may keep it.
         */
        void record(String run, ObjectNode record);

        /**
         * @return the family's section; null when no record came.
         */
        ReportSection section();
    }
}
