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
     * For a family whose files are one JSON document each (Clamp's session files), which {@code report FILE...} cannot
     * read as lines.
     *
     * @param file a file given to {@code report FILE...} whose first line is not a record.
     * @return whether it is this family's document; false by default.
     */
    default boolean recognizesDocument(final java.nio.file.Path file)
    {
        return false;
    }

    /**
     * Hand each record of a document {@link #recognizesDocument} took to {@code into}.
     *
     * @return the records read.
     * @throws io.blackbox.exporter.RecordingException naming the file and record that cannot be read.
     */
    default long readDocument(final java.nio.file.Path file, final Collector into)
    {
        throw new UnsupportedOperationException(file + ": not a document of this family");
    }

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
