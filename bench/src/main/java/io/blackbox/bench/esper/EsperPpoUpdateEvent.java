package io.blackbox.bench.esper;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Event;

/**
 * An esper-lite {@code PPO_UPDATE_COMPLETED} as a JDK Flight Recorder event: the payload's scalar fields (JFR has no
 * "absent", so the optional ones are always written).
 */
@Name(EsperPpoUpdateEvent.NAME)
@Label("Esper PPO update")
@Category({ "Blackbox", "Bench" })
@Description("A PPO update's health, for comparing JFR's cost with Blackbox's")
@StackTrace(false)
public class EsperPpoUpdateEvent extends Event
{
    public static final String NAME = "blackbox.bench.EsperPpoUpdate";

    @Label("Run")
    String runId;
    @Label("Epoch")
    long epoch;
    @Label("Policy loss")
    double policyLoss;
    @Label("Value loss")
    double valueLoss;
    @Label("Entropy")
    double entropy;
    @Label("Gradient norm")
    double gradNorm;
    @Label("KL divergence")
    double klDivergence;
    @Label("Clip fraction")
    double clipFraction;
    @Label("NaN gradients")
    int nanGradCount;
    @Label("Explained variance")
    double explainedVariance;
    @Label("Advantage mean")
    double advantageMean;
    @Label("Advantage std")
    double advantageStd;
    @Label("Ratio mean")
    double ratioMean;
    @Label("Ratio min")
    double ratioMin;
    @Label("Ratio max")
    double ratioMax;
    @Label("Ratio std")
    double ratioStd;
    @Label("Learning rate")
    double lr;
    @Label("Entropy coefficient")
    double entropyCoef;
    @Label("Update time ms")
    double updateTimeMs;
    @Label("Inner epoch")
    int innerEpoch;
    @Label("Batch")
    int batch;
}
