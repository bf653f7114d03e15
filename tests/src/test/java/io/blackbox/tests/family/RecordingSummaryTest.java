package io.blackbox.tests.family;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.RecordingSummary;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.tests.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code summary --recording} against the export of the same recording, for every family: the records it counts per
 * run are the records the export is made of, every template of the family's range has an outline, and its JSON Lines
 * estimate is close to what the export wrote. A family's line export (what the estimate renders, and what
 * {@code print --json} prints) writes exactly the export's lines.
 */
class RecordingSummaryTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.blackbox.tests.family.FamilyRecordings#familyNames")
    void shouldCountWhatTheExportIsMadeOf(final String name) throws Exception
    {
        final TelemetryFamily family = FamilyRecordings.family(name);
        for (final int templateId : SchemaTemplates.templateIds())
        {
            if (family.handles(templateId))
            {
                assertTrue(family.outline().knows(templateId), () -> name + " declares the outline of template " +
                    templateId);
            }
        }
        final Path recording = temp.resolve("recording");
        FamilyRecordings.recordWorkload(family, recording, 11);
        final RecordingExport.Result export = RecordingExport.export(recording, temp.resolve("export"));
        final RecordingSummary.Result summary = RecordingSummary.summarize(recording, records -> {});

        assertEquals(0, summary.damageCount(), () -> summary.damage().toString());
        assertEquals(export.records(), summary.records());
        assertEquals(export.dataBytes(), summary.dataBytes());
        final List<FamilyExport.ExportedFile> files = export.files().get(name);
        long exportedSourceRecords = 0;
        long exportedBytes = 0;
        for (final FamilyExport.ExportedFile file : files)
        {
            exportedSourceRecords += file.sourceRecords();
            exportedBytes += Files.size(file.path());
        }
        long summarized = 0;
        long estimated = 0;
        for (final RecordingSummary.RunStats run : summary.runs())
        {
            assertEquals(name, run.family());
            summarized += run.records();
            long byEvent = 0;
            for (final RecordingSummary.EventStats event : run.events())
            {
                byEvent += event.records();
            }
            assertEquals(run.records(), byEvent, "a run's records are its events' records");
            assertTrue(run.firstNanos() > 0 && run.firstNanos() <= run.lastNanos(), run.run());
            estimated += Math.max(0, run.estimatedJsonBytes());
        }
        assertEquals(exportedSourceRecords, summarized, "records per run add up to what the export was made of");
        assertEquals(FamilyRecordings.RUNS, summary.runs().size());

        final List<byte[]> lines = lineExport(family, recording);
        if (null == lines)
        {
            assertEquals(0, estimated, "no estimate without a line export");
            return;
        }
        final double ratio = (double)estimated / exportedBytes;
        assertTrue(ratio > 0.97 && ratio < 1.03, "estimate " + estimated + " of " + exportedBytes + " bytes");
        if (family.linesNeedEveryRecord())
        {
            // A document's entries (Clamp's): each line is an entry as its file writes it.
            final List<String> entries = new ArrayList<>();
            for (final FamilyExport.ExportedFile file : files)
            {
                entries.addAll(family.exportedRecords(file.path()));
            }
            final List<String> printed = new ArrayList<>();
            for (final byte[] line : lines)
            {
                final int split = indexOf(line, (byte)0);
                printed.add(new String(line, split + 1, line.length - split - 2, java.nio.charset.StandardCharsets.UTF_8));
            }
            entries.sort(null);
            printed.sort(null);
            assertEquals(entries, printed);
            return;
        }
        // The line export's lines, run by run, are the export's files.
        final Map<String, ByteArrayOutputStream> byFile = new TreeMap<>();
        for (final byte[] line : lines)
        {
            final int split = indexOf(line, (byte)0);
            final String file = new String(line, 0, split, java.nio.charset.StandardCharsets.UTF_8);
            byFile.computeIfAbsent(file, f -> new ByteArrayOutputStream()).write(line, split + 1, line.length - split - 1);
        }
        assertEquals(files.size(), byFile.size());
        for (final FamilyExport.ExportedFile file : files)
        {
            final Path relative = temp.resolve("export").relativize(file.path());
            final ByteArrayOutputStream printed = byFile.get(relative.toString());
            assertArrayEquals(Files.readAllBytes(file.path()), null == printed ? new byte[0] : printed.toByteArray(),
                () -> "the line export writes " + relative + "'s bytes");
        }
    }

    @Test
    void shouldPrintTheSummaryAndFailOnDamage() throws Exception
    {
        final TelemetryFamily family = FamilyRecordings.family("gradience");
        final Path recording = temp.resolve("recording");
        // Two sessions: the second's batches can be cut while the first's stay whole.
        FamilyRecordings.recordWorkload(family, recording, 3);
        FamilyRecordings.recordWorkload(family, recording, 4);

        final CommandRun text = CommandRun.of("summary", "--recording", recording.toString());
        assertEquals(0, text.exit(), text.err());
        assertEquals("", text.err(), "no progress bar when not on a terminal");
        assertTrue(text.out().startsWith("recording " + recording + ": 2 sessions, "), text.out());
        assertEquals(2 * FamilyRecordings.RUNS, text.outLines("gradience run ").size(), text.out());
        assertTrue(text.out().contains("  train_step "), text.out());

        final CommandRun json = CommandRun.of("summary", "--recording", recording.toString(), "--format", "json");
        assertEquals(0, json.exit(), json.err());
        final JsonNode parsed = JSON.readTree(json.out());
        final RecordingSummary.Result direct = RecordingSummary.summarize(recording, records -> {});
        assertEquals(direct.records(), parsed.get("records").asLong());
        assertEquals(direct.runs().size(), parsed.get("runs").size());
        assertEquals(direct.runs().get(0).run(), parsed.get("runs").get(0).get("run").asText());

        // Cut the cycle file inside its last batch: the records before the cut are counted, the cut is damage.
        final Path cycle;
        try (var files = Files.list(recording.resolve("queue")))
        {
            cycle = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(cycle);
        int written = bytes.length;
        while (written > 0 && bytes[written - 1] == 0)
        {
            written--; // Chronicle preallocates: the file is zeros past what was written
        }
        try (RandomAccessFile raf = new RandomAccessFile(cycle.toFile(), "rw"))
        {
            raf.setLength(written - 16);
        }
        final CommandRun damaged = CommandRun.of("summary", "--recording", recording.toString());
        assertEquals(1, damaged.exit(), damaged.out());
        assertFalse(damaged.outLines("damage: " + cycle).isEmpty(), damaged.out());
        final RecordingSummary.Result cut = RecordingSummary.summarize(recording, records -> {});
        assertTrue(cut.records() > 0 && cut.records() < direct.records(), cut.records() + " of " + direct.records());

        final CommandRun both = CommandRun.of("summary", "--recording", recording.toString(), "run.jsonl");
        assertEquals(64, both.exit(), both.out());
        assertTrue(both.err().contains("--recording takes no family or file"), both.err());
    }

    /**
     * @return each line the family's line export makes, prefixed by its file (relative to the export root) and a NUL;
     * null when the family has no line export.
     */
    private List<byte[]> lineExport(final TelemetryFamily family, final Path recording)
    {
        final Path root = temp.resolve("export");
        final List<byte[]> lines = new ArrayList<>();
        final FamilyExport export = family.newLineExport(root, (runId, file, bytes, offset, length) ->
        {
            final byte[] name = root.relativize(file).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            final byte[] line = new byte[name.length + 1 + length];
            System.arraycopy(name, 0, line, 0, name.length);
            System.arraycopy(bytes, offset, line, name.length + 1, length);
            lines.add(line);
        });
        if (null == export)
        {
            return null;
        }
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            reader.readAll(new RecordingReader.RecordHandler()
            {
                public void onRecord(final int templateId, final org.agrona.DirectBuffer buffer, final int offset,
                    final int length, final io.blackbox.exporter.Symbols symbols)
                {
                    if (family.handles(templateId))
                    {
                        export.onRecord(templateId, buffer, offset, length, symbols);
                    }
                }

                public void onSessionStart(final RecordingReader.Session session)
                {
                    export.onSessionStart(session);
                }

                public void onSessionEnd(final RecordingReader.Session session)
                {
                    export.onSessionEnd(session);
                }
            });
        }
        export.close();
        return lines;
    }

    private static int indexOf(final byte[] bytes, final byte value)
    {
        for (int i = 0; i < bytes.length; i++)
        {
            if (bytes[i] == value)
            {
                return i;
            }
        }
        return -1;
    }
}
