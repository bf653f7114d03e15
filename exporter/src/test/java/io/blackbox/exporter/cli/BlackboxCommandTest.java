package io.blackbox.exporter.cli;

import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.exporter.gradience.GradienceSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.blackbox.exporter.gradience.GradienceSamples.MINIMAL;
import static io.blackbox.exporter.gradience.GradienceSamples.RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlackboxCommandTest
{
    private static final String VALID_RUN_END =
        "{\"schema\":\"gradience.vnext.telemetry/v1\",\"ts\":1,\"run_id\":\"r\",\"event\":\"run_end\",\"step\":null," +
        "\"status\":\"ok\"}";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldExitZeroWhenEveryFileIsValid() throws IOException
    {
        final Path minimal = GradienceSamples.copy(MINIMAL, dir);
        final Path run = GradienceSamples.copy(RUN, dir);

        assertEquals(0, run("validate", "gradience", minimal.toString(), run.toString()));
        assertEquals("", out());
        assertEquals("2 files, 0 problems\n", err());
    }

    @Test
    void shouldPrintEachProblemAndExitOne() throws IOException
    {
        final Path file = Files.write(dir.resolve("bad.jsonl"), List.of(
            VALID_RUN_END,
            VALID_RUN_END.replace("\"step\":null", "\"step\":2.0"),
            "[]"));

        assertEquals(1, run("validate", "gradience", file.toString()));
        assertEquals(
            file + ":2: step: must be an integer or null, found 2.0\n" +
            file + ":3: not a JSON object: the line holds an array\n",
            out());
        assertEquals("1 file, 2 problems\n", err());
    }

    @Test
    void shouldReportAMissingFileAsOneLineWithoutAStackTrace()
    {
        final Path missing = dir.resolve("missing.jsonl");

        assertEquals(1, run("validate", "gradience", missing.toString()));
        assertEquals("", out());
        assertEquals("blackbox: file not found: " + missing + "\n", err());
        assertFalse(err().contains("Exception"));
    }

    @Test
    void shouldReportADirectoryAsOneLine()
    {
        assertEquals(1, run("monitor", "gradience", dir.toString()));
        assertEquals("blackbox: not a file but a directory: " + dir + "\n", err());
    }

    @Test
    void shouldRejectAnUnknownFamilyListingTheKnownOnes() throws IOException
    {
        final Path file = GradienceSamples.copy(MINIMAL, dir);

        assertEquals(BlackboxCommand.EXIT_USAGE, run("validate", "ppo-x", file.toString()));
        assertEquals("", out());
        final String error = err();
        assertTrue(error.startsWith("blackbox: "), error);
        assertTrue(error.contains("unknown family 'ppo-x'; known families: gradience"), error);
        assertEquals(1, error.lines().count(), error);
    }

    @Test
    void shouldRejectAMissingCommand()
    {
        assertEquals(BlackboxCommand.EXIT_USAGE, run());
        assertTrue(err().startsWith("blackbox: missing command"), err());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "validate", "monitor", "help" })
    void shouldPrintHelpForEveryCommand(final String command)
    {
        final String[] args = command.isEmpty() ? new String[]{ "--help" } : new String[]{ command, "--help" };

        assertEquals(0, run(args));
        assertTrue(out().contains("Usage: blackbox" + (command.isEmpty() ? "" : " " + command)), out());
        assertEquals("", err());
    }

    @Test
    void shouldListEveryRegisteredFamilyInTheMainHelp()
    {
        assertEquals(0, run("--help"));

        for (final TelemetryFamily family : TelemetryFamilies.all())
        {
            assertTrue(out().contains("  " + family.name() + " "), () -> family.name() + " listed\n" + out());
            for (final String version : family.specVersions())
            {
                assertTrue(out().contains(version), () -> version + " listed\n" + out());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "validate", "monitor", "import" })
    void shouldGiveEachFamilyCommandASubcommandPerRegisteredFamily(final String command)
    {
        for (final TelemetryFamily family : TelemetryFamilies.all())
        {
            out.reset();
            assertEquals(0, run(command, family.name(), "--help"));
            assertTrue(out().contains("Usage: blackbox " + command + " " + family.name()), out());
        }
    }

    @Test
    void shouldShowAMonitorsOwnOptionsInItsFamilysHelp()
    {
        assertEquals(0, run("monitor", "gradience", "--help"));

        assertTrue(out().contains("--threshold=GAP"), out());
        assertTrue(out().contains("--record=DIR"), out());
    }

    @Test
    void shouldRejectAFamilyCommandWithoutAFamily()
    {
        assertEquals(BlackboxCommand.EXIT_USAGE, run("validate"));

        assertTrue(err().startsWith("blackbox: missing family; one of: " + TelemetryFamilies.names()), err());
    }

    @Test
    void shouldPrintTheVersion()
    {
        assertEquals(0, run("--version"));
        assertTrue(out().startsWith("blackbox "), out());
    }

    @Test
    void shouldMonitorTheGoldenFixtureAndAlert() throws IOException
    {
        final Path file = GradienceSamples.copy(MINIMAL, dir);

        assertEquals(0, run("monitor", "gradience", file.toString()));
        assertEquals("run \"test_run_001\": train ppl 2.0 (step 10), test ppl 3.0 (step 10), gap 1.5 " +
            "(threshold 1.5) ALERT memorization_gap\n", out());
    }

    @Test
    void shouldMonitorWithAHigherThresholdWithoutAlert() throws IOException
    {
        final Path file = GradienceSamples.copy(MINIMAL, dir);

        assertEquals(0, run("monitor", "gradience", file.toString(), "--threshold", "1.6"));
        assertEquals("run \"test_run_001\": train ppl 2.0 (step 10), test ppl 3.0 (step 10), gap 1.5 " +
            "(threshold 1.6)\n", out());
    }

    @Test
    void shouldPrintProblemsInsteadOfMonitoringAnInvalidFile() throws IOException
    {
        final Path file = Files.write(dir.resolve("bad.jsonl"), List.of(VALID_RUN_END.replace("\"ok\"", "\"done\"")));

        assertEquals(1, run("monitor", "gradience", file.toString()));
        assertEquals(file + ":1: status: must be one of ok, aborted, error, found \"done\"\n", out());
        assertEquals("1 file, 1 problem\n", err());
    }

    @Test
    void shouldRejectANonPositiveThresholdAsAUsageError() throws IOException
    {
        final Path file = GradienceSamples.copy(MINIMAL, dir);

        assertEquals(BlackboxCommand.EXIT_USAGE, run("monitor", "gradience", file.toString(), "--threshold", "0"));
        assertTrue(err().startsWith("blackbox: --threshold must be a finite number greater than 0"), err());
    }

    @Test
    void shouldReportAnUnexpectedErrorAsOneLine()
    {
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintWriter writer = new PrintWriter(captured, true, StandardCharsets.UTF_8);
        final CommandLine commandLine = new CommandLine(new BlackboxCommand()).setErr(writer);

        final int code = new ErrorReporter(false).handleExecutionException(
            new IllegalStateException("broken\nsecond line"), commandLine, null);

        assertEquals(1, code);
        assertEquals("blackbox: unexpected error: java.lang.IllegalStateException: broken second line " +
            "(set BLACKBOX_DEBUG=1 for the stack trace)\n", captured.toString(StandardCharsets.UTF_8));
    }

    private int run(final String... args)
    {
        return BlackboxCommand.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    }

    private String out()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

}
