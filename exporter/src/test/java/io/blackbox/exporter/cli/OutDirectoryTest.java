package io.blackbox.exporter.cli;

import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An {@code --out} that cannot be a directory, or cannot be written, is one line that says what is in the way and
 * what to do, before any work: not {@code unexpected error: java.io.UncheckedIOException ...} and not a message
 * that repeats the path as its reason.
 */
class OutDirectoryTest
{
    @TempDir
    Path dir;

    private Path recording;
    private Path file;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void recordAndPutAFileInTheWay() throws IOException
    {
        recording = dir.resolve("recording");
        try (Recorder recorder = Recorder.open(recording);
            GradienceEmitter run = recorder.emitter(GradienceEmitter::new, "r"))
        {
            assertTrue(run.trainStep(1, 0.5, 1e-4));
        }
        file = Files.writeString(dir.resolve("a-file"), "in the way\n");
    }

    @Test
    void shouldSayAnExportRootIsAFile()
    {
        assertEquals(1, run("export", "--recording", recording.toString(), "--out", file.toString()));
        assertEquals("blackbox: --out " + file + ": a file, not a directory; name a directory (it is created if " +
            "absent)\n", err());
    }

    @Test
    void shouldSayWhichPartOfAnExportRootIsAFile()
    {
        final Path under = file.resolve("export");
        assertEquals(1, run("export", "--recording", recording.toString(), "--out", under.toString()));
        assertEquals("blackbox: --out " + under + ": " + file + " is a file, not a directory; name a directory (it " +
            "is created if absent)\n", err());
    }

    @Test
    void shouldSayADemoOutIsAFileAndLeaveIt() throws IOException
    {
        assertEquals(1, run("demo", "--steps", "10", "--out", file.toString()));
        assertEquals("blackbox: --out " + file + ": a file, not a directory; name a directory (it is created if " +
            "absent)\n", err());
        assertEquals("in the way\n", Files.readString(file));
    }

    @Test
    void shouldSayADirectoryCannotBeWritten()
    {
        // Linux's /proc/1 cannot be written even by root (access(2) says so), unlike a directory chmod-ed 555.
        final Path proc = Path.of("/proc/1");
        assumeTrue(Files.isDirectory(proc) && !Files.isWritable(proc), "a directory nobody here can write");
        final Path under = proc.resolve("export");
        assertEquals(1, run("export", "--recording", recording.toString(), "--out", under.toString()));
        assertEquals("blackbox: --out " + under + ": /proc/1 cannot be written (permission denied); name a " +
            "directory you can write\n", err());
    }

    private int run(final String... args)
    {
        return BlackboxCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }
}
