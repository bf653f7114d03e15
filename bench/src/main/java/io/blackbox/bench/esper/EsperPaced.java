package io.blackbox.bench.esper;

import io.blackbox.bench.PacedWorkload;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.esper.EsperEmitter;
import jdk.jfr.Event;

import java.util.List;

/**
 * Esper's hot emit for {@link io.blackbox.bench.PacedLatency}: a typed {@code REWARD_COMPUTED} with its payload's
 * numbers (as {@link EsperEmitCost#blackboxRewardComputed}), and the JFR {@link EsperRewardEvent} of the same fields.
 */
public final class EsperPaced implements PacedWorkload
{
    private static final EsperEmitCost.StepValues V = new EsperEmitCost.StepValues();

    public String name()
    {
        return "esper";
    }

    public String description()
    {
        return "REWARD_COMPUTED (21 payload fields)";
    }

    public Emit blackbox(final Recorder recorder, final int thread)
    {
        final EsperEmitter emitter = recorder.emitter(EsperEmitter::new, "paced-" + thread).eventIdSeed(1 + thread);
        final int action = emitter.symbol("WAIT");
        final int group = emitter.symbol("treatment");
        return step ->
        {
            emitter.rewardComputed(V.env, V.reward, action, V.value, V.confidence)
                .baseAccDelta(V.delta).boundedAttribution(V.delta).seedContribution(V.delta).computeRent(V.rent)
                .alphaShock(0.0).ratioPenalty(0.0).stageBonus(V.reward).fossilizeTerminalBonus(0.0)
                .blendingWarning(0.0).holdingWarning(0.0).valAcc(V.accuracy).hostAccuracy(V.accuracy)
                .decisionEntropy(V.confidence).abGroup(group).epoch(step).commit();
            return 1;
        };
    }

    public List<Class<? extends Event>> jfrEvents()
    {
        return List.of(EsperRewardEvent.class);
    }

    public Emit jfr(final int thread)
    {
        final String runId = "paced-" + thread;
        return step ->
        {
            final EsperRewardEvent event = new EsperRewardEvent();
            event.runId = runId;
            event.epoch = step;
            event.envId = V.env;
            event.actionName = "WAIT";
            event.abGroup = "treatment";
            event.totalReward = V.reward;
            event.valueEstimate = V.value;
            event.actionConfidence = V.confidence;
            event.baseAccDelta = V.delta;
            event.boundedAttribution = V.delta;
            event.seedContribution = V.delta;
            event.computeRent = V.rent;
            event.alphaShock = 0.0;
            event.ratioPenalty = 0.0;
            event.stageBonus = V.reward;
            event.fossilizeTerminalBonus = 0.0;
            event.blendingWarning = 0.0;
            event.holdingWarning = 0.0;
            event.valAcc = V.accuracy;
            event.hostAccuracy = V.accuracy;
            event.decisionEntropy = V.confidence;
            event.commit();
            return 1;
        };
    }
}
