package io.blackbox.exporter.family;

import io.blackbox.recorder.Recorder;
import org.HdrHistogram.Histogram;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What every family's simulated run keeps and reports ({@link DemoWorkload.DemoRun}): its settings, its id, the
 * steps acknowledged so far, the latency of each step's emit, and, once over, its event count and whether some emit
 * was refused. A family's run writes its own loop ({@link #run()}) and says what a step is.
 */
public abstract class SimulatedRun implements DemoWorkload.DemoRun
{
    protected final Recorder recorder;
    protected final int index;
    protected final long steps;
    protected final long seed;
    private final double stepIntervalNs;
    private final String runId;
    private final String stepRecord;
    private final AtomicLong acknowledgedSteps = new AtomicLong();
    private final Histogram stepLatencyNs = new Histogram(10_000_000_000L, 3);
    private volatile long events;
    private volatile boolean notRecorded;

    /**
     * @param recorder   the recording.
     * @param index      this run's number among the demo's concurrent runs of its family.
     * @param settings   steps, seed and pace.
     * @param runId      the run's id.
     * @param stepRecord the name of the record whose emit latency is measured, e.g. {@code train_step}.
     */
    protected SimulatedRun(final Recorder recorder, final int index, final DemoWorkload.Settings settings,
        final String runId, final String stepRecord)
    {
        this.recorder = recorder;
        this.index = index;
        this.steps = settings.steps();
        this.seed = settings.seed();
        this.stepIntervalNs = settings.stepsPerSecond() > 0 ? 1e9 / settings.stepsPerSecond() : 0;
        this.runId = runId;
        this.stepRecord = stepRecord;
    }

    public String runId()
    {
        return runId;
    }

    public String stepRecord()
    {
        return stepRecord;
    }

    public long acknowledgedSteps()
    {
        return acknowledgedSteps.get();
    }

    public Histogram stepEmitLatencyNs()
    {
        return stepLatencyNs;
    }

    public long events()
    {
        return events;
    }

    public boolean notRecorded()
    {
        return notRecorded;
    }

    /**
     * Wait, when the demo is paced, until step {@code done} is due.
     *
     * @param pacedFromNs when the run began ({@link System#nanoTime()}).
     * @param done        steps done so far.
     */
    protected void pace(final long pacedFromNs, final long done)
    {
        if (stepIntervalNs > 0)
        {
            DemoWorkload.pace(pacedFromNs + (long)(done * stepIntervalNs));
        }
    }

    /**
     * @param startNs when the step's emit began ({@link System#nanoTime()}): its latency is recorded.
     */
    protected void stepEmitted(final long startNs)
    {
        stepLatencyNs.recordValue(System.nanoTime() - startNs);
    }

    /**
     * @param done steps whose records are in the ring: they outlive a crash of the process.
     */
    protected void acknowledge(final long done)
    {
        acknowledgedSteps.lazySet(done);
    }

    /**
     * The run is over.
     *
     * @param recorded    records it emitted.
     * @param allRecorded whether every emit returned true.
     */
    protected void finish(final long recorded, final boolean allRecorded)
    {
        events = recorded;
        notRecorded = !allRecorded;
    }
}
