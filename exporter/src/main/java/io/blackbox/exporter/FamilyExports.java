package io.blackbox.exporter;

import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The export of every registered family at once: one {@link RecordingReader.RecordHandler} that hands each record to
 * the family whose template id range holds it (a table lookup), passes session boundaries to every family, and counts
 * records no family claims (written by a newer version).
 * <p>
 * A family export failing on a record in a way it did not foresee (a decoder's own check, say) is that record's
 * damage, not a crash of the export: it becomes a {@link RecordingException}, which the reader reports and reads on.
 */
public final class FamilyExports implements RecordingReader.RecordHandler, AutoCloseable
{
    /**
     * Stands in the template table for a family another export exports: its records are known, and not written here.
     */
    private static final FamilyExport SKIPPED = new FamilyExport()
    {
        public void onRecord(final int templateId, final DirectBuffer buffer, final int offset, final int length,
            final Symbols symbols)
        {
        }

        public void flush()
        {
        }

        public List<ExportedFile> commit()
        {
            return List.of();
        }

        public void close()
        {
        }
    };

    /** The family of each export, in registry order. */
    private final List<TelemetryFamily> families = new ArrayList<>();
    private final List<FamilyExport> exports = new ArrayList<>();
    private final FamilyExport[] byTemplateId = new FamilyExport[1 << 16];
    private long unknownRecords;

    /**
     * @param root the export root; each family decides where under it its files go.
     * @param live whether files are written in place and grow as {@link #flush()} pushes lines, for a reader that
     *             watches them ({@code export --follow}), instead of appearing whole on {@link #commit()}.
     */
    public FamilyExports(final Path root, final boolean live)
    {
        this(family -> family.newExport(root, live));
    }

    /**
     * The export of some of the registered families, for one part of an export that runs on several threads: records
     * of the other registered families are skipped without a word (another part exports them), and only records of a
     * template no registered family claims are counted as {@link #unknownRecords()}.
     *
     * @param root     the export root; each family decides where under it its files go.
     * @param live     as {@link #FamilyExports(Path, boolean)}.
     * @param exported whether this export writes a family's files.
     */
    public FamilyExports(final Path root, final boolean live, final Predicate<TelemetryFamily> exported)
    {
        this(family -> exported.test(family) ? family.newExport(root, live) : SKIPPED);
    }

    /**
     * The families' line exports ({@link TelemetryFamily#newLineExport}): the lines of {@code print --json}, of the
     * summary's estimate and of the report. Nothing is written. A family the function gives no sink, or without a line
     * export, claims no record ({@link #handles}).
     *
     * @param root  where the files would go.
     * @param sinks the sink of a family's lines, or null to leave the family out.
     * @return the exports.
     */
    public static FamilyExports lines(final Path root,
        final java.util.function.Function<TelemetryFamily, RunJsonLines.RunLineSink> sinks)
    {
        return new FamilyExports(family ->
        {
            final RunJsonLines.RunLineSink sink = sinks.apply(family);
            return null == sink ? null : family.newLineExport(root, sink);
        });
    }

    private FamilyExports(final java.util.function.Function<TelemetryFamily, FamilyExport> newExport)
    {
        for (final TelemetryFamily family : TelemetryFamilies.all())
        {
            final FamilyExport export = newExport.apply(family);
            if (null == export)
            {
                continue;
            }
            if (SKIPPED != export)
            {
                families.add(family);
                exports.add(export);
            }
            for (int templateId = family.firstTemplateId(); templateId <= family.lastTemplateId(); templateId++)
            {
                byTemplateId[templateId] = export;
            }
        }
    }

    /**
     * @return whether an export here takes records of {@code templateId}.
     */
    public boolean handles(final int templateId)
    {
        return templateId >= 0 && templateId < byTemplateId.length && null != byTemplateId[templateId] &&
            SKIPPED != byTemplateId[templateId];
    }

    public void onRecord(final int templateId, final DirectBuffer buffer, final int offset, final int length,
        final Symbols symbols)
    {
        final FamilyExport export = byTemplateId[templateId];
        if (null == export)
        {
            unknownRecords++;
            return;
        }
        try
        {
            export.onRecord(templateId, buffer, offset, length, symbols);
        }
        catch (final RecordingException | IndexOutOfBoundsException | UncheckedIOException ex)
        {
            throw ex; // damage the reader reports, or the export's own output failing
        }
        catch (final RuntimeException ex)
        {
            throw new RecordingException("template " + templateId + " does not decode" +
                (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
        }
    }

    /**
     * The records from now on are of another recording of the export ({@link FamilyExport#beginSource}).
     */
    public void beginSource(final int source, final String label)
    {
        for (final FamilyExport export : exports)
        {
            export.beginSource(source, label);
        }
    }

    public void onSessionStart(final RecordingReader.Session session)
    {
        for (final FamilyExport export : exports)
        {
            export.onSessionStart(session);
        }
    }

    public void onSessionEnd(final RecordingReader.Session session)
    {
        for (final FamilyExport export : exports)
        {
            export.onSessionEnd(session);
        }
    }

    /**
     * Stop exporting some families, for another export to write them whole: what was written of their files is
     * discarded (as {@link #close()} discards it), and their records are skipped from now on without a word.
     *
     * @param skipped whether this export stops writing a family's files.
     */
    public void skipFamilies(final Predicate<TelemetryFamily> skipped)
    {
        for (int i = exports.size() - 1; i >= 0; i--)
        {
            final TelemetryFamily family = families.get(i);
            if (skipped.test(family))
            {
                families.remove(i);
                exports.remove(i).close();
                for (int templateId = family.firstTemplateId(); templateId <= family.lastTemplateId(); templateId++)
                {
                    byTemplateId[templateId] = SKIPPED;
                }
            }
        }
    }

    /**
     * @return records of a template no registered family claims, so far.
     */
    public long unknownRecords()
    {
        return unknownRecords;
    }

    /**
     * Push every family's lines written so far to its files (a live export's files grow by them).
     */
    public void flush() throws IOException
    {
        for (final FamilyExport export : exports)
        {
            export.flush();
        }
    }

    /**
     * Finish every family's files after the last record and move them into place.
     *
     * @return the files written, by family name, in registry order; a family that wrote nothing is absent.
     */
    public Map<String, List<FamilyExport.ExportedFile>> commit() throws IOException
    {
        final Map<String, List<FamilyExport.ExportedFile>> files = new LinkedHashMap<>();
        for (int i = 0; i < exports.size(); i++)
        {
            final List<FamilyExport.ExportedFile> written = exports.get(i).commit();
            if (!written.isEmpty())
            {
                files.put(families.get(i).name(), written);
            }
        }

        return files;
    }

    /**
     * Discard every file not committed.
     */
    public void close()
    {
        for (final FamilyExport export : exports)
        {
            export.close();
        }
    }
}
