package io.blackbox.exporter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunJsonLinesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWriteEachRunsLinesToItsOwnFile() throws IOException
    {
        try (RunJsonLines lines = new RunJsonLines(dir))
        {
            writeLine(lines, "a", 1);
            writeLine(lines, "../b", 2);
            writeLine(lines, "a", 3);

            final List<FamilyExport.ExportedFile> files = lines.commit();
            assertEquals(List.of(new FamilyExport.ExportedFile(dir.resolve("a.jsonl"), 2),
                new FamilyExport.ExportedFile(dir.resolve(RunFileNames.encode("../b") + ".jsonl"), 1)), files);
        }
        assertEquals(List.of("{\"n\":1}", "{\"n\":3}"), Files.readAllLines(dir.resolve("a.jsonl")));
    }

    @Test
    void shouldWriteRunIdsThatDifferOnlyInCaseToTwoFilesWhereCaseCounts() throws IOException
    {
        assertEquals(false, RunJsonLines.ignoresCase(dir), "this test's premise: Linux's temporary directory");
        try (RunJsonLines lines = new RunJsonLines(dir))
        {
            writeLine(lines, "Run", 1);
            writeLine(lines, "run", 2);
            lines.commit();
        }
        assertEquals(List.of("{\"n\":1}"), Files.readAllLines(dir.resolve("Run.jsonl")));
        assertEquals(List.of("{\"n\":2}"), Files.readAllLines(dir.resolve("run.jsonl")));
    }

    @Test
    void shouldRefuseRunIdsThatDifferOnlyInCaseWhereCaseIsIgnored() throws IOException
    {
        // Jimfs with macOS's rules: a real file system whose names ignore case, as APFS and NTFS do by default.
        try (FileSystem macOs = Jimfs.newFileSystem(Configuration.osX()))
        {
            final Path out = macOs.getPath("/export");
            assertTrue(RunJsonLines.ignoresCase(out), "this test's premise: the file system ignores case");
            try (RunJsonLines lines = new RunJsonLines(out))
            {
                writeLine(lines, "Run", 1);
                writeLine(lines, "other", 2);
                final RecordingException refused = assertThrows(RecordingException.class, () -> lines.beginLine("rUN"));
                assertEquals("run: run ids \"Run\" and \"rUN\" differ only in letter case, and the file system of " +
                    "/export ignores case: both would be written to rUN.jsonl (export to a case-sensitive file " +
                    "system, or record distinct run ids)", refused.getMessage());
                writeLine(lines, "Run", 3); // the refused run took nothing of the first
                lines.commit();
            }
            assertEquals(List.of("{\"n\":1}", "{\"n\":3}"), Files.readAllLines(out.resolve("Run.jsonl")));
            try (Stream<Path> files = Files.list(out))
            {
                assertEquals(List.of("Run.jsonl", "other.jsonl"),
                    files.map(path -> path.getFileName().toString()).sorted().toList(), "no probe file left behind");
            }
        }
    }

    @Test
    void shouldRefuseFolderPathsThatDifferOnlyInCaseWhereCaseIsIgnored() throws IOException
    {
        try (FileSystem windows = Jimfs.newFileSystem(Configuration.windows()))
        {
            final Path out = windows.getPath("C:\\export");
            try (RunJsonLines lines = new RunJsonLines(out, false, RunJsonLines.Naming.FOLDERS))
            {
                writeLine(lines, "team/a", 1);
                writeLine(lines, "Team/b", 2); // another file in the same folder: no collision
                assertThrows(RecordingException.class, () -> lines.beginLine("TEAM/A"));
            }
        }
    }

    @Test
    void shouldForgetARunWhoseOnlyLineWasDiscardedWhenLookingForCaseCollisions() throws IOException
    {
        try (FileSystem macOs = Jimfs.newFileSystem(Configuration.osX()))
        {
            final Path out = macOs.getPath("/export");
            try (RunJsonLines lines = new RunJsonLines(out))
            {
                lines.beginLine("Run").writeStartObject();
                lines.discardLine(); // as if run "Run" had never come
                writeLine(lines, "run", 1);
                lines.commit();
            }
            assertEquals(List.of("{\"n\":1}"), Files.readAllLines(out.resolve("run.jsonl")));
        }
    }

    @Test
    void shouldDropADiscardedLineWhole() throws IOException
    {
        try (RunJsonLines lines = new RunJsonLines(dir))
        {
            writeLine(lines, "a", 1);
            final JsonGenerator broken = lines.beginLine("a");
            broken.writeStartObject();
            broken.writeNumberField("n", 2);
            lines.discardLine();
            writeLine(lines, "a", 3);
            lines.commit();
        }
        assertEquals(List.of("{\"n\":1}", "{\"n\":3}"), Files.readAllLines(dir.resolve("a.jsonl")));
    }

    @Test
    void shouldLeaveNoFileForARunWhoseOnlyLineWasDiscarded() throws IOException
    {
        try (RunJsonLines lines = new RunJsonLines(dir))
        {
            writeLine(lines, "a", 1);
            lines.beginLine("b").writeStartObject();
            lines.discardLine();
            writeLine(lines, "a", 2);

            assertEquals(List.of(new FamilyExport.ExportedFile(dir.resolve("a.jsonl"), 2)), lines.commit());
        }
        try (Stream<Path> files = Files.list(dir))
        {
            assertEquals(List.of(dir.resolve("a.jsonl")), files.toList(), "no b.jsonl, no temporary file");
        }
    }

    @Test
    void shouldRefuseARunIdThatCannotBeAFileName()
    {
        try (RunJsonLines lines = new RunJsonLines(dir))
        {
            final RecordingException ex = assertThrows(RecordingException.class, () -> lines.beginLine("x".repeat(10_000)));
            assertTrue(ex.getMessage().startsWith("run: "), ex::getMessage);
        }
    }

    @Test
    void shouldMakeFoldersOfARunIdsSegmentsInsideTheDirectory() throws IOException
    {
        final Path telemetry = dir.resolve("logs").resolve("telemetry");
        try (RunJsonLines lines = new RunJsonLines(telemetry, false, RunJsonLines.Naming.FOLDERS))
        {
            writeLine(lines, "team/exp-1/run-7", 1);
            writeLine(lines, "../../escape", 2);
            writeLine(lines, "a//b", 3);

            assertEquals(List.of(
                new FamilyExport.ExportedFile(telemetry.resolve("team/exp-1/run-7.jsonl"), 1),
                new FamilyExport.ExportedFile(telemetry.resolve("%2E%2E/%2E%2E/escape.jsonl"), 1),
                new FamilyExport.ExportedFile(telemetry.resolve("a%2F%2Fb.jsonl"), 1)), lines.commit());
        }
        try (Stream<Path> tree = Files.walk(dir))
        {
            tree.filter(Files::isRegularFile).forEach(file ->
                assertTrue(file.normalize().startsWith(telemetry), () -> file + " inside " + telemetry));
        }
        assertEquals(List.of("{\"n\":1}"), Files.readAllLines(telemetry.resolve("team").resolve("exp-1").resolve("run-7.jsonl")));
    }

    private static void writeLine(final RunJsonLines lines, final String run, final int n) throws IOException
    {
        final JsonGenerator g = lines.beginLine(run);
        g.writeStartObject();
        g.writeNumberField("n", n);
        g.writeEndObject();
        lines.endLine();
    }
}
