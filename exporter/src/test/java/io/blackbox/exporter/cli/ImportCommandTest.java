package io.blackbox.exporter.cli;

import io.blackbox.recorder.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code import} says what is wrong with {@code --recording} before it reads its input: a file of gigabytes is not
 * read to learn that the recording could never be opened.
 */
class ImportCommandTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldRefuseARecordingARecorderHasOpenBeforeReadingTheFile() throws IOException
    {
        final Path recording = dir.resolve("recording");
        // A file with a problem on its first line: had import read it first, it would report that problem.
        final Path file = Files.write(dir.resolve("bad.jsonl"), List.of("not json"));
        try (Recorder held = Recorder.open(recording))
        {
            assertTrue(Recorder.isOpen(recording));
            assertEquals(1, run("import", "gradience", file.toString(), "--recording", recording.toString()));
        }
        assertEquals("", out.toString(StandardCharsets.UTF_8), "no problem of the file reported: it was not read");
        assertEquals("blackbox: --recording " + recording + ": a recorder has the recording open (a running " +
            "training or demo?); write to it when that process has closed it, or name another\n",
            err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldTellAnOpenRecordingFromAClosedOneAndNone() throws IOException
    {
        final Path recording = dir.resolve("recording");
        assertFalse(Recorder.isOpen(recording), "no recording");
        try (Recorder ignored = Recorder.open(recording))
        {
            assertTrue(Recorder.isOpen(recording), "open in this process");
        }
        assertFalse(Recorder.isOpen(recording), "closed");
        try (Recorder again = Recorder.open(recording))
        {
            assertTrue(Recorder.isOpen(recording), "the check took no lock that stops the next open");
        }
    }

    private int run(final String... args)
    {
        return BlackboxCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }
}
