package io.blackbox.bench.gradience;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The Gradience {@code train_step} as a JDK Flight Recorder event: the same fields, the timestamp being JFR's own
 * (taken by {@link #commit()}), no stack trace (a telemetry record has no use for one and it would cost a walk).
 * Also the JFR side of the real training loop ({@code io.blackbox.bench.training}), hence public fields.
 */
@Name(TrainStepEvent.NAME)
@Label("Train step")
@Category({ "Blackbox", "Bench" })
@Description("A Gradience train_step, for comparing JFR's cost per event with Blackbox's")
@StackTrace(false)
public class TrainStepEvent extends Event
{
    public static final String NAME = "blackbox.bench.TrainStep";

    @Label("Step")
    public long step;

    @Label("Loss")
    public double loss;

    @Label("Learning rate")
    public double lr;

    @Label("Run id")
    public String runId;
}
