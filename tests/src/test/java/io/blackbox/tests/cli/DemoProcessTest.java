package io.blackbox.tests.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.cli.BlackboxCommand;
import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.gradience.GradienceValidator;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code blackbox demo --threads 4} as a user runs it: the packaged jar in a child JVM, with its argument file, a
 * fresh HOME, no terminal and no standard input. The demo runs once; each test checks one thing about that run.
 * Four concurrent runs must come out as four whole runs, each valid and in order.
 */
class DemoProcessTest
{
    private static final long STEPS = 20_000;
    private static final int THREADS = 4;
    private static final Pattern PROGRESS_STEPS = Pattern.compile("steps=(\\d+)");

    @TempDir
    static Path temp;

    private static Demo demo;

    /**
     * What the child process did.
     */
    private record Demo(int exit, List<String> out, List<String> err, Path exportDirectory, Path home)
    {
        @Override
        public String toString()
        {
            return "exit " + exit + "\n--- stdout\n" + String.join("\n", out) + "\n--- stderr\n" + String.join("\n", err);
        }
    }

    private static synchronized Demo demo() throws Exception
    {
        if (demo != null)
        {
            return demo;
        }
        final Path home = Files.createDirectory(temp.resolve("home"));
        final Path out = temp.resolve("demo");
        final Path stdout = temp.resolve("stdout.txt");
        final Path stderr = temp.resolve("stderr.txt");
        final ProcessBuilder builder = BlackboxJar.command(home, temp, "demo", "--steps", Long.toString(STEPS),
            "--threads", Integer.toString(THREADS), "--out", out.toString())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
        final Process process = builder.start();
        process.getOutputStream().close();
        // A guard against a hung child only, not a performance check.
        if (!process.waitFor(10, TimeUnit.MINUTES))
        {
            process.destroyForcibly().waitFor();
            fail("blackbox demo did not finish; stdout:\n" + Files.readString(stdout) + "\nstderr:\n" + Files.readString(stderr));
        }
        demo = new Demo(process.exitValue(), Files.readAllLines(stdout, StandardCharsets.UTF_8),
            Files.readAllLines(stderr, StandardCharsets.UTF_8), out.resolve("export"), home);
        return demo;
    }

    private static List<Path> runFiles(final Demo demo) throws IOException
    {
        final Path gradience = demo.exportDirectory().resolve("gradience");
        assertTrue(Files.isDirectory(gradience), () -> gradience + " exported\n" + demo);
        try (Stream<Path> files = Files.list(gradience))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(".jsonl")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void shouldExitZeroReportingNoProblems() throws Exception
    {
        final Demo demo = demo();

        assertEquals(0, demo.exit(), demo::toString);
        assertTrue(demo.out().stream().anyMatch(line -> line.contains("no problems")), demo::toString);
    }

    @Test
    void shouldReportProgressThatNeverGoesBackAndEndsAtEveryStep() throws Exception
    {
        final Demo demo = demo();

        final List<Long> progress = new ArrayList<>();
        for (final String line : demo.out())
        {
            final Matcher matcher = PROGRESS_STEPS.matcher(line);
            if (matcher.find())
            {
                progress.add(Long.parseLong(matcher.group(1)));
            }
        }
        assertFalse(progress.isEmpty(), () -> "a line with steps=N\n" + demo);
        for (int i = 1; i < progress.size(); i++)
        {
            assertTrue(progress.get(i) >= progress.get(i - 1), () -> "steps never decrease: " + progress);
        }
        // Every family with a simulated workload runs THREADS runs of STEPS steps.
        final long families = TelemetryFamilies.all().stream().filter(family -> null != family.demo()).count();
        assertEquals(STEPS * THREADS * families, progress.get(progress.size() - 1), () -> "last steps=N: " + progress);
    }

    @Test
    void shouldExportOneValidFilePerRun() throws Exception
    {
        final Demo demo = demo();

        final List<Path> files = runFiles(demo);
        assertEquals(THREADS, files.size(), () -> "run files " + files + "\n" + demo);
        for (final Path file : files)
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final int exit;
            try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8))
            {
                exit = BlackboxCommand.execute(outStream, errStream, "validate", "gradience", file.toString());
            }
            assertEquals(0, exit, () -> "validate " + file + "\n" + out.toString(StandardCharsets.UTF_8) +
                err.toString(StandardCharsets.UTF_8));
            assertEquals(List.of(), new GradienceValidator().validate(file), file::toString);
        }
    }

    @Test
    void shouldExportEveryTrainStepInOrderBetweenRunStartAndRunEnd() throws Exception
    {
        final Demo demo = demo();

        final List<Path> files = runFiles(demo);
        assertEquals(THREADS, files.size(), () -> "run files " + files + "\n" + demo);
        final Set<String> runIds = new HashSet<>();
        for (final Path file : files)
        {
            final List<ObjectNode> records = TestRecordings.readJsonl(file);
            assertEquals("run_start", records.get(0).get("event").textValue(), file::toString);
            assertEquals("run_end", records.get(records.size() - 1).get("event").textValue(), file::toString);
            final String runId = records.get(0).get("run_id").textValue();
            assertTrue(runIds.add(runId), () -> file + ": run " + runId + " in one file only");
            long expectedStep = 1;
            for (final ObjectNode record : records)
            {
                assertEquals(runId, record.get("run_id").textValue(), () -> file + ": every record of one run");
                if ("train_step".equals(record.get("event").textValue()))
                {
                    final long step = expectedStep;
                    assertEquals(step, record.get("step").longValue(), () -> file + ": train_step " + step + " in order");
                    expectedStep++;
                }
            }
            assertEquals(STEPS, expectedStep - 1, () -> file + ": train_step records");
        }
    }

    @Test
    void shouldWriteNoWarningOrStackTraceToStandardError() throws Exception
    {
        final Demo demo = demo();

        for (final String line : demo.err())
        {
            assertFalse(line.contains("WARN"), demo::toString);
            assertFalse(line.contains("Exception"), demo::toString);
            assertFalse(line.matches("\\s+at .*"), demo::toString);
        }
    }

    @Test
    void shouldWriteNothingToHome() throws Exception
    {
        final Demo demo = demo();

        final List<Path> written;
        try (Stream<Path> tree = Files.walk(demo.home()))
        {
            written = tree.filter(path -> !path.equals(demo.home())).collect(Collectors.toList());
        }
        assertEquals(List.of(), written, "nothing written under HOME " + demo.home());
    }

    @Test
    void shouldShipNoChronicleAnalyticsJar() throws IOException
    {
        final Path lib = BlackboxJar.exporterTarget().resolve("lib");
        if (!Files.isDirectory(lib))
        {
            fail("the executable jar's lib/ is not built: expected " + lib + "; package the exporter first");
        }
        try (Stream<Path> jars = Files.list(lib))
        {
            final List<String> analytics = jars.map(jar -> jar.getFileName().toString())
                .filter(name -> name.startsWith("chronicle-analytics"))
                .collect(Collectors.toList());
            assertEquals(List.of(), analytics, "jars in " + lib);
        }
    }
}
