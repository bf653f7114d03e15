package io.blackbox.tests.cli;

import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.cli.CommandLineRun;
import io.blackbox.tests.GoldenFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.blackbox.exporter.cli.CommandLineRun.blackbox;
import static io.blackbox.tests.gradience.GradienceGoldenExportTest.RUN_ID;
import static io.blackbox.tests.gradience.GradienceGoldenExportTest.recordScenario;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the commands print, and the export summary ({@code blackbox-export.json}), byte for byte against golden files
 * in {@code /golden/cli/}: exit code, standard output and standard error of each run (the real command line,
 * in-process), on the fixed scenario of {@link io.blackbox.tests.gradience.GradienceGoldenExportTest} recorded with a
 * stepping clock and the demo with a fixed seed. What must vary from run to run is normalised in one place,
 * {@link #normalise}. To regenerate after an intended change: see {@link GoldenFiles}.
 */
class CommandOutputGoldenTest
{
    private static final String GOLDEN = "/golden/cli/";

    @TempDir
    Path temp;

    /**
     * The help of the top command (empty) and of each command, e.g. {@code "validate gradience"}.
     */
    @ParameterizedTest
    @ValueSource(strings = { "", "demo", "export", "recover", "validate", "validate gradience", "monitor",
        "monitor gradience", "import", "import gradience" })
    void shouldPrintHelp(final String command) throws IOException
    {
        final List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add("--help");

        final CommandLineRun run = blackbox(args.toArray(String[]::new));

        assertEquals(0, run.exit(), run::toString);
        assertGolden("help" + (command.isEmpty() ? "" : "-" + command.replace(' ', '-')), run);
    }

    @Test
    void shouldExportThenValidateTheFixedScenario() throws IOException
    {
        final Path recording = temp.resolve("recording");
        final Path export = temp.resolve("export");
        recordScenario(recording);

        final CommandLineRun exported = blackbox("export", "--recording", recording.toString(), "--out", export.toString());
        assertEquals(0, exported.exit(), exported::toString);
        assertGolden("export", exported);
        GoldenFiles.assertMatches(GOLDEN + RecordingExport.SUMMARY_FILE,
            normalise(Files.readString(export.resolve(RecordingExport.SUMMARY_FILE), StandardCharsets.UTF_8)));

        final CommandLineRun validated = blackbox("validate", "gradience",
            export.resolve("gradience").resolve(RUN_ID + ".jsonl").toString());
        assertEquals(0, validated.exit(), validated::toString);
        assertGolden("validate-gradience", validated);
    }

    @Test
    void shouldRecoverACleanlyClosedRecording() throws IOException
    {
        final Path recording = temp.resolve("recording");
        recordScenario(recording);

        final CommandLineRun run = blackbox("recover", "--recording", recording.toString());

        assertEquals(0, run.exit(), run::toString);
        assertGolden("recover", run);
    }

    @Test
    void shouldPrintTheDemoSummary() throws IOException
    {
        final CommandLineRun run = blackbox("demo", "--out", temp.resolve("demo").toString(), "--steps", "200",
            "--threads", "1", "--seed", "7");

        assertEquals(0, run.exit(), run::toString);
        assertGolden("demo", run);
    }

    @Test
    void shouldReportBadInput() throws IOException
    {
        final Path notJson = temp.resolve("not-json.jsonl");
        Files.writeString(notJson, "{\"schema\":\"gradience.vnext.telemetry/v1\"}\nnot json\n", StandardCharsets.UTF_8);
        final String missing = temp.resolve("missing").toString();

        assertGolden("error-no-command", blackbox());
        assertGolden("error-unknown-command", blackbox("nonsense"));
        assertGolden("error-export-no-options", blackbox("export"));
        assertGolden("error-export-missing-recording", blackbox("export", "--recording", missing, "--out",
            temp.resolve("export").toString()));
        assertGolden("error-recover-missing-recording", blackbox("recover", "--recording", missing));
        assertGolden("error-validate-missing-file", blackbox("validate", "gradience", missing));
        assertGolden("error-validate-not-json", blackbox("validate", "gradience", notJson.toString()));
        assertGolden("error-demo-steps", blackbox("demo", "--out", temp.resolve("demo").toString(), "--steps", "0"));
    }

    private void assertGolden(final String name, final CommandLineRun run) throws IOException
    {
        GoldenFiles.assertMatches(GOLDEN + name + ".txt", normalise(run.toString()));
    }

    /**
     * The one place where output that must vary is made stable, each replacement visible in the golden files:
     * <ul>
     *     <li>the test's temp directory becomes {@code $TEMP};</li>
     *     <li>what is measured becomes {@code #}: durations and rates, emit latencies, and the demo's bytes on disk
     *         (how records were batched depends on when the drainer ran);</li>
     *     <li>the demo's {@code progress} lines, whose count depends on how long it ran, are left out.</li>
     * </ul>
     * Counts of records and events, run ids, file names and messages are compared as they are.
     */
    private String normalise(final String text)
    {
        String normalised = text.replace(temp.toString(), "$TEMP");
        normalised = normalised.replaceAll("(?m)^progress steps=.*\n", "");
        normalised = normalised.replaceAll(" in \\d+\\.\\d+ s", " in # s");
        // A Clamp session file is named by its session's start (the original's name), a wall-clock time.
        normalised = normalised.replaceAll("clamp_run_\\d{8}T\\d{6}Z", "clamp_run_YYYYMMDDTHHMMSSZ");
        normalised = normalised.replaceAll("\\(drain and close \\d+\\.\\d+ s more\\)", "(drain and close # s more)");
        normalised = normalised.replaceAll("[\\d,]+ (events|records)/s", "# $1/s");
        normalised = normalised.replaceAll("(p50|p99|p99\\.9|max) [\\d,]+ ns", "$1 # ns");
        normalised = replaceNumbers(normalised, "(?m)^disk .*$");
        normalised = replaceNumbers(normalised, "(?m)^recording  .*$");
        return normalised;
    }

    private static String replaceNumbers(final String text, final String lines)
    {
        final Matcher line = Pattern.compile(lines).matcher(text);
        final StringBuilder result = new StringBuilder();
        while (line.find())
        {
            line.appendReplacement(result, Matcher.quoteReplacement(line.group().replaceAll("\\d[\\d,.]*", "#")));
        }
        line.appendTail(result);
        return result.toString();
    }
}
