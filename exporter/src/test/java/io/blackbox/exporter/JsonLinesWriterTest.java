package io.blackbox.exporter;

import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class JsonLinesWriterTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWriteWholeLinesOnCommit() throws IOException
    {
        final Path target = dir.resolve("run.jsonl");
        try (JsonLinesWriter writer = new JsonLinesWriter(target))
        {
            writeLine(writer, 1);
            writeLine(writer, 2);
            assertFalse(Files.exists(target), "nothing before commit");

            writer.commit();
        }

        assertEquals(List.of("{\"a\":1}", "{\"a\":2}"), Files.readAllLines(target));
    }

    @Test
    void shouldDropADiscardedLineAndKeepTheOthers() throws IOException
    {
        final Path target = dir.resolve("run.jsonl");
        try (JsonLinesWriter writer = new JsonLinesWriter(target))
        {
            writeLine(writer, 1);
            // A record that fails half-way through its line.
            final JsonGenerator broken = writer.generator();
            broken.writeStartObject();
            broken.writeFieldName("b");
            writer.discardLine();
            writeLine(writer, 3);
            writer.commit();

            assertEquals(2, writer.lines());
        }

        assertEquals(List.of("{\"a\":1}", "{\"a\":3}"), Files.readAllLines(target));
    }

    /**
     * Lines from a few bytes to past the 64 KiB of the file's buffer, some dropped half-way through their text, so
     * the generator's own buffer fills and flushes in the middle of lines that are kept and of lines that are
     * dropped: the file holds exactly the kept lines.
     */
    @Test
    void shouldKeepExactlyTheWholeLinesWhateverTheirLengthAndWhereTheyAreDropped() throws IOException
    {
        final Path target = dir.resolve("run.jsonl");
        final SplittableRandom random = new SplittableRandom(5);
        final List<String> expected = new ArrayList<>();
        try (JsonLinesWriter writer = new JsonLinesWriter(target))
        {
            for (int i = 0; i < 3000; i++)
            {
                final int length = random.nextInt(20) == 0 ? 1 + random.nextInt(200_000) : random.nextInt(300);
                final String text = "x".repeat(length);
                final JsonGenerator generator = writer.generator();
                generator.writeStartObject();
                generator.writeNumberField("i", i);
                if (random.nextInt(4) == 0)
                {
                    // dropped after some of its text: at most all of it, never its end
                    generator.writeFieldName("s");
                    generator.writeString(text.substring(0, random.nextInt(length + 1)));
                    writer.discardLine();
                    continue;
                }
                generator.writeStringField("s", text);
                generator.writeEndObject();
                writer.endLine();
                expected.add("{\"i\":" + i + ",\"s\":\"" + text + "\"}");
            }
            writer.commit();
            assertEquals(expected.size(), writer.lines());
        }
        assertEquals(expected, Files.readAllLines(target));
    }

    @Test
    void shouldLeaveNoFileWhenClosedWithoutCommit() throws IOException
    {
        final Path target = dir.resolve("run.jsonl");
        try (JsonLinesWriter writer = new JsonLinesWriter(target))
        {
            writeLine(writer, 1);
        }

        try (Stream<Path> files = Files.list(dir))
        {
            assertEquals(List.of(), files.collect(Collectors.toList()), "neither the file nor its temporary file");
        }
    }

    private static void writeLine(final JsonLinesWriter writer, final int value) throws IOException
    {
        final JsonGenerator generator = writer.generator();
        generator.writeStartObject();
        generator.writeNumberField("a", value);
        generator.writeEndObject();
        writer.endLine();
    }
}
