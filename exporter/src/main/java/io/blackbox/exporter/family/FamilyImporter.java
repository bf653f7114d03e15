package io.blackbox.exporter.family;

import io.blackbox.exporter.Problem;
import io.blackbox.recorder.Recorder;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads a family's existing telemetry files into a recording, so that export gives back the same records. A file is
 * checked whole first: a file with any problem imports nothing.
 */
public interface FamilyImporter
{
    /**
     * The longest record a recorder with the default ring takes (an eighth of the ring), the limit a file is checked
     * against before a recording is opened.
     */
    int DEFAULT_MAX_RECORD_LENGTH = Recorder.Context.DEFAULT_RING_CAPACITY / 8;

    /**
     * Check a file without importing anything.
     *
     * @param file            the file.
     * @param maxRecordLength the longest record the recording takes; a line that would make a longer one is a
     *                        problem.
     * @return its problems in file order, empty when it can be imported.
     */
    List<Problem> check(Path file, int maxRecordLength);

    /**
     * Import a file that {@link #check} found no problem in.
     *
     * @param recorder the recording to write into.
     * @param file     the file.
     * @return what was imported.
     */
    Imported importFile(Recorder recorder, Path file);

    /**
     * What an import wrote.
     *
     * @param records records written.
     * @param runs    runs they belong to.
     */
    record Imported(long records, int runs)
    {
    }
}
