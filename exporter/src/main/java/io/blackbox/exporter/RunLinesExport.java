package io.blackbox.exporter;

import java.io.IOException;
import java.util.List;

/**
 * A family export whose files are JSON Lines, one file per run ({@link RunJsonLines}): what such an export does besides
 * writing its records' lines is the same for every family, and is here.
 */
public abstract class RunLinesExport implements FamilyExport
{
    /** Where the runs' lines go: files, or a sink ({@link io.blackbox.exporter.family.TelemetryFamily#newLineExport}). */
    protected final RunJsonLines lines;

    /**
     * @param lines where the runs' lines go.
     */
    protected RunLinesExport(final RunJsonLines lines)
    {
        this.lines = lines;
    }

    /**
     * A family that keeps state by run id keeps it by source too: override, and call this.
     */
    @Override
    public void beginSource(final int source, final String label)
    {
        lines.source(source, label);
    }

    @Override
    public final void flush() throws IOException
    {
        lines.flush();
    }

    @Override
    public final List<ExportedFile> commit() throws IOException
    {
        return lines.commit();
    }

    @Override
    public final void close()
    {
        lines.close();
    }
}
