package io.blackbox.bench.training;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A real training step's Gradience {@code train_step} as a JDK Flight Recorder event: the fields of
 * {@link io.blackbox.bench.gradience.TrainStepEvent} (whose fields are package-private to its benchmarks), the
 * timestamp JFR's own, no stack trace.
 */
@Name(TrainingStepEvent.NAME)
@Label("Training step")
@Category({ "Blackbox", "Bench" })
@Description("A train_step of SupervisedTraining, for comparing JFR's cost in a real training loop with Blackbox's")
@StackTrace(false)
public class TrainingStepEvent extends Event
{
    public static final String NAME = "blackbox.bench.TrainingStep";

    @Label("Step")
    long step;

    @Label("Loss")
    double loss;

    @Label("Learning rate")
    double lr;

    @Label("Run id")
    String runId;
}
