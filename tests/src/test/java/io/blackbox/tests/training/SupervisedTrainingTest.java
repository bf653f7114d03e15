package io.blackbox.tests.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.gradience.GradienceExport;
import io.blackbox.exporter.gradience.GradienceMonitor;
import io.blackbox.exporter.report.MinMaxSeries;
import io.blackbox.exporter.report.Plot;
import io.blackbox.exporter.report.ReportData;
import io.blackbox.exporter.report.ReportSection;
import io.blackbox.exporter.gradience.GradienceWire;
import io.blackbox.tests.CommandRun;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real training run, recorded: bench's {@code SupervisedTraining} trains its MLP with DJL on PyTorch (CPU) for a
 * few hundred steps in a child JVM, offline, recording in {@code blackbox} mode; the recording is exported, the
 * Gradience file validated, and its numbers are a training's: the losses are real and fall, both splits are
 * evaluated, the network overfits its small train split, and the recorded gap alert is the monitor's.
 * <p>
 * The child runs on bench's classes and {@code bench/target/training.classpath} (DJL's jars among them), which the
 * reactor builds before this module. DJL extracts libtorch (about 450 MB) into {@code target/djl-cache} once per
 * build; the child's home is a temporary directory, so nothing is written outside the build and the test's files.
 * No timing is checked here.
 */
class SupervisedTrainingTest
{
    private static final String MAIN = "io.blackbox.bench.training.SupervisedTraining";
    private static final int WARMUP = 50;
    private static final int STEPS = 250;
    private static final int TOTAL_STEPS = WARMUP + STEPS;
    private static final int EVAL_EVERY = 50;
    private static final int TRAIN_SIZE = 256;
    private static final int TEST_SIZE = 2048;

    @TempDir
    Path temp;

    @Test
    void shouldRecordARealTrainingRunThatOverfits() throws Exception
    {
        final Path out = temp.resolve("out");
        final List<String> lines = TrainingProcess.run(temp, MAIN,
            "--modes", "blackbox",
            "--jit-warmup", "1000",
            "--warmup", Integer.toString(WARMUP),
            "--steps", Integer.toString(STEPS),
            "--eval-every", Integer.toString(EVAL_EVERY),
            "--train-size", Integer.toString(TRAIN_SIZE),
            "--test-size", Integer.toString(TEST_SIZE),
            "--seed", "42",
            "--out", out.toString());

        final String device = TrainingProcess.fields(TrainingProcess.line(lines, "program=SupervisedTraining "))
            .get("device");
        assertTrue("cpu".equals(device) || device.startsWith("gpu:"), () -> "device=" + device);
        try (var left = Files.list(out))
        {
            assertEquals(List.of(), left.filter(path -> path.getFileName().toString().startsWith("jit-warmup"))
                .toList(), "the JIT warm-up's throw-away recording is deleted");
        }
        final String timed = TrainingProcess.line(lines, "mode=blackbox ");
        assertTrue(timed.contains("steps=" + STEPS + " "), timed);
        final String recorded = TrainingProcess.line(lines, "recorded mode=blackbox ");
        assertTrue(recorded.contains(" not_recorded=0"), recorded);
        final Map<String, String> fields = TrainingProcess.fields(recorded);
        final String runId = fields.get("run_id");
        final Path recording = Path.of(fields.get("path"));

        final RecordingExport.Result export = RecordingExport.export(recording, temp.resolve("export"));
        assertEquals(0, export.dropped(), export::toString);
        assertFalse(export.damaged(), export::toString);
        final List<FamilyExport.ExportedFile> files = export.files().get(GradienceExport.FAMILY);
        assertEquals(1, files.size(), export::toString);
        final Path file = files.get(0).path();
        assertEquals(runId + ".jsonl", file.getFileName().toString());

        final CommandRun validate = CommandRun.of("validate", GradienceExport.FAMILY, file.toString());
        assertEquals(0, validate.exit(), validate::toString);

        final List<ObjectNode> records = TestRecordings.readJsonl(file);
        assertEquals(GradienceWire.EVENT_RUN_START, records.get(0).get(GradienceWire.EVENT).asText());
        final ObjectNode runEnd = records.get(records.size() - 1);
        assertEquals(GradienceWire.EVENT_RUN_END, runEnd.get(GradienceWire.EVENT).asText());
        assertEquals(GradienceWire.STATUS_OK, runEnd.get(GradienceWire.STATUS).asText());
        assertEquals(TOTAL_STEPS, runEnd.get(GradienceWire.STEP).asLong());

        checkTrainSteps(events(records, GradienceWire.EVENT_TRAIN_STEP));
        final List<ObjectNode> trainEvals = evals(records, GradienceWire.SPLIT_TRAIN);
        final List<ObjectNode> testEvals = evals(records, GradienceWire.SPLIT_TEST);
        checkEvals(trainEvals, TRAIN_SIZE);
        checkEvals(testEvals, TEST_SIZE);

        // Overfitting: at the end the network fits its train split far better than the test split.
        final double trainLoss = metric(last(trainEvals), GradienceWire.LOSS);
        final double testLoss = metric(last(testEvals), GradienceWire.LOSS);
        assertTrue(testLoss > trainLoss, () -> "test loss " + testLoss + " > train loss " + trainLoss);
        assertTrue(metric(last(trainEvals), GradienceWire.ACCURACY) > metric(last(testEvals), GradienceWire.ACCURACY),
            "train accuracy above test accuracy");

        checkGapAlert(records, runId);
        checkReport(recording, runId);
    }

    /**
     * {@code blackbox report} of the run: its loss curve goes down and its gap plot rises past the threshold, with
     * the alert marked, and the command writes the page.
     */
    private void checkReport(final Path recording, final String runId) throws Exception
    {
        final ReportData.Result report = ReportData.fromRecording(recording, records -> {});
        final ReportSection gradience = report.sections().stream()
            .filter(section -> section.family().equals(GradienceExport.FAMILY)).findFirst().orElseThrow();
        final double[][] loss = series(gradience, "loss", runId);
        final int quarter = loss[0].length / 4;
        assertTrue(mean(loss[1], 0, quarter) > mean(loss[1], loss[0].length - quarter, loss[0].length),
            "the report's loss curve goes down");
        final double[][] gap = series(gradience, "gap", runId);
        assertTrue(gap[1][gap[1].length - 1] > GradienceMonitor.DEFAULT_THRESHOLD, "the report's gap opens");
        final Plot gapPlot = plot(gradience, "gap");
        assertFalse(gapPlot.markers().isEmpty(), "the alert is marked on the gap plot");

        final Path page = temp.resolve("report.html");
        final CommandRun command = CommandRun.of("report", "--recording", recording.toString(), "--out",
            page.toString());
        assertEquals(0, command.exit(), command::toString);
        assertTrue(Files.readString(page).contains(runId), "the page names the run");
    }

    private static Plot plot(final ReportSection section, final String id)
    {
        return section.plots().stream().filter(plot -> plot.id().equals(id)).findFirst()
            .orElseThrow(() -> new AssertionError("the report has a plot " + id));
    }

    /**
     * @return the kept points of {@code run}'s series on plot {@code id}: x values, then y values.
     */
    private static double[][] series(final ReportSection section, final String id, final String run)
    {
        final MinMaxSeries series = plot(section, id).series().stream().filter(s -> s.run().equals(run)).findFirst()
            .orElseThrow(() -> new AssertionError("plot " + id + " has a series of run " + run));
        final double[][] kept = series.kept();
        assertTrue(kept.length == 2 && kept[0].length > 3, () -> "plot " + id + " has points: " + kept.length);
        return kept;
    }

    /**
     * Every step once, in order; real losses (finite, positive) whose last quarter is lower than the first; a learning
     * rate that follows a schedule (it changes).
     */
    private static void checkTrainSteps(final List<ObjectNode> steps)
    {
        assertEquals(TOTAL_STEPS, steps.size(), "train_steps");
        final double[] losses = new double[steps.size()];
        double minLr = Double.POSITIVE_INFINITY;
        double maxLr = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < steps.size(); i++)
        {
            final ObjectNode step = steps.get(i);
            assertEquals(i + 1, step.get(GradienceWire.STEP).asLong(), step::toString);
            final JsonNode loss = step.get(GradienceWire.LOSS);
            final JsonNode lr = step.get(GradienceWire.LR);
            assertTrue(loss.isNumber() && Double.isFinite(loss.asDouble()) && loss.asDouble() > 0, step::toString);
            assertTrue(lr.isNumber() && Double.isFinite(lr.asDouble()) && lr.asDouble() > 0, step::toString);
            losses[i] = loss.asDouble();
            minLr = Math.min(minLr, lr.asDouble());
            maxLr = Math.max(maxLr, lr.asDouble());
        }
        final int quarter = steps.size() / 4;
        final double first = mean(losses, 0, quarter);
        final double lastQuarter = mean(losses, steps.size() - quarter, steps.size());
        assertTrue(lastQuarter < first, () -> "mean loss of the last quarter " + lastQuarter + " < first " + first);
        assertTrue(maxLr > 2 * minLr, "the learning rate follows its schedule: from " + minLr + " to " + maxLr);
    }

    /**
     * An eval every {@value #EVAL_EVERY} steps, with the split's size and real metrics (ppl = exp(loss)).
     */
    private static void checkEvals(final List<ObjectNode> evals, final int n)
    {
        assertEquals(TOTAL_STEPS / EVAL_EVERY, evals.size(), "evals");
        for (int i = 0; i < evals.size(); i++)
        {
            final ObjectNode eval = evals.get(i);
            assertEquals((long)(i + 1) * EVAL_EVERY, eval.get(GradienceWire.STEP).asLong(), eval::toString);
            assertEquals(n, eval.get(GradienceWire.METRICS).get(GradienceWire.N).asLong(), eval::toString);
            final double loss = metric(eval, GradienceWire.LOSS);
            final double accuracy = metric(eval, GradienceWire.ACCURACY);
            assertTrue(Double.isFinite(loss) && loss > 0, eval::toString);
            assertTrue(accuracy >= 0 && accuracy <= 1, eval::toString);
            assertEquals(Math.exp(loss), metric(eval, GradienceWire.PPL), 1e-9 * Math.exp(loss), eval::toString);
        }
    }

    /**
     * The run's alert is the monitor's: raised once, at the first eval whose gap (test ppl / train ppl) reached
     * the threshold, with the monitor's code; and the monitor, fed the exported file, alerts on the run too.
     */
    private static void checkGapAlert(final List<ObjectNode> records, final String runId)
    {
        final List<ObjectNode> alerts = events(records, GradienceWire.EVENT_ALERT);
        assertEquals(1, alerts.size(), () -> "alerts " + alerts);
        final ObjectNode alert = alerts.get(0);
        assertEquals(GradienceMonitor.ALERT_CODE, alert.get(GradienceWire.CODE).asText());
        assertEquals(GradienceMonitor.ALERT_SEVERITY, alert.get(GradienceWire.SEVERITY).asText());

        long firstCrossing = -1;
        final List<ObjectNode> trainEvals = evals(records, GradienceWire.SPLIT_TRAIN);
        final List<ObjectNode> testEvals = evals(records, GradienceWire.SPLIT_TEST);
        for (int i = 0; i < trainEvals.size() && firstCrossing < 0; i++)
        {
            final double gap =
                metric(testEvals.get(i), GradienceWire.PPL) / metric(trainEvals.get(i), GradienceWire.PPL);
            if (gap >= GradienceMonitor.DEFAULT_THRESHOLD)
            {
                firstCrossing = trainEvals.get(i).get(GradienceWire.STEP).asLong();
            }
        }
        assertEquals(firstCrossing, alert.get(GradienceWire.STEP).asLong(), alert::toString);
        assertEquals(1, events(records, GradienceWire.EVENT_RECOMMENDATION).size(), "recommendation with the alert");

        final GradienceMonitor monitor = new GradienceMonitor();
        records.forEach(monitor::onRecord);
        assertTrue(monitor.report(runId).alert(), () -> "the monitor's report " + monitor.report(runId));
    }

    private static List<ObjectNode> events(final List<ObjectNode> records, final String event)
    {
        return records.stream().filter(r -> event.equals(r.get(GradienceWire.EVENT).asText())).toList();
    }

    private static List<ObjectNode> evals(final List<ObjectNode> records, final String split)
    {
        return events(records, GradienceWire.EVENT_EVAL).stream()
            .filter(r -> split.equals(r.get(GradienceWire.SPLIT).asText())).toList();
    }

    private static double metric(final ObjectNode eval, final String name)
    {
        final JsonNode value = eval.get(GradienceWire.METRICS).get(name);
        assertTrue(value != null && value.isNumber(), () -> name + " in " + eval);
        return value.asDouble();
    }

    private static ObjectNode last(final List<ObjectNode> records)
    {
        return records.get(records.size() - 1);
    }

    private static double mean(final double[] values, final int from, final int to)
    {
        double sum = 0;
        for (int i = from; i < to; i++)
        {
            sum += values[i];
        }
        return sum / (to - from);
    }
}
