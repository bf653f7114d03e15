package io.blackbox.exporter;

import java.io.IOException;
import java.util.List;

/**
 * One telemetry family's export: turns its records into the files its spec defines under an export root.
 * Each family claims a range of template ids (see the schema).
 */
public interface FamilyExport extends RecordingReader.RecordHandler, AutoCloseable
{
    /**
     * @return the family's name, also its directory under the export root.
     */
    String family();

    /**
     * @return whether records of this template belong to this family.
     */
    boolean handles(int templateId);

    /**
     * Finish every file and move it into place.
     *
     * @return the files written.
     */
    List<ExportedFile> commit() throws IOException;

    /**
     * Discard files not committed.
     */
    void close();

    /**
     * A file an export wrote, with the number of records in it.
     */
    record ExportedFile(java.nio.file.Path path, long records)
    {
    }
}
