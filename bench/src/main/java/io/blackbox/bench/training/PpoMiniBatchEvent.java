package io.blackbox.bench.training;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One PPO optimization step's statistics as a JDK Flight Recorder event: what {@link PpoTelemetry#miniBatch} gets,
 * with the epoch and the run id, as a user recording a PPO loop with JFR would commit it per mini-batch. The timestamp
 * is JFR's own (taken by {@link #commit()}); no stack trace (a telemetry record has no use for one and it would cost a
 * walk).
 */
@Name(PpoMiniBatchEvent.NAME)
@Label("PPO mini-batch")
@Category({ "Blackbox", "Bench" })
@Description("A PPO optimization step's losses and statistics, for comparing JFR's cost per event with Blackbox's")
@StackTrace(false)
public class PpoMiniBatchEvent extends Event
{
    public static final String NAME = "blackbox.bench.PpoMiniBatch";

    @Label("Run id")
    public String runId;

    @Label("Epoch")
    public long epoch;

    @Label("Transitions")
    public int transitions;

    @Label("Policy loss")
    public double policyLoss;

    @Label("Value loss")
    public double valueLoss;

    @Label("Entropy")
    public double entropy;

    @Label("Total loss")
    public double totalLoss;

    @Label("Clip fraction")
    public double clipFraction;

    @Label("KL divergence")
    public double kl;

    @Label("Gradient norm")
    public double gradNorm;

    @Label("Advantage mean")
    public double advantageMean;

    @Label("Advantage std")
    public double advantageStd;
}
