package io.blackbox.tests.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.gradience.GradienceImporter;
import io.blackbox.exporter.gradience.GradienceMonitor;
import io.blackbox.exporter.gradience.GradienceValidator;
import io.blackbox.recorder.Recorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random bytes as a JSON Lines file into what {@code blackbox validate}, {@code monitor} and {@code import} do with
 * it: {@link JsonLinesReader}, {@link GradienceValidator}, {@link GradienceMonitor} and
 * {@link GradienceImporter#check}, and, when the check passes, a real import into a real recording.
 * <p>
 * The contract: a file is accepted, or its problems come back as {@link Problem}s, each on one printable line naming
 * the file and a line of it; whatever the check accepts imports whole. Any exception is a finding.
 * <p>
 * {@code mvn verify} runs each input in {@code GradienceImporterFuzzTestInputs/checkAndImport/} once (seeds: the
 * samples' lines, truncated and mistyped ones, and every finding); {@code JAZZER_FUZZ=1} fuzzes it.
 */
class GradienceImporterFuzzTest
{
    private static Path directory;

    @BeforeAll
    static void createDirectory() throws IOException
    {
        directory = Files.createTempDirectory("blackbox-fuzz-import-");
    }

    @AfterAll
    static void deleteDirectory()
    {
        FuzzedRecording.deleteTree(directory);
    }

    @FuzzTest
    void checkAndImport(final byte[] content) throws IOException
    {
        final Path file = Files.write(directory.resolve("input.jsonl"), content);
        final String name = file.toString();
        final long lines = lineCount(content);

        final List<Problem> readProblems = new ArrayList<>();
        final List<Long> recordLines = new ArrayList<>();
        final GradienceValidator validator = new GradienceValidator();
        final List<Problem> validatorProblems = new ArrayList<>();
        final GradienceMonitor monitor = new GradienceMonitor();
        final long records = JsonLinesReader.read(file, (line, record) ->
        {
            recordLines.add(line);
            final int before = validatorProblems.size();
            validator.validate(name, line, record, validatorProblems);
            if (validatorProblems.size() == before)
            {
                monitor.onRecord(record);
            }
        }, readProblems::add);
        assertEquals(records, recordLines.size());
        checkProblems(readProblems, name, lines);
        checkProblems(validatorProblems, name, lines);
        for (final GradienceMonitor.GapReport report : monitor.reports())
        {
            if (report.alert())
            {
                assertFalse(report.alertMessage().isEmpty());
                assertEquals(6, report.alertContext().size());
            }
        }

        final List<Problem> problems = GradienceImporter.check(file);
        checkProblems(problems, name, lines);
        if (!readProblems.isEmpty() || !validatorProblems.isEmpty())
        {
            assertFalse(problems.isEmpty(), "the import check finds at least what validate finds");
            return;
        }
        if (!problems.isEmpty())
        {
            return;
        }

        // Accepted: the import must record every record, never stop half-way, and the recording must give them back.
        final Path recording = directory.resolve("recording");
        final Path export = directory.resolve("export");
        try
        {
            try (Recorder recorder = Recorder.open(recording);
                GradienceImporter importer = new GradienceImporter(recorder))
            {
                assertEquals(records, importer.importFile(file));
            }
            final RecordingExport.Result result = RecordingExport.export(recording, export);
            assertFalse(result.damaged(), () -> "damage: " + result.damage());
            assertEquals(records, result.records(), "every imported record exported");
        }
        finally
        {
            FuzzedRecording.deleteTree(recording);
            FuzzedRecording.deleteTree(export);
        }
    }

    private static void checkProblems(final List<Problem> problems, final String name, final long lines)
    {
        for (final Problem problem : problems)
        {
            assertEquals(name, problem.file());
            assertTrue(problem.line() <= lines, () -> "line of " + problem + " is in the file (" + lines + " lines)");
            final String printed = problem.toString();
            assertTrue(printed.chars().noneMatch(Character::isISOControl),
                () -> "one printable line: " + printed.replaceAll("\\p{Cntrl}", "?"));
        }
    }

    private static long lineCount(final byte[] content)
    {
        long lines = 0;
        for (final byte b : content)
        {
            if ('\n' == b)
            {
                lines++;
            }
        }

        return content.length > 0 && '\n' != content[content.length - 1] ? lines + 1 : lines;
    }
}
