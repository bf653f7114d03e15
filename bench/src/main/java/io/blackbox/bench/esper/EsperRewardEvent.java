package io.blackbox.bench.esper;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Event;

/**
 * An esper-lite {@code REWARD_COMPUTED} as a JDK Flight Recorder event: the payload's scalar fields and the envelope's
 * epoch and group, what a JFR user would record per environment step.
 */
@Name(EsperRewardEvent.NAME)
@Label("Esper reward computed")
@Category({ "Blackbox", "Bench" })
@Description("A reward computation's components, for comparing JFR's cost with Blackbox's")
@StackTrace(false)
public class EsperRewardEvent extends Event
{
    public static final String NAME = "blackbox.bench.EsperReward";

    @Label("Run")
    String runId;
    @Label("Epoch")
    long epoch;
    @Label("Env")
    int envId;
    @Label("Action")
    String actionName;
    @Label("A/B group")
    String abGroup;
    @Label("Total reward")
    double totalReward;
    @Label("Value estimate")
    double valueEstimate;
    @Label("Action confidence")
    double actionConfidence;
    @Label("Base accuracy delta")
    double baseAccDelta;
    @Label("Bounded attribution")
    double boundedAttribution;
    @Label("Seed contribution")
    double seedContribution;
    @Label("Compute rent")
    double computeRent;
    @Label("Alpha shock")
    double alphaShock;
    @Label("Ratio penalty")
    double ratioPenalty;
    @Label("Stage bonus")
    double stageBonus;
    @Label("Fossilize terminal bonus")
    double fossilizeTerminalBonus;
    @Label("Blending warning")
    double blendingWarning;
    @Label("Holding warning")
    double holdingWarning;
    @Label("Validation accuracy")
    double valAcc;
    @Label("Host accuracy")
    double hostAccuracy;
    @Label("Decision entropy")
    double decisionEntropy;
}
