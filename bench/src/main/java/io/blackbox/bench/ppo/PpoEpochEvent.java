package io.blackbox.bench.ppo;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Event;

/**
 * A PPO epoch record (telemetry 1.1, health keys included) as a JDK Flight Recorder event: the spec's 29 fields. JFR
 * events have a fixed set of fields, so the open extra keys ({@code conflict.*}, {@code baseline_*}) have no place in
 * it; the Blackbox side of the comparison writes them too, and is slower for it.
 */
@Name(PpoEpochEvent.NAME)
@Label("PPO epoch")
@Category({ "Blackbox", "Bench" })
@Description("A PPO epoch summary, for comparing JFR's cost per event with Blackbox's")
@StackTrace(false)
public class PpoEpochEvent extends Event
{
    public static final String NAME = "blackbox.bench.PpoEpoch";

    @Label("Run id")
    String runId;
    double epoch;
    double updates;
    double transitions;
    double lossPolicy;
    double lossValue;
    double lossEntropy;
    double lossTotal;
    double clipFraction;
    double advMean;
    double advStd;
    double gradNorm;
    double klDivergence;
    double telemetryVersion;
    double lr;
    double steps;
    double advZeroStdBatches;
    double advMinStd;
    double clipTriggeredMinibatches;
    double clipFractionMax;
    double epochDurationSec;
    String dataMode;
    double cycleId;
    double batchEntropyMean;
    double batchEntropyStd;
    double gradNormMax;
    double klDivergenceMax;
    double rewardAdvantageCorr;
    double rolloutTicks;
    long logStreamOffset;
}
