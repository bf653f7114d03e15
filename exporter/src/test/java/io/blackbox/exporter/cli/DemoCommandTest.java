package io.blackbox.exporter.cli;

import io.blackbox.exporter.RecordingExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.blackbox.exporter.cli.CommandLineRun.blackbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@code blackbox demo}'s option checks and its guard before it deletes anything in {@code --out}, through the real
 * command line (in-process). A refused demo changes no file: every check compares the whole tree, contents included,
 * before and after.
 */
class DemoCommandTest
{
    private static final String OPTIONS_MESSAGE =
        "need --steps >= 1, 1 <= --threads <= 256, --eval-every >= 0, a finite --steps-per-second >= 0";

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {
        "--steps=0", "--steps=-1", "--threads=0", "--threads=-2", "--threads=257", "--eval-every=-1",
        "--steps-per-second=-1", "--steps-per-second=NaN", "--steps-per-second=Infinity",
        "--steps-per-second=-Infinity" })
    void shouldRefuseAnOptionOutOfRangeBeforeWritingAnything(final String option)
    {
        final Path out = temp.resolve("out");

        final CommandLineRun run = blackbox("demo", "--out", out.toString(), option);

        assertEquals(BlackboxCommand.EXIT_USAGE, run.exit(), run::toString);
        assertTrue(run.err().contains(OPTIONS_MESSAGE), run::toString);
        assertEquals("", run.out(), run::toString);
        assertFalse(Files.exists(out), "nothing written for " + option);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--steps=ten", "--steps=1.5", "--threads=", "--seed=x", "--eval-every=99999999999", "--steps-per-second=fast",
        "--drop=yes", "--no-such-option" })
    void shouldRefuseAValueOfTheWrongTypeBeforeWritingAnything(final String option)
    {
        final Path out = temp.resolve("out");

        final CommandLineRun run = blackbox("demo", "--out", out.toString(), option);

        assertEquals(BlackboxCommand.EXIT_USAGE, run.exit(), run::toString);
        assertTrue(run.err().startsWith("blackbox: "), run::toString);
        assertFalse(run.all().contains("Exception"), run::toString);
        assertFalse(Files.exists(out), "nothing written for " + option);
    }

    @Test
    void shouldRefuseADirectoryHoldingOtherFilesAndLeaveEveryFileAsItWas() throws IOException
    {
        final Path out = temp.resolve("project");
        write(out.resolve("notes.txt"), "mine");
        write(out.resolve("recording").resolve("queue").resolve("data.cq4"), "not a demo's");
        write(out.resolve("export").resolve(RecordingExport.SUMMARY_FILE), "{}");
        write(out.resolve("export").resolve("gradience").resolve("run.jsonl"), "{\"a\":1}\n");
        final Map<String, String> before = tree(out);

        final CommandLineRun run = blackbox("demo", "--out", out.toString(), "--steps", "1");

        assertEquals(BlackboxCommand.EXIT_FAILURE, run.exit(), run::toString);
        assertEquals("blackbox: " + out + " is not empty and is not the output of an earlier demo (it has no " +
            DemoCommand.MARKER_FILE + "); choose another --out\n", run.err());
        assertEquals(before, tree(out));
    }

    /**
     * A recording that a demo did not make, such as a real training run's, looks like a demo's: only the marker tells.
     */
    @Test
    void shouldRefuseARecordingThatNoDemoMadeAndLeaveItAsItWas() throws IOException
    {
        final Path out = temp.resolve("training");
        write(out.resolve("recording").resolve("queue").resolve("20260101.cq4"), "a real run");
        write(out.resolve("recording").resolve("ring.dat"), "ring");
        final Map<String, String> before = tree(out);

        final CommandLineRun run = blackbox("demo", "--out", out.toString(), "--steps", "1");

        assertEquals(BlackboxCommand.EXIT_FAILURE, run.exit(), run::toString);
        assertEquals(before, tree(out));
    }

    @Test
    void shouldRefuseAFileAndLeaveItAsItWas() throws IOException
    {
        final Path file = temp.resolve("a-file");
        write(file, "contents");

        final CommandLineRun run = blackbox("demo", "--out", file.toString(), "--steps", "1");

        assertEquals(BlackboxCommand.EXIT_FAILURE, run.exit(), run::toString);
        assertTrue(run.err().startsWith("blackbox: --out " + file + ": "), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
        assertEquals("contents", Files.readString(file));
    }

    /**
     * The root and the home directory are never empty; neither holds the marker unless a demo was run into it.
     */
    @ParameterizedTest
    @ValueSource(strings = { "/", "user.home" })
    void shouldRefuseTheRootAndTheHomeDirectory(final String which) throws IOException
    {
        final Path out = "/".equals(which) ? Path.of("/") : Path.of(System.getProperty(which));
        assumeFalse(Files.exists(out.resolve(DemoCommand.MARKER_FILE)), "a demo was run into " + out);
        final boolean hadRecording = Files.exists(out.resolve("recording"));
        final boolean hadExport = Files.exists(out.resolve("export"));

        final CommandLineRun run = blackbox("demo", "--out", out.toString(), "--steps", "1");

        assertEquals(BlackboxCommand.EXIT_FAILURE, run.exit(), run::toString);
        assertTrue(run.err().contains("is not the output of an earlier demo"), run::toString);
        assertEquals(hadRecording, Files.exists(out.resolve("recording")));
        assertEquals(hadExport, Files.exists(out.resolve("export")));
        assertFalse(Files.exists(out.resolve(DemoCommand.MARKER_FILE)));
    }

    /**
     * An earlier demo's output is replaced: its recording and export are deleted and written again, the marker stays,
     * and what else the user put in {@code --out} is left alone.
     */
    @Test
    void shouldReplaceAnEarlierDemosOutput() throws IOException
    {
        final Path out = temp.resolve("demo");
        final CommandLineRun first = blackbox("demo", "--out", out.toString(), "--steps", "20", "--threads", "1");
        assertEquals(BlackboxCommand.EXIT_OK, first.exit(), first::toString);
        assertTrue(Files.isRegularFile(out.resolve(DemoCommand.MARKER_FILE)));
        write(out.resolve("notes.txt"), "mine");
        final Path stale = out.resolve("export").resolve("gradience").resolve("stale.jsonl");
        write(stale, "{}\n");

        final CommandLineRun second = blackbox("demo", "--out", out.toString(), "--steps", "20", "--threads", "1");

        assertEquals(BlackboxCommand.EXIT_OK, second.exit(), second::toString);
        assertFalse(Files.exists(stale), "the earlier export is deleted");
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        assertTrue(Files.isRegularFile(out.resolve("export").resolve(RecordingExport.SUMMARY_FILE)));
    }

    @Test
    void shouldTakeAnEmptyDirectory() throws IOException
    {
        final Path out = Files.createDirectories(temp.resolve("empty"));

        final CommandLineRun run = blackbox("demo", "--out", out.toString(), "--steps", "20", "--threads", "1");

        assertEquals(BlackboxCommand.EXIT_OK, run.exit(), run::toString);
        assertTrue(Files.isRegularFile(out.resolve(DemoCommand.MARKER_FILE)));
    }

    private static void write(final Path file, final String text) throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /**
     * Every path under {@code root} with its contents (a directory's is empty).
     */
    private static Map<String, String> tree(final Path root) throws IOException
    {
        final Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                tree.put(root.relativize(path).toString(), Files.isDirectory(path) ? "" : Files.readString(path));
            }
        }
        return tree;
    }
}
