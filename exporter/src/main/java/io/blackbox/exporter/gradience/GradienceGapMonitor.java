package io.blackbox.exporter.gradience;

import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.family.FamilyMonitor;
import io.blackbox.exporter.gradience.GradienceMonitor.GapReport;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.blackbox.exporter.QuotedText.quote;

/**
 * {@code blackbox monitor gradience}: the generalization gap of each run, test ppl / train ppl from its last train and
 * test evals ({@link GradienceMonitor}), with an alert at or above {@code --threshold}.
 */
public final class GradienceGapMonitor implements FamilyMonitor
{
    @Option(
        names = "--threshold",
        paramLabel = "GAP",
        defaultValue = "" + GradienceMonitor.DEFAULT_THRESHOLD,
        description = "Alert when test ppl / train ppl is at least this (default: ${DEFAULT-VALUE}).")
    private double threshold = GradienceMonitor.DEFAULT_THRESHOLD;

    public String description()
    {
        return "the generalization gap, test ppl / train ppl from the last train and test evals (no gap when " +
            "either has no ppl), printed in full and compared as printed, with ALERT " + GradienceMonitor.ALERT_CODE +
            " when it is at least the threshold";
    }

    public void checkOptions()
    {
        if (!(threshold > 0.0) || Double.isInfinite(threshold))
        {
            throw new IllegalArgumentException("--threshold must be a finite number greater than 0, was " + threshold);
        }
    }

    public Result monitor(final Path file)
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
        if (!problems.isEmpty())
        {
            return new Result(problems, List.of());
        }

        final List<Finding> findings = new ArrayList<>();
        for (final GapReport report : monitor.reports())
        {
            findings.add(new GapFinding(report));
        }
        return new Result(List.of(), findings);
    }

    /**
     * One run's line, e.g. {@code run "r1": train ppl 2.0 (step 10), test ppl 3.0 (step 10), gap 1.5
     * (threshold 1.5) ALERT memorization_gap}: the gap as compared, every digit of the double, so a gap of
     * {@code 1.4999999999999998} reads as the reason it did not alert.
     */
    static String describe(final GapReport report)
    {
        final StringBuilder line = new StringBuilder(128)
            .append("run ").append(quote(report.runId()))
            .append(": train ppl ").append(perplexity(report.trainPpl(), report.trainStep()))
            .append(", test ppl ").append(perplexity(report.testPpl(), report.testStep()))
            .append(", gap ")
            .append(null == report.gap() ? "n/a" : String.valueOf(report.gap()))
            .append(" (threshold ").append(report.threshold()).append(')');
        if (report.alert())
        {
            line.append(" ALERT ").append(GradienceMonitor.ALERT_CODE);
        }

        return line.toString();
    }

    private static String perplexity(final Double ppl, final Long step)
    {
        final String value = null == ppl ? "n/a" : String.valueOf(ppl);
        return null == step ? value : value + " (step " + step + ")";
    }

    private record GapFinding(GapReport report) implements Finding
    {
        public String runId()
        {
            return report.runId();
        }

        public String line()
        {
            return describe(report);
        }

        public boolean alert()
        {
            return report.alert();
        }

        /**
         * The run's {@code alert} event (severity warning, code {@code memorization_gap}), at the step of the later
         * of the two evals.
         */
        public boolean recordAlert(final Recorder recorder)
        {
            final long step = Math.max(
                report.trainStep() == null ? Long.MIN_VALUE : report.trainStep(),
                report.testStep() == null ? Long.MIN_VALUE : report.testStep());
            // closed after its one alert: an emitter holds a lane of the ring until closed
            try (GradienceEmitter alerts = recorder.emitter(GradienceEmitter::new, report.runId()))
            {
                return alerts.alert(step == Long.MIN_VALUE ? GradienceEmitter.NO_STEP : step, GradienceSeverity.WARNING,
                    GradienceMonitor.ALERT_CODE, report.alertMessage(), report.alertContext());
            }
        }
    }
}
