package io.blackbox.bench.training;

import com.fasterxml.jackson.core.JsonGenerator;
import io.blackbox.bench.gradience.JsonLinesState;
import io.blackbox.bench.gradience.TrainStepEvent;
import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.exporter.gradience.GradienceMonitor;
import io.blackbox.exporter.gradience.GradienceMonitor.GapReport;
import io.blackbox.exporter.gradience.GradienceWire;
import io.blackbox.recorder.CalibratedEpochNanoClock;
import io.blackbox.recorder.gradience.GradienceEmitter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one training run records, in one of the {@link RecordingMode}s: nothing, a Blackbox recording of the whole
 * Gradience run, a JFR recording of {@link TrainStepEvent}s, or JSON lines written with Jackson's streaming generator.
 * <p>
 * {@link #trainStep} is the per-step call the training loop times; it is a switch on the mode with a direct call in
 * each arm (rather than an interface with four implementations), so that running every mode in one JVM does not
 * turn the call site megamorphic and charge every mode for the others. The evals, the generalization-gap alert and
 * the run's start and end are recorded in {@code blackbox} mode only, outside the timed part of a step.
 */
final class RunTelemetry implements AutoCloseable
{
    /** The generalization gap (test ppl / train ppl) at which the run alerts: the monitor's default. */
    static final double GAP_THRESHOLD = GradienceMonitor.DEFAULT_THRESHOLD;

    private final RecordingMode mode;
    private final String runId;
    private final RunOutput output;

    private final GradienceEmitter emitter;
    private final int trainSplit;
    private final int testSplit;

    private final JsonGenerator json;
    private final CalibratedEpochNanoClock clock;

    private long alertStep = -1;

    private RunTelemetry(final RecordingMode mode, final String runId, final RunOutput output)
    {
        this.mode = mode;
        this.runId = runId;
        this.output = output;
        this.emitter = output.recorder == null ? null : output.recorder.emitter(GradienceEmitter::new, runId);
        this.trainSplit = emitter == null ? 0 : emitter.symbol(GradienceWire.SPLIT_TRAIN);
        this.testSplit = emitter == null ? 0 : emitter.symbol(GradienceWire.SPLIT_TEST);
        this.json = output.json;
        this.clock = output.clock;
    }

    /**
     * Start recording a run.
     *
     * @param mode  how.
     * @param path  where: the recording's directory ({@code blackbox}), the JFR file ({@code jfr}) or the JSONL file
     *              ({@code jsonl}); it must not exist yet. Ignored for {@code off}.
     * @param runId the run's id.
     */
    static RunTelemetry open(final RecordingMode mode, final Path path, final String runId) throws IOException
    {
        return new RunTelemetry(mode, runId,
            RunOutput.open(mode, path, "blackbox-training-" + runId, TrainStepEvent.class));
    }

    /**
     * @return where the run records, and how many of its records were not taken.
     */
    RunOutput output()
    {
        return output;
    }

    /**
     * {@code run_start} with the run's config snapshot and meta ({@code blackbox} only).
     */
    void runStart(final Map<String, ?> config, final Map<String, ?> meta)
    {
        if (mode == RecordingMode.BLACKBOX)
        {
            output.count(emitter.runStart(config, meta));
        }
    }

    /**
     * One optimizer step's {@code train_step}: the call the training loop times.
     */
    void trainStep(final long step, final double loss, final double lr) throws IOException
    {
        switch (mode)
        {
            case OFF:
                break;
            case BLACKBOX:
                if (!emitter.trainStep(step, loss, lr))
                {
                    output.count(false);
                }
                break;
            case JFR:
            {
                final TrainStepEvent event = new TrainStepEvent();
                event.step = step;
                event.loss = loss;
                event.lr = lr;
                event.runId = runId;
                event.commit();
                break;
            }
            case JSONL:
            {
                // The line JsonLinesState's benchmark writes: keys in the spec's order, ts in seconds as Python's.
                final JsonGenerator g = json;
                g.writeStartObject();
                g.writeStringField(GradienceWire.SCHEMA, GradienceWire.SCHEMA_ID);
                g.writeNumberField(GradienceWire.TS, clock.nanoTime() * 1e-9);
                g.writeStringField(GradienceWire.RUN_ID, runId);
                g.writeStringField(GradienceWire.EVENT, GradienceWire.EVENT_TRAIN_STEP);
                g.writeNumberField(GradienceWire.STEP, step);
                g.writeNumberField(GradienceWire.LOSS, loss);
                g.writeNumberField(GradienceWire.LR, lr);
                g.writeEndObject();
                g.writeRaw('\n');
                break;
            }
            default:
                throw new IllegalStateException("mode " + mode);
        }
    }

    /**
     * The evals of both splits at one step, and the generalization-gap alert (with a recommendation) the first time
     * test ppl / train ppl reaches {@link #GAP_THRESHOLD}, as the Gradience monitor computes it ({@code blackbox}
     * only).
     */
    void evals(final long step, final Evaluation train, final Evaluation test)
    {
        if (mode != RecordingMode.BLACKBOX)
        {
            return;
        }
        output.count(emitter.eval(step, trainSplit, train.ppl(), train.accuracy(), train.loss(), train.n()));
        output.count(emitter.eval(step, testSplit, test.ppl(), test.accuracy(), test.loss(), test.n()));

        final double gap = test.ppl() / train.ppl();
        if (alertStep < 0 && gap >= GAP_THRESHOLD)
        {
            alertStep = step;
            // The monitor's own report of these two evals: its message and context, word for word.
            final GapReport report = new GapReport(runId, train.ppl(), step, test.ppl(), step, gap, GAP_THRESHOLD,
                true);
            output.count(emitter.alert(step, GradienceSeverity.WARNING, GradienceMonitor.ALERT_CODE,
                report.alertMessage(), report.alertContext()));
            output.count(emitter.recommendation(step, recommendations(gap)));
        }
    }

    /**
     * @return the step of the gap alert, -1 while there was none.
     */
    long alertStep()
    {
        return alertStep;
    }

    /**
     * {@code run_end} ({@code blackbox} only).
     */
    void runEnd(final long step, final boolean finished)
    {
        if (mode == RecordingMode.BLACKBOX)
        {
            output.count(emitter.runEnd(step, finished ? GradienceRunStatus.OK : GradienceRunStatus.ERROR,
                finished ? null : "training failed"));
        }
    }

    /**
     * Stop recording: the recorder drains and closes, JFR writes its file, the JSONL buffer is flushed.
     */
    @Override
    public void close() throws IOException
    {
        if (emitter != null)
        {
            emitter.close();
        }
        output.close();
    }

    private static List<Map<String, Object>> recommendations(final double gap)
    {
        final Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put(GradienceWire.GAP_CONTEXT_GAP, gap);
        evidence.put(GradienceWire.GAP_CONTEXT_THRESHOLD, GAP_THRESHOLD);

        final Map<String, Object> stopEarly = new LinkedHashMap<>();
        stopEarly.put("severity", GradienceWire.SEVERITY_WARNING);
        stopEarly.put("action", "early_stop");
        stopEarly.put("message", "Stop earlier, regularise or add data: the network is memorising its train split.");
        stopEarly.put("rationale", "test loss grows while train loss keeps falling");
        stopEarly.put("confidence", 0.8);
        stopEarly.put("scope", "run");
        stopEarly.put("evidence", evidence);
        return List.of(stopEarly);
    }

    /**
     * One split's evaluation: the mean cross-entropy, its perplexity, the accuracy and the number of examples.
     */
    record Evaluation(double loss, double accuracy, long n)
    {
        double ppl()
        {
            return Math.exp(loss);
        }
    }
}
