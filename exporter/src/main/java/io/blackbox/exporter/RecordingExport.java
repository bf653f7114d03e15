package io.blackbox.exporter;

import com.fasterxml.jackson.core.JsonGenerator;
import io.blackbox.exporter.gradience.GradienceExport;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports a whole recording: every family present goes to its spec's place under the export root, and a
 * summary of what was written, dropped and damaged goes to {@code ROOT/blackbox-export.json}.
 */
public final class RecordingExport
{
    public static final String SUMMARY_FILE = "blackbox-export.json";

    /**
     * What an export wrote and found.
     *
     * @param records      family records exported.
     * @param files        files written, per family.
     * @param dropped      records the recorder counted as dropped (never recorded).
     * @param damage       damaged batches or records skipped.
     * @param unknownTypes records of a template no family here knows (written by a newer version).
     * @param dataBytes    bytes of recorded data read from the queue (batch headers and records).
     */
    public record Result(long records, Map<String, List<FamilyExport.ExportedFile>> files, long dropped,
        List<String> damage, long unknownTypes, long dataBytes)
    {
    }

    private RecordingExport()
    {
    }

    /**
     * @return the families an export writes, each writing under {@code root}.
     */
    public static List<FamilyExport> families(final Path root)
    {
        final List<FamilyExport> families = new ArrayList<>();
        families.add(new GradienceExport(root));
        return families;
    }

    /**
     * Export {@code recording} into {@code root}. Files appear whole, or not at all.
     *
     * @throws RecordingException when {@code recording} is not a recording.
     */
    public static Result export(final Path recording, final Path root) throws IOException
    {
        final List<FamilyExport> families = families(root);
        final FamilyExport[] byTemplate = new FamilyExport[1 << 16];
        for (int templateId = 0; templateId < byTemplate.length; templateId++)
        {
            for (final FamilyExport family : families)
            {
                if (family.handles(templateId))
                {
                    byTemplate[templateId] = family;
                }
            }
        }

        try (RecordingReader reader = RecordingReader.open(recording))
        {
            final long[] unknown = new long[1];
            reader.read((final int templateId, final DirectBuffer buffer, final int offset, final int length,
                final Symbols symbols) ->
            {
                final FamilyExport family = byTemplate[templateId];
                if (family == null)
                {
                    unknown[0]++;
                    return;
                }
                family.onRecord(templateId, buffer, offset, length, symbols);
            });

            final Map<String, List<FamilyExport.ExportedFile>> files = new LinkedHashMap<>();
            for (final FamilyExport family : families)
            {
                final List<FamilyExport.ExportedFile> written = family.commit();
                if (!written.isEmpty())
                {
                    files.put(family.family(), written);
                }
            }
            final List<String> damage = new ArrayList<>(reader.damage());
            if (unknown[0] > 0)
            {
                damage.add(unknown[0] + " records of a type this version does not know were skipped");
            }
            final Result result = new Result(
                reader.records() - unknown[0], files, reader.droppedRecords(), damage, unknown[0], reader.excerptBytes());
            writeSummary(recording, root, result);
            return result;
        }
        finally
        {
            for (final FamilyExport family : families)
            {
                family.close();
            }
        }
    }

    private static void writeSummary(final Path recording, final Path root, final Result result) throws IOException
    {
        try (JsonLinesWriter summary = new JsonLinesWriter(root.resolve(SUMMARY_FILE)))
        {
            final JsonGenerator g = summary.generator();
            g.writeStartObject();
            g.writeStringField("recording", recording.toAbsolutePath().normalize().toString());
            g.writeNumberField("records", result.records());
            g.writeNumberField("dropped_records", result.dropped());
            g.writeObjectFieldStart("families");
            for (final Map.Entry<String, List<FamilyExport.ExportedFile>> family : result.files().entrySet())
            {
                g.writeArrayFieldStart(family.getKey());
                for (final FamilyExport.ExportedFile file : family.getValue())
                {
                    g.writeStartObject();
                    g.writeStringField("file", root.relativize(file.path()).toString());
                    g.writeNumberField("records", file.records());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeArrayFieldStart("damage");
            for (final String line : result.damage())
            {
                g.writeString(line);
            }
            g.writeEndArray();
            g.writeEndObject();
            summary.endLine();
            summary.commit();
        }
    }
}
