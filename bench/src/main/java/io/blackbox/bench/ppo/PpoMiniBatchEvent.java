package io.blackbox.bench.ppo;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Event;

/**
 * A PPO mini-batch as a JDK Flight Recorder event: what a JFR user records per mini-batch, since JFR has no way to
 * fold mini-batches into one record per epoch (the statistics would be the user's own code).
 */
@Name(PpoMiniBatchEvent.NAME)
@Label("PPO mini-batch")
@Category({ "Blackbox", "Bench" })
@Description("A PPO mini-batch's losses and statistics, for comparing JFR's cost with Blackbox's accumulation")
@StackTrace(false)
public class PpoMiniBatchEvent extends Event
{
    public static final String NAME = "blackbox.bench.PpoMiniBatch";

    @Label("Transitions")
    int transitions;
    @Label("Policy loss")
    double policyLoss;
    @Label("Value loss")
    double valueLoss;
    @Label("Entropy")
    double entropy;
    @Label("Total loss")
    double totalLoss;
    @Label("Clip fraction")
    double clipFraction;
    @Label("KL divergence")
    double klDivergence;
    @Label("Gradient norm")
    double gradNorm;
    @Label("Advantage mean")
    double advantageMean;
    @Label("Advantage std")
    double advantageStd;
}
