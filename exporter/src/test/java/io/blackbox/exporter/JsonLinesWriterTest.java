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
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void shouldGrowALiveFileByWholeLinesOnFlush() throws IOException
    {
        final Path target = dir.resolve("live.jsonl");
        try (JsonLinesWriter writer = JsonLinesWriter.live(target))
        {
            assertTrue(writer.isLive());
            writeLine(writer, 1);
            writer.flush();
            assertEquals("{\"a\":1}\n", Files.readString(target), "an ended line is there after a flush");

            final JsonGenerator half = writer.generator();
            half.writeStartObject();
            half.writeFieldName("b");
            half.writeNumber(2);
            writer.flush();
            assertEquals("{\"a\":1}\n", Files.readString(target), "a line not ended is not");

            writer.discardLine();
            writeLine(writer, 3);
            writer.commit();
        }

        assertEquals(List.of("{\"a\":1}", "{\"a\":3}"), Files.readAllLines(target));
        assertEquals(List.of("live.jsonl"), Files.list(dir).map(file -> file.getFileName().toString()).toList(),
            "no temporary file beside a live one");
    }

    @Test
    void shouldKeepTheEndedLinesOfALiveFileClosedWithoutCommit() throws IOException
    {
        final Path target = dir.resolve("live.jsonl");
        Files.writeString(target, "old content that is replaced\n");
        try (JsonLinesWriter writer = JsonLinesWriter.live(target))
        {
            writeLine(writer, 1);
            final JsonGenerator half = writer.generator();
            half.writeStartObject();
            half.writeFieldName("b");
        }

        assertEquals("{\"a\":1}\n", Files.readString(target));
    }

    @Test
    void shouldWriteALiveFileInWholeLinesWhateverTheirLength() throws IOException
    {
        // Lines around the 64 KiB buffer: a longer one is written straight through, never split from the others.
        final Path target = dir.resolve("live.jsonl");
        final StringBuilder expected = new StringBuilder();
        try (JsonLinesWriter writer = JsonLinesWriter.live(target))
        {
            for (final int length : new int[]{ 10, 65_000, 70_000, 3, 131_072, 65_530 })
            {
                final String value = "x".repeat(length);
                final JsonGenerator g = writer.generator();
                g.writeStartObject();
                g.writeStringField("v", value);
                g.writeEndObject();
                writer.endLine();
                expected.append("{\"v\":\"").append(value).append("\"}\n");
                final String onDisk = Files.readString(target);
                assertTrue(onDisk.isEmpty() || onDisk.endsWith("}\n"), "whole lines only, after a line of " + length);
                assertTrue(expected.toString().startsWith(onDisk));
            }
            writer.commit();
        }

        assertEquals(expected.toString(), Files.readString(target));
    }
}
