package io.blackbox.exporter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.gradience.GradienceMonitor;
import io.blackbox.exporter.gradience.GradienceMonitor.GapReport;
import io.blackbox.exporter.gradience.GradienceValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code blackbox monitor FAMILY FILE [--threshold GAP]}: validate a telemetry file and report what its family's
 * monitor sees in it, one line per run. For Gradience that is the generalization gap, test ppl / train ppl.
 */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description = {
        "Validate a telemetry file and report what the family's monitor sees, one line per run.",
        "gradience: the generalization gap, test ppl / train ppl from the last train and test evals, " +
            "with ALERT memorization_gap when it is at least the threshold.",
        "If the file has problems they are printed as by validate, and nothing else." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:the file is valid (an alert is reported in the output, not the exit code)",
        "1:the file has problems or cannot be read",
        "2:wrong command line" })
public final class MonitorCommand implements Callable<Integer>
{
    // Run ids are printed JSON-quoted and ASCII-escaped: a run id is data, and may hold control characters.
    private static final ObjectWriter QUOTING_WRITER =
        JsonLinesReader.MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    @Spec
    private CommandSpec spec;

    @Mixin
    private FamilyParameter family;

    @Parameters(index = "1", paramLabel = "FILE", description = "Telemetry file to monitor.")
    private Path file;

    @Option(
        names = "--threshold",
        paramLabel = "GAP",
        defaultValue = "" + GradienceMonitor.DEFAULT_THRESHOLD,
        description = "gradience: alert when test ppl / train ppl is at least this (default: ${DEFAULT-VALUE}).")
    private double threshold;

    @Option(
        names = "--record",
        paramLabel = "DIR",
        description = "Also write each alert as a Gradience alert event into the recording DIR (created if absent).")
    private Path record;

    /**
     * {@inheritDoc}
     */
    @Override
    public Integer call()
    {
        if (!(threshold > 0.0) || Double.isInfinite(threshold))
        {
            throw new ParameterException(
                spec.commandLine(), "--threshold must be a finite number greater than 0, was " + threshold);
        }
        InputFiles.requireReadableFile(file);
        if (null != record)
        {
            ImportCommand.requireRecordingDirectory(record, "--record");
        }

        return switch (family.family())
        {
            case GRADIENCE -> monitorGradience();
        };
    }

    private int monitorGradience()
    {
        final String name = file.toString();
        final List<Problem> problems = new ArrayList<>();
        final GradienceValidator validator = new GradienceValidator();
        final GradienceMonitor monitor = new GradienceMonitor(threshold);

        // One pass: the monitor sees only the records that validated.
        JsonLinesReader.read(
            file,
            (line, record) ->
            {
                final int problemsBefore = problems.size();
                validator.validate(name, line, record, problems);
                if (problems.size() == problemsBefore)
                {
                    monitor.onRecord(record);
                }
            },
            problems::add);

        final PrintWriter out = spec.commandLine().getOut();
        if (!problems.isEmpty())
        {
            ProblemOutput.print(out, problems);
            spec.commandLine().getErr().println(ProblemOutput.summary(1, problems.size()));
            return BlackboxCommand.EXIT_FAILURE;
        }

        for (final GapReport report : monitor.reports())
        {
            out.println(describe(report));
        }
        out.flush();
        if (record != null)
        {
            recordAlerts(monitor.reports(), out);
        }

        return BlackboxCommand.EXIT_OK;
    }

    /**
     * Write each alerting report into the recording as the run's {@code alert} event (severity warning, code
     * {@code memorization_gap}), at the step of the later of the two evals.
     */
    private void recordAlerts(final List<GapReport> reports, final PrintWriter out)
    {
        int recorded = 0;
        try (Recorder recorder = ImportCommand.openRecording(record, "--record"))
        {
            for (final GapReport report : reports)
            {
                if (report.alert())
                {
                    final long step = Math.max(
                        report.trainStep() == null ? Long.MIN_VALUE : report.trainStep(),
                        report.testStep() == null ? Long.MIN_VALUE : report.testStep());
                    // closed after its one alert: an emitter holds a lane of the ring until closed
                    try (GradienceEmitter alerts = recorder.gradience(report.runId()))
                    {
                        if (!alerts.alert(step == Long.MIN_VALUE ? GradienceEmitter.NO_STEP : step, GradienceSeverity.WARNING,
                            GradienceMonitor.ALERT_CODE, report.alertMessage(), report.alertContext()))
                        {
                            throw new UserError("could not record the alert of run " + quote(report.runId()) + " into " + record);
                        }
                    }
                    recorded++;
                }
            }
        }
        catch (final IllegalStateException | java.io.UncheckedIOException ex)
        {
            throw new UserError(ex.getMessage());
        }
        out.println("recorded " + recorded + " alert" + (recorded == 1 ? "" : "s") + " into " + record);
    }

    /**
     * One run's line, e.g. {@code run "r1": train ppl 2.0 (step 10), test ppl 3.0 (step 10), gap 1.500
     * (threshold 1.5) ALERT memorization_gap}.
     */
    static String describe(final GapReport report)
    {
        final StringBuilder line = new StringBuilder(128)
            .append("run ").append(quote(report.runId()))
            .append(": train ppl ").append(perplexity(report.trainPpl(), report.trainStep()))
            .append(", test ppl ").append(perplexity(report.testPpl(), report.testStep()))
            .append(", gap ")
            .append(null == report.gap() ? "n/a" : String.format(Locale.ROOT, "%.3f", report.gap()))
            .append(" (threshold ").append(report.threshold()).append(')');
        if (report.alert())
        {
            line.append(" ALERT ").append(GradienceMonitor.ALERT_CODE);
        }

        return line.toString();
    }

    private static String perplexity(final Double ppl, final Long step)
    {
        if (null == ppl)
        {
            return "n/a";
        }

        return null == step ? String.valueOf(ppl) : ppl + " (step " + step + ")";
    }

    private static String quote(final String text)
    {
        try
        {
            // JSON leaves DEL unescaped; it is a control character all the same.
            return QUOTING_WRITER.writeValueAsString(text).replace(String.valueOf((char)0x7F), "\\u007F");
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot quote a string", ex);
        }
    }
}
