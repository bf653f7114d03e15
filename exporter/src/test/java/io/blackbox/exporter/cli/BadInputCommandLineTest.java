package io.blackbox.exporter.cli;

import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.gradience.GradienceSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static io.blackbox.exporter.cli.CommandLineRun.blackbox;
import static io.blackbox.exporter.gradience.GradienceSamples.MINIMAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to {@code validate}, {@code monitor} and {@code import}, through the real command line (in-process) on
 * real files: each gives problems on standard output naming the file and line ({@code FILE:LINE: ...}, or
 * {@code FILE: ...} for the whole file), one summary or error line on standard error, exit code 1, no stack trace,
 * no raw control characters, and an import or {@code monitor --record} that writes nothing.
 */
class BadInputCommandLineTest
{
    private static final String ENVELOPE = "\"schema\":\"gradience.vnext.telemetry/v1\",\"ts\":1.5,\"run_id\":\"r1\"";
    private static final String RUN_START = record("run_start", "null", "\"config\":{}");
    private static final String TRAIN_STEP = record("train_step", "1", "\"loss\":0.5,\"lr\":0.001");

    @TempDir
    Path dir;

    /**
     * Writes a bad input file.
     */
    @FunctionalInterface
    private interface Content
    {
        void writeTo(Path file) throws IOException;
    }

    /**
     * A bad input file and the line its first problem is on (0: the whole file).
     */
    private record BadFile(String name, Content content, long line)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    /**
     * Bad for every command: not JSON Lines, or not the spec.
     */
    static List<BadFile> badForEveryCommand()
    {
        final List<BadFile> files = new ArrayList<>();
        files.add(lines("malformed-json", RUN_START, "{\"schema\": oops"));
        files.add(lines("truncated-record", RUN_START, TRAIN_STEP.substring(0, TRAIN_STEP.length() / 2)));
        files.add(lines("wrong-type-step", RUN_START, record("train_step", "\"x\"", "\"loss\":0.5")));
        files.add(lines("wrong-type-loss", RUN_START, record("train_step", "1", "\"loss\":\"low\"")));
        files.add(lines("wrong-type-nested", RUN_START, record("eval", "1", "\"split\":\"test\",\"metrics\":{\"n\":2.5}")));
        files.add(lines("missing-field", RUN_START, record("eval", "1", "\"metrics\":{\"ppl\":2.0}")));
        files.add(lines("unknown-event", RUN_START, record("checkpoint", "1", "")));
        files.add(lines("not-an-object", RUN_START, "[1,2,3]"));
        files.add(lines("duplicate-key", RUN_START, TRAIN_STEP.replace("\"loss\":0.5", "\"loss\":0.5,\"loss\":0.6")));
        files.add(lines("trailing-content", RUN_START, TRAIN_STEP + " x"));
        files.add(lines("escape-in-token", RUN_START, "ab\u001b[2Jc"));
        files.add(bytes("invalid-utf8", concat(utf8(RUN_START + "\n" + TRAIN_STEP.replace("}", ",\"note\":\"")),
            new byte[]{ (byte)0xFF, (byte)0xFE, (byte)0xC3 }, utf8("\"}\n")), 2));
        files.add(bytes("nul-byte", utf8(RUN_START + "\n{\"a\":1,\u0000\"b\":2}\n"), 2));
        files.add(bytes("utf16le-with-bom", concat(new byte[]{ (byte)0xFF, (byte)0xFE },
            (RUN_START + "\n").getBytes(StandardCharsets.UTF_16LE)), 1));
        files.add(bytes("utf16be", (RUN_START + "\n").getBytes(StandardCharsets.UTF_16BE), 1));
        files.add(lines("nesting-100000", RUN_START, "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
        files.add(lines("brackets-100000", RUN_START, "[".repeat(100_000)));
        files.add(lines("number-of-a-million-digits", RUN_START, TRAIN_STEP.replace("0.5", "9".repeat(1_000_000))));
        files.add(lines("too-many-tokens", RUN_START, TRAIN_STEP.replace("}",
            ",\"tokens\":[" + "{},".repeat((int)JsonLinesReader.MAX_TOKENS_PER_LINE / 2) + "{}]}")));
        files.add(lines("key-too-long", RUN_START,
            TRAIN_STEP.replace("}", ",\"" + "k".repeat(JsonLinesReader.MAX_KEY_LENGTH + 1) + "\":1}")));
        files.add(new BadFile("line-over-the-limit", file -> longLine(file, JsonLinesReader.MAX_LINE_BYTES + 1L), 2));
        files.add(new BadFile("line-of-200MB", file -> longLine(file, 200_000_000L), 2));
        files.add(bytes("png", new byte[]{
            (byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R' }, 1));
        files.add(new BadFile("gzip", BadInputCommandLineTest::gzip, 1));
        files.add(bytes("empty", new byte[0], 0));
        files.add(bytes("blank-lines", utf8("\n  \r\n\t\n"), 0));

        return files;
    }

    /**
     * Valid by the spec, so {@code validate} accepts them, but not recordable as they are: import refuses them.
     */
    static List<BadFile> badForImport()
    {
        return List.of(
            lines("record-too-large", RUN_START, record("run_start", "null",
                "\"config\":{\"x\":\"" + "y".repeat(3_000_000) + "\"}")),
            linesWithProblemOn(3, "too-many-learning-rates", RUN_START, TRAIN_STEP,
                record("train_step", "2", "\"lr\":[" + "0.1,".repeat(299) + "0.1]"), TRAIN_STEP),
            lines("unpaired-surrogate", RUN_START, record("run_end", "null", "\"status\":\"ok\",\"reason\":\"\\ud800\"")),
            lines("timestamp-not-finite", RUN_START, TRAIN_STEP.replace("\"ts\":1.5", "\"ts\":Infinity")),
            lines("step-out-of-range", RUN_START, record("train_step", "99999999999999999999", "")),
            lines("n-out-of-range", RUN_START, record("eval", "1",
                "\"split\":\"test\",\"metrics\":{\"n\":99999999999999999999}")));
    }

    static Stream<Arguments> everyCommandAndBadFile()
    {
        final List<Arguments> arguments = new ArrayList<>();
        for (final String command : List.of("validate", "monitor", "import"))
        {
            for (final BadFile file : badForEveryCommand())
            {
                arguments.add(Arguments.of(command, file));
            }
        }
        for (final BadFile file : badForImport())
        {
            arguments.add(Arguments.of("import", file));
        }

        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyCommandAndBadFile")
    void shouldNameFileAndLineExitOneAndWriteNothing(final String command, final BadFile bad) throws IOException
    {
        final Path input = dir.resolve(bad.name() + ".jsonl");
        bad.content().writeTo(input);
        final Path recording = dir.resolve("recording");

        final CommandLineRun run = runCommand(command, input, recording);

        assertEquals(1, run.exit(), run::toString);
        final String expectedStart = 0 == bad.line() ? input + ": " : input + ":" + bad.line() + ": ";
        assertTrue(run.out().lines().anyMatch(line -> line.startsWith(expectedStart)),
            () -> "a line starting " + expectedStart + "\n" + run);
        assertEquals(1, run.err().lines().count(), () -> "one line on stderr\n" + run);
        assertNoStackTrace(run);
        assertPrintable(run);
        assertFalse(Files.exists(recording), () -> "nothing written into " + recording + "\n" + run);
        assertNoTemporaryFiles();
    }

    @ParameterizedTest
    @ValueSource(strings = { "validate", "monitor", "import" })
    void shouldReportAMissingFileAsOneLine(final String command)
    {
        final Path missing = dir.resolve("missing.jsonl");

        final CommandLineRun run = runCommand(command, missing, dir.resolve("recording"));

        assertOneErrorLine(run, "blackbox: file not found: " + missing);
    }

    @ParameterizedTest
    @ValueSource(strings = { "validate", "monitor", "import" })
    void shouldReportADirectoryAsOneLine(final String command) throws IOException
    {
        final Path directory = Files.createDirectory(dir.resolve("input.jsonl"));

        final CommandLineRun run = runCommand(command, directory, dir.resolve("recording"));

        assertOneErrorLine(run, "blackbox: not a file but a directory: " + directory);
    }

    @ParameterizedTest
    @ValueSource(strings = { "validate", "monitor", "import" })
    @Timeout(60) // Opening a FIFO blocks until a writer comes: a hang is the failure, and this bound only ends it.
    void shouldReportAFifoWithoutWaitingForAWriter(final String command) throws IOException, InterruptedException
    {
        final Path fifo = dir.resolve("fifo.jsonl");
        final Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo " + fifo);
        final Path recording = dir.resolve("recording");

        final CommandLineRun run = runCommand(command, fifo, recording);

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.out().startsWith(fifo + ": not a regular file"), run::toString);
        assertNoStackTrace(run);
        assertFalse(Files.exists(recording), run::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = { "validate", "monitor", "import" })
    void shouldReportADeviceAsNotARegularFile(final String command)
    {
        final Path devNull = Path.of("/dev/null");

        final CommandLineRun run = runCommand(command, devNull, dir.resolve("recording"));

        assertEquals(1, run.exit(), run::toString);
        assertEquals(devNull + ": not a regular file (a FIFO, device or socket?); not read\n", run.out(), run::toString);
        assertNoStackTrace(run);
    }

    @ParameterizedTest
    @ValueSource(strings = { "import", "monitor" })
    void shouldRefuseARecordingDirectoryThatIsAFile(final String command) throws IOException
    {
        final Path notADirectory = Files.writeString(dir.resolve("notes.txt"), "keep me\n");
        final String option = "import".equals(command) ? "--recording" : "--record";

        final CommandLineRun run = runCommand(command, GradienceSamples.copy(MINIMAL, dir), notADirectory);

        assertOneErrorLine(run, "blackbox: " + option + " " + notADirectory + ": not a directory");
        assertEquals("keep me\n", Files.readString(notADirectory));
    }

    @ParameterizedTest
    @ValueSource(strings = { "import", "monitor" })
    void shouldRefuseANonEmptyDirectoryThatIsNotARecording(final String command) throws IOException
    {
        final Path home = Files.createDirectory(dir.resolve("home"));
        Files.writeString(home.resolve("notes.txt"), "keep me\n");
        final String option = "import".equals(command) ? "--recording" : "--record";

        final CommandLineRun run = runCommand(command, GradienceSamples.copy(MINIMAL, dir), home);

        assertOneErrorLine(run, "blackbox: " + option + " " + home + ": not a recording (no queue/ in it) and not " +
            "empty; name a recording, an empty directory or a new one");
        try (Stream<Path> entries = Files.list(home))
        {
            assertEquals(List.of(home.resolve("notes.txt")), entries.collect(Collectors.toList()));
        }
    }

    @Test
    void shouldReportARecordingThatCannotBeOpenedAsOneLine() throws IOException
    {
        // A directory where the ring file should be: the recorder cannot map it.
        final Path recording = Files.createDirectories(dir.resolve("recording").resolve("ring.dat"));

        final CommandLineRun run = runCommand("import", GradienceSamples.copy(MINIMAL, dir), recording.getParent());

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().startsWith("blackbox: --recording " + recording.getParent() + ": cannot open the recording: "),
            run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
        assertNoStackTrace(run);
    }

    @Test
    void shouldLeaveAnExistingRecordingAsItWasWhenAnImportFails() throws IOException
    {
        final Path recording = dir.resolve("recording");
        final CommandLineRun first = runCommand("import", GradienceSamples.copy(MINIMAL, dir), recording);
        assertEquals(0, first.exit(), first::toString);
        final long recordsBefore = RecordingExport.export(recording, dir.resolve("before")).records();
        // A new run whose first records are valid and whose last cannot be recorded.
        final Path bad = Files.write(dir.resolve("bad.jsonl"), List.of(
            RUN_START.replace("\"r1\"", "\"r2\""),
            TRAIN_STEP.replace("\"r1\"", "\"r2\""),
            record("train_step", "2", "\"lr\":[" + "0.1,".repeat(299) + "0.1]").replace("\"r1\"", "\"r2\"")));

        final CommandLineRun run = runCommand("import", bad, recording);

        assertEquals(1, run.exit(), run::toString);
        assertEquals(bad + ":3: lr: 300 learning rates, more than the 254 parameter groups a train_step records\n",
            run.out(), run::toString);
        assertEquals("blackbox: " + bad + ": 1 problem, nothing imported\n", run.err(), run::toString);
        final Path after = dir.resolve("after");
        assertEquals(recordsBefore, RecordingExport.export(recording, after).records());
        assertFalse(Files.exists(after.resolve("gradience").resolve("r2.jsonl")), "no half-imported run r2");
        assertNoTemporaryFiles();
    }

    @Test
    void shouldReadAHugeLineInABoundedHeap() throws IOException, InterruptedException
    {
        // In a JVM of 128 MiB: each line must be skipped or parsed without being held whole, or it would not fit.
        final Path input = dir.resolve("huge.jsonl");
        final long hugeLine = 200_000_000L;
        final String atTheLimit = "{\"a\":\"" + "x".repeat(JsonLinesReader.MAX_LINE_BYTES - 8) + "\"}";
        try (RandomAccessFile out = new RandomAccessFile(input.toFile(), "rw"))
        {
            out.write(utf8(RUN_START + "\n" + atTheLimit + "\n{\"a\":\""));
            out.seek(out.length() + hugeLine - 8);
            out.write(utf8("\"}\n" + TRAIN_STEP.replace("}", ",\"tokens\":[" +
                "{},".repeat((int)JsonLinesReader.MAX_TOKENS_PER_LINE / 2 - 100) + "{}]}") + "\n"));
        }
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Process process = new ProcessBuilder(java.toString(), "-Xmx128m",
            "-cp", System.getProperty("java.class.path"), BlackboxCommand.class.getName(),
            "validate", "gradience", input.toString())
            .redirectErrorStream(true)
            .start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(1, process.waitFor(), output);
        assertTrue(output.contains(input + ":2: schema: missing required field"), output);
        assertTrue(output.contains(input + ":3: line is " + hugeLine + " bytes long, more than the " +
            JsonLinesReader.MAX_LINE_BYTES + " a line may have; skipped"), output);
        assertFalse(output.contains(input + ":4: "), output);
        assertTrue(output.endsWith("1 file, 6 problems\n"), output);
        assertFalse(output.contains("Error") || output.contains("Exception"), output);
    }

    private CommandLineRun runCommand(final String command, final Path input, final Path recording)
    {
        return switch (command)
        {
            case "validate" -> blackbox("validate", "gradience", input.toString());
            case "monitor" -> blackbox("monitor", "gradience", input.toString(), "--record", recording.toString());
            case "import" -> blackbox("import", "gradience", input.toString(), "--recording", recording.toString());
            default -> throw new IllegalArgumentException(command);
        };
    }

    private static void assertOneErrorLine(final CommandLineRun run, final String line)
    {
        assertEquals(1, run.exit(), run::toString);
        assertEquals(line + "\n", run.err(), run::toString);
        assertEquals("", run.out(), run::toString);
    }

    private static void assertNoStackTrace(final CommandLineRun run)
    {
        final String all = run.out() + run.err();
        assertFalse(all.contains("Exception"), () -> "no exception name in the output\n" + run);
        assertFalse(all.contains("\tat "), () -> "no stack trace in the output\n" + run);
    }

    private static void assertPrintable(final CommandLineRun run)
    {
        final String all = run.out() + run.err();
        assertTrue(all.chars().allMatch(c -> '\n' == c || (c >= ' ' && c <= '~')),
            () -> "only printable ASCII and line ends in the output\n" + run);
    }

    private void assertNoTemporaryFiles() throws IOException
    {
        try (Stream<Path> tree = Files.walk(dir))
        {
            final List<Path> temporary = tree.filter(path -> path.getFileName().toString().endsWith(".tmp"))
                .collect(Collectors.toList());
            assertEquals(List.of(), temporary, "no temporary files left");
        }
    }


    private static String record(final String event, final String step, final String payload)
    {
        return "{" + ENVELOPE + ",\"event\":\"" + event + "\",\"step\":" + step + (payload.isEmpty() ? "" : ",") +
            payload + "}";
    }

    /**
     * A file of lines whose first problem is on its last line.
     */
    private static BadFile lines(final String name, final String... lines)
    {
        return linesWithProblemOn(lines.length, name, lines);
    }

    private static BadFile linesWithProblemOn(final long problemLine, final String name, final String... lines)
    {
        final String text = String.join("\n", lines) + "\n";
        return new BadFile(name, file -> Files.writeString(file, text, StandardCharsets.UTF_8), problemLine);
    }

    private static BadFile bytes(final String name, final byte[] content, final long line)
    {
        return new BadFile(name, file -> Files.write(file, content), line);
    }

    /**
     * A valid first line, then a line of {@code length} bytes, sparse so that the test costs no disk.
     */
    private static void longLine(final Path file, final long length) throws IOException
    {
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw"))
        {
            out.write(utf8(RUN_START + "\n{\"a\":\""));
            out.seek(out.length() + length - 8);
            out.write(utf8("\"}\n" + TRAIN_STEP + "\n"));
        }
    }

    private static void gzip(final Path file) throws IOException
    {
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file)))
        {
            out.write(utf8(RUN_START + "\n" + TRAIN_STEP + "\n"));
        }
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }

        return out.toByteArray();
    }
}
