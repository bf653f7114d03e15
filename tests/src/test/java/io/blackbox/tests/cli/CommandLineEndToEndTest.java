package io.blackbox.tests.cli;

import io.blackbox.exporter.cli.CommandLineRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.gradience.GradienceSamples;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.blackbox.exporter.cli.CommandLineRun.blackbox;
import static io.blackbox.exporter.gradience.GradienceSamples.MINIMAL;
import static io.blackbox.exporter.gradience.GradienceSamples.RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code blackbox} command line run in-process, on real files: import, export, validate, errors and help.
 */
class CommandLineEndToEndTest
{
    private static final String SCHEMA = "gradience.vnext.telemetry/v1";
    private static final String ENVELOPE = "\"schema\":\"" + SCHEMA + "\",\"ts\":1.5,\"run_id\":\"r1\"";
    private static final String RUN_START = "{" + ENVELOPE + ",\"event\":\"run_start\",\"step\":null,\"config\":{}}\n";

    @TempDir
    Path temp;


    private static void assertNoStackTrace(final CommandLineRun run)
    {
        assertFalse(run.all().contains("Exception"), () -> "no exception name in the output\n" + run);
        assertFalse(run.all().contains("\tat "), () -> "no stack trace in the output\n" + run);
    }

    @ParameterizedTest
    @ValueSource(strings = { RUN, MINIMAL })
    void shouldImportThenExportEachSampleToValidRunFiles(final String name) throws IOException
    {
        final Path input = GradienceSamples.copy(name, temp);
        final Path recording = temp.resolve("recording");
        final Path root = temp.resolve("export");

        final CommandLineRun imported = blackbox("import", "gradience", input.toString(), "--recording", recording.toString());
        assertEquals(0, imported.exit(), imported::toString);
        final CommandLineRun exported = blackbox("export", "--recording", recording.toString(), "--out", root.toString());
        assertEquals(0, exported.exit(), exported::toString);

        final Set<String> runIds = TestRecordings.readJsonl(input).stream()
            .map(record -> record.get("run_id").textValue())
            .collect(Collectors.toCollection(LinkedHashSet::new));
        assertFalse(runIds.isEmpty());
        for (final String runId : runIds)
        {
            final Path runFile = root.resolve("gradience").resolve(runId + ".jsonl");
            assertTrue(Files.isRegularFile(runFile), () -> runFile + " exported\n" + exported);
            final CommandLineRun validated = blackbox("validate", "gradience", runFile.toString());
            assertEquals(0, validated.exit(), validated::toString);
        }
    }

    static Stream<Arguments> badFiles()
    {
        return Stream.of(
            Arguments.of("malformed-json", bytes(RUN_START + "{\"schema\": oops\n"), "2"),
            Arguments.of("wrong-type", bytes(RUN_START +
                "{" + ENVELOPE + ",\"event\":\"train_step\",\"step\":\"x\",\"loss\":0.5}\n"), "2"),
            Arguments.of("invalid-utf8", concat(bytes(RUN_START +
                "{" + ENVELOPE + ",\"event\":\"train_step\",\"step\":1,\"note\":\""),
                new byte[]{ (byte)0xFF, (byte)0xFE, (byte)0xC3 }, bytes("\"}\n")), "2"),
            Arguments.of("empty", new byte[0], null),
            Arguments.of("eval-without-split", bytes(RUN_START +
                "{" + ENVELOPE + ",\"event\":\"eval\",\"step\":1,\"metrics\":{\"ppl\":2.0,\"n\":10}}\n"), "2"),
            Arguments.of("png-header", new byte[]{
                (byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R' }, "1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void shouldRejectABadFileNamingFileAndLineAndImportNothing(final String name, final byte[] content,
        final String line) throws IOException
    {
        final Path input = temp.resolve(name + ".jsonl");
        Files.write(input, content);
        final Path recording = temp.resolve("recording");

        final CommandLineRun run = blackbox("import", "gradience", input.toString(), "--recording", recording.toString());

        assertEquals(1, run.exit(), run::toString);
        if (line == null)
        {
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith(input + ":") && l.contains("empty")),
                () -> "a line naming the file and that it is empty\n" + run);
        }
        else
        {
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith(input + ":" + line + ": ")),
                () -> "a line starting " + input + ":" + line + ": \n" + run);
        }
        assertNoStackTrace(run);
        assertFalse(Files.exists(recording), () -> "no recording created\n" + run);
    }

    @Test
    void shouldRefuseToExportADirectoryThatIsNotARecording() throws IOException
    {
        final Path notRecording = Files.createDirectory(temp.resolve("photos"));
        Files.writeString(notRecording.resolve("holiday.txt"), "not telemetry\n");

        final CommandLineRun run = blackbox("export", "--recording", notRecording.toString(), "--out", temp.resolve("export").toString());

        assertOneErrorLine(run);
    }

    @Test
    void shouldRefuseToExportAMissingDirectory()
    {
        final CommandLineRun run = blackbox("export", "--recording", temp.resolve("missing").toString(),
            "--out", temp.resolve("export").toString());

        assertOneErrorLine(run);
    }

    @Test
    void shouldRefuseAnExportRootThatCannotBeWrittenInOneLine() throws IOException
    {
        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(recording);
            GradienceEmitter run = recorder.emitter(GradienceEmitter::new, "r"))
        {
            assertTrue(run.trainStep(1, 0.5, 1e-4));
        }
        final Path file = Files.writeString(temp.resolve("a-file"), "not a directory\n");

        final CommandLineRun run = blackbox("export", "--recording", recording.toString(),
            "--out", file.resolve("export").toString());

        assertOneErrorLine(run);
        assertTrue(run.err().contains(file.toString()), run::toString);
        assertEquals("not a directory\n", Files.readString(file), "nothing written over what is in the way");
    }

    private static void assertOneErrorLine(final CommandLineRun run)
    {
        assertEquals(1, run.exit(), run::toString);
        final List<String> lines = run.err().lines().collect(Collectors.toList());
        assertEquals(1, lines.size(), () -> "one line on stderr\n" + run);
        assertTrue(lines.get(0).startsWith("blackbox: "), run::toString);
        assertNoStackTrace(run);
    }

    @Test
    void shouldExportUnsafeRunIdsInsideTheGradienceDirectoryReversibly() throws IOException
    {
        final List<String> runIds = List.of("../../escape", "a/b", "..", ".", "x\u0000y", "%41", "实验-é-\uD83D\uDE80");
        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(recording))
        {
            for (final String runId : runIds)
            {
                final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, runId);
                assertTrue(run.trainStep(1, 0.5, 1e-4));
                assertTrue(run.runEnd(1, GradienceRunStatus.OK, null));
            }
        }
        final Path root = temp.resolve("out").resolve("export");
        final Path gradience = root.resolve("gradience");

        final CommandLineRun run = blackbox("export", "--recording", recording.toString(), "--out", root.toString());
        assertEquals(0, run.exit(), run::toString);

        final List<Path> jsonl;
        try (Stream<Path> tree = Files.walk(temp))
        {
            jsonl = tree.filter(path -> path.getFileName().toString().endsWith(".jsonl")).collect(Collectors.toList());
        }
        for (final Path file : jsonl)
        {
            assertEquals(gradience, file.getParent(), () -> file + " is directly inside " + gradience);
        }
        final List<Path> runFiles;
        try (Stream<Path> files = Files.list(gradience))
        {
            runFiles = files.collect(Collectors.toList());
        }
        assertEquals(runIds.size(), runFiles.size(), () -> "one file per run: " + runFiles);

        final Set<String> readBack = new HashSet<>();
        for (final Path file : runFiles)
        {
            final List<ObjectNode> records = TestRecordings.readJsonl(file);
            assertEquals(2, records.size(), file::toString);
            final Set<String> idsInFile = records.stream().map(r -> r.get("run_id").textValue()).collect(Collectors.toSet());
            assertEquals(1, idsInFile.size(), () -> file + " holds one run: " + idsInFile);
            readBack.addAll(idsInFile);
        }
        assertEquals(Set.copyOf(runIds), readBack);
    }

    @ParameterizedTest(name = "blackbox {0} --help")
    @ValueSource(strings = { "", "demo", "export", "validate", "monitor", "import", "recover" })
    void shouldPrintHelpAndExitZero(final String command)
    {
        final CommandLineRun run = command.isEmpty() ? blackbox("--help") : blackbox(command, "--help");

        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("Usage:"), run::toString);
    }

    @Test
    void shouldWriteASummaryCountingEveryRecordAndNoDrops() throws IOException
    {
        final Path recording = temp.resolve("recording");
        final int steps = 50;
        long written = 0;
        try (Recorder recorder = Recorder.open(recording))
        {
            for (final String runId : List.of("run-a", "run-b"))
            {
                final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, runId);
                assertTrue(run.runStart(Map.of("model_name", "tiny"), Map.of("framework", "test")));
                written++;
                for (int step = 1; step <= steps; step++)
                {
                    assertTrue(run.trainStep(step, 1.0 / step, 1e-4));
                    written++;
                }
                assertTrue(run.runEnd(steps, GradienceRunStatus.OK, null));
                written++;
            }
        }
        final Path root = temp.resolve("export");

        final CommandLineRun run = blackbox("export", "--recording", recording.toString(), "--out", root.toString());
        assertEquals(0, run.exit(), run::toString);

        final Path summaryFile = root.resolve(RecordingExport.SUMMARY_FILE);
        assertTrue(Files.isRegularFile(summaryFile), summaryFile::toString);
        final JsonNode summary = new ObjectMapper().readTree(summaryFile.toFile());
        assertTrue(summary.isObject(), summary::toString);
        assertEquals(written, summary.path("records").asLong(-1), summary::toString);
        assertTrue(summary.path("dropped_records").isIntegralNumber(), summary::toString);
        assertEquals(0, summary.path("dropped_records").asLong(), summary::toString);
    }

    @Test
    void shouldRecordTheMemorizationGapAlertThatMonitorFinds() throws IOException
    {
        final Path recording = temp.resolve("alerts");
        final CommandLineRun monitor = blackbox("monitor", "gradience", GradienceSamples.copy(MINIMAL, temp).toString(),
            "--record", recording.toString());
        assertEquals(0, monitor.exit(), monitor::toString);
        assertTrue(monitor.out().contains("gap 1.5 ") && monitor.out().contains("ALERT memorization_gap"), monitor.out());

        final Path root = temp.resolve("export");
        assertEquals(0, blackbox("export", "--recording", recording.toString(), "--out", root.toString()).exit());
        final Path file = root.resolve("gradience").resolve("test_run_001.jsonl");
        assertEquals(0, blackbox("validate", "gradience", file.toString()).exit());
        final List<ObjectNode> records = TestRecordings.readJsonl(file);
        assertEquals(1, records.size());
        final ObjectNode alert = records.get(0);
        assertEquals("alert", alert.get("event").textValue());
        assertEquals("warning", alert.get("severity").textValue());
        assertEquals("memorization_gap", alert.get("code").textValue());
        assertEquals(10, alert.get("step").longValue());
        assertEquals(1.5, alert.get("context").get("gap").doubleValue());
        assertEquals(2.0, alert.get("context").get("train_ppl").doubleValue());
        assertEquals(3.0, alert.get("context").get("test_ppl").doubleValue());
    }

    @Test
    void shouldRecordNoAlertBelowTheThreshold() throws IOException
    {
        final Path recording = temp.resolve("alerts");
        final CommandLineRun monitor = blackbox("monitor", "gradience", GradienceSamples.copy(MINIMAL, temp).toString(),
            "--threshold", "1.6", "--record", recording.toString());
        assertEquals(0, monitor.exit(), monitor::toString);
        assertTrue(monitor.out().contains("recorded 0 alerts"), monitor.out());
    }

    private static byte[] bytes(final String text)
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
