package io.blackbox.exporter;

import java.io.IOException;
import java.util.List;

/**
 * One telemetry family's export: turns its records into the files its spec defines under an export root. The
 * family's declaration ({@link io.blackbox.exporter.family.TelemetryFamily}) makes it, and says which template ids
 * it is given; {@link FamilyExports} hands it exactly those records, in recording order, each once.
 * <p>
 * Each record is decoded once: a record that does not decode throws a {@link RecordingException} naming the field,
 * and the export keeps only whole lines (what it began for that record is dropped). Session callbacks and
 * {@link #commit} let a family write more than one line per record: a document per session, a summary after the last
 * record.
 */
public interface FamilyExport extends RecordingReader.RecordHandler, AutoCloseable
{
    /**
     * The records from now on are of another recording of the same export (one job's ranks, {@link MergedExport}):
     * a run id two sources both use is two runs. A family whose files are one per session needs nothing here.
     *
     * @param source the recording's index in the export, counting from 0.
     * @param label  names the source where a file name must tell two sources apart: {@code rank-1}.
     */
    default void beginSource(final int source, final String label)
    {
    }

    /**
     * Push what was written so far to the files, in whole lines: for a live export ({@code export --follow}), whose
     * files a reader watches grow. A family whose files are documents that cannot be read before they are whole (one
     * JSON document a session) writes them at its session's end and then.
     */
    void flush() throws IOException;

    /**
     * Finish every file after the last record and move it into place.
     *
     * @return the files written.
     */
    List<ExportedFile> commit() throws IOException;

    /**
     * Discard files not committed.
     */
    void close();

    /**
     * A file an export wrote.
     *
     * @param path          the file.
     * @param records       the records (lines, or a document's entries) it holds.
     * @param sourceRecords the recording's records they were made of: the same number where a record is a line,
     *                      more where one entry folds several records (a Clamp anchor's lock and release).
     */
    record ExportedFile(java.nio.file.Path path, long records, long sourceRecords)
    {
        /**
         * A file whose every record is one of the recording's.
         */
        public ExportedFile(final java.nio.file.Path path, final long records)
        {
            this(path, records, records);
        }
    }
}
