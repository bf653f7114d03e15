package io.blackbox.tests.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.ppo.PpoWire;
import io.blackbox.tests.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code blackbox summary ppo FILE} through the real command line, on the export of {@link PpoGoldenExportTest}'s
 * scenario (four epochs, one of them 1.0 and one without the health keys): per field the last value, mean, min and
 * max of its numbers, in each format; a file with problems prints them and nothing else.
 */
class PpoSummaryTest
{
    @TempDir
    Path temp;

    private static CommandRun summary(final String... args)
    {
        final String[] command = new String[args.length + 2];
        command[0] = "summary";
        command[1] = PpoWire.FAMILY;
        System.arraycopy(args, 0, command, 2, args.length);
        return CommandRun.of(command);
    }

    private Path scenario() throws Exception
    {
        PpoGoldenExportTest.recordScenario(temp.resolve("recording"));
        RecordingExport.export(temp.resolve("recording"), temp.resolve("export"));
        return temp.resolve("export/ppo/" + PpoGoldenExportTest.RUN_ID + ".jsonl");
    }

    @Test
    void shouldGiveLastMeanMinAndMaxPerFieldAsJson() throws Exception
    {
        final CommandRun run = summary(scenario().toString(), "--format", "json");
        assertEquals(0, run.exit(), run.out());

        final JsonNode summary = JsonLinesReader.MAPPER.readTree(run.out());
        assertEquals(4, summary.get("records").asLong());
        final JsonNode epoch = field(summary, PpoWire.EPOCH);
        assertEquals("4.0", epoch.get("last").textValue());
        assertEquals(2.5, epoch.get("mean").doubleValue());
        assertEquals(1.0, epoch.get("min").doubleValue());
        assertEquals(4.0, epoch.get("max").doubleValue());
        assertEquals(4, epoch.get("numbers").asLong());

        final JsonNode offset = field(summary, PpoWire.LOG_STREAM_OFFSET);
        assertTrue(offset.get("last").isNull(), "the last record (1.0) has no offset: " + offset);
        assertEquals(3, offset.get("numbers").asLong(), "three 1.1 records");
        assertEquals(2.0, offset.get("mean").doubleValue());

        final JsonNode dataMode = field(summary, PpoWire.DATA_MODE);
        assertTrue(dataMode.get("last").isNull(), "the last record (1.0) has no data_mode: " + dataMode);
        assertTrue(dataMode.get("mean").isNull(), "no number to average");
        assertEquals("1.0", field(summary, PpoWire.TELEMETRY_VERSION).get("last").textValue());
        assertEquals(0, summary.get("fields").get(0).get("name").textValue().compareTo(PpoWire.EPOCH),
            "fields in the harness's order, epoch first");
    }

    @Test
    void shouldPrintTextAndMarkdown() throws Exception
    {
        final Path file = scenario();
        final CommandRun text = summary(file.toString());
        assertEquals(0, text.exit(), text.out());
        assertTrue(text.out().startsWith(file + ": 4 records\n"), text.out());
        assertTrue(text.out().lines().anyMatch(line -> line.matches("  epoch +4\\.0 +2\\.5 +1\\.0 +4\\.0")), text.out());

        final CommandRun markdown = summary(file.toString(), "--format", "markdown");
        assertEquals(0, markdown.exit(), markdown.out());
        assertTrue(markdown.out().contains("| `epoch` | 4.0 | 2.5 | 1.0 | 4.0 |"), markdown.out());
    }

    @Test
    void shouldPrintTheProblemsOfAnInvalidFileAndNothingElse() throws Exception
    {
        final Path file = Files.writeString(temp.resolve("bad.jsonl"), "{\"epoch\": 1.0}\n");
        final CommandRun run = summary(file.toString());
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().startsWith(file + ":1: updates: missing"), run.out());
        assertTrue(!run.out().contains("records"), run.out());
    }

    private static JsonNode field(final JsonNode summary, final String name)
    {
        for (final JsonNode field : summary.get("fields"))
        {
            if (name.equals(field.get("name").textValue()))
            {
                return field;
            }
        }
        throw new AssertionError("no field " + name + " in " + summary);
    }
}
