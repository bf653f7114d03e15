package io.blackbox.tests.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.RecordingSummary;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.tests.CommandRun;
import io.blackbox.tests.family.FamilyRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code blackbox print}: every record once, in the text form and as the export's JSON, filtered by the outline, and
 * ended cleanly by a reader that goes away.
 */
class PrintCommandTest
{
    /** Esper's files are Python's json: NaN and Infinity are numbers there. */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
        .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final Pattern TEXT_LINE =
        Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z (\\S+) (\\S+) run=.*");

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.blackbox.tests.family.FamilyRecordings#familyNames")
    void shouldPrintEveryRecordAsTextAndAsTheExportsJson(final String name) throws Exception
    {
        final TelemetryFamily family = FamilyRecordings.family(name);
        final Path recording = temp.resolve("recording");
        FamilyRecordings.recordWorkload(family, recording, 5);
        final RecordingSummary.Result summary = RecordingSummary.summarize(recording, records -> {});

        final CommandRun text = CommandRun.of("print", "--recording", recording.toString());
        assertEquals(0, text.exit(), text.err());
        final List<String> lines = text.out().lines().toList();
        assertEquals(summary.records(), lines.size(), "one line a record");
        for (final String line : lines)
        {
            final var matcher = TEXT_LINE.matcher(line);
            assertTrue(matcher.matches(), line);
            assertEquals(name, matcher.group(2), line);
        }

        final CommandRun json = CommandRun.of("print", "--recording", recording.toString(), "--json");
        assertEquals(0, json.exit(), json.err());
        final List<String> printed = new ArrayList<>(json.out().lines().toList());
        for (final String line : printed)
        {
            assertTrue(JSON.readTree(line).isObject(), line);
        }
        // The export's lines, whatever file each went to; a document's entries (Clamp's, a lock and its release each).
        final List<String> exported = new ArrayList<>();
        for (final FamilyExport.ExportedFile file :
            RecordingExport.export(recording, temp.resolve("export")).files().get(name))
        {
            exported.addAll(family.linesNeedEveryRecord() ? family.exportedRecords(file.path()) :
                Files.readAllLines(file.path()));
        }
        exported.sort(null);
        printed.sort(null);
        assertEquals(exported, printed);

        // Filters: one run's records of one event, as the summary counts them.
        final RecordingSummary.RunStats run = summary.runs().get(1);
        final RecordingSummary.EventStats event = run.events().get(run.events().size() - 1);
        final CommandRun filtered = CommandRun.of("print", "--recording", recording.toString(), "--family", name,
            "--run", run.run(), "--event", event.event());
        assertEquals(0, filtered.exit(), filtered.err());
        assertEquals(event.records(), filtered.out().lines().count(), run.run() + " " + event.event());
        final CommandRun filteredJson = CommandRun.of("print", "--recording", recording.toString(), "--json", "--run",
            run.run(), "--event", event.event());
        assertEquals(0, filteredJson.exit(), filteredJson.err());
        assertFalse(filteredJson.out().isEmpty(), "--json --event prints " + event.event() + "'s lines");
        final CommandRun otherFamily = CommandRun.of("print", "--recording", recording.toString(), "--family",
            "gradience".equals(name) ? "ppo" : "gradience");
        assertEquals("", otherFamily.out());
    }

    @Test
    void shouldRefuseAnUnknownFamilyAndNameAMissingRecording()
    {
        final CommandRun unknown = CommandRun.of("print", "--recording", temp.toString(), "--family", "nope");
        assertEquals(64, unknown.exit());
        assertTrue(unknown.err().contains("unknown family 'nope'"), unknown.err());
        final CommandRun missing = CommandRun.of("print", "--recording", temp.resolve("absent").toString());
        assertEquals(1, missing.exit());
        assertEquals("blackbox: " + temp.resolve("absent") + ": no such recording directory\n", missing.err());
    }

    @Test
    void shouldEndWithExitZeroWhenItsReaderGoesAway() throws Exception
    {
        final Path recording = temp.resolve("recording");
        FamilyRecordings.recordWorkload(FamilyRecordings.family("gradience"), recording, 9);
        final Process process = BlackboxJar.command(temp, temp, "print", "--recording", recording.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            final String first = out.readLine();
            assertTrue(TEXT_LINE.matcher(first).matches(), first);
        } // closed after one line, as head -1 does: the printer's next writes fail
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "print ends when its output is closed");
        assertEquals(0, process.exitValue());
        assertFalse(process.isAlive());
    }
}
