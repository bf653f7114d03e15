package io.blackbox.exporter;

import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
