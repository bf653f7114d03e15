package io.blackbox.bench.ppo;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Event;

/**
 * A PPO mini-batch as a JDK Flight Recorder event: what a JFR user records per mini-batch, since JFR has no way to
 * fold mini-batches into one record per epoch (the statistics would be the user's own code). Committed by
 * {@code PpoEmitCost} (which leaves the run id and epoch unset, as when its figures were measured) and by the training
 * program's {@code jfr} mode ({@code io.blackbox.bench.training.PpoTelemetry}), which sets every field.
 */
@Name(PpoMiniBatchEvent.NAME)
@Label("PPO mini-batch")
@Category({ "Blackbox", "Bench" })
@Description("A PPO mini-batch's losses and statistics, for comparing JFR's cost with Blackbox's accumulation")
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
    public double klDivergence;
    @Label("Gradient norm")
    public double gradNorm;
    @Label("Advantage mean")
    public double advantageMean;
    @Label("Advantage std")
    public double advantageStd;
}
