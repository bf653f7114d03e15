package io.blackbox.bench.esper;

import io.blackbox.bench.PacedWorkload;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.esper.EsperEmitter;
import jdk.jfr.Event;

import java.util.List;

/**
 * Esper's hot emit for {@link io.blackbox.bench.PacedLatency}: a typed {@code REWARD_COMPUTED} with its payload's
 * numbers, and the JFR {@link EsperRewardEvent} of the same fields: {@link EsperEmitCost}'s own calls.
 */
public final class EsperPaced implements PacedWorkload
{
    private final EsperEmitCost calls = new EsperEmitCost();

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
        final EsperEmitCost.EsperEmitterState state = new EsperEmitCost.EsperEmitterState();
        state.runId = "paced-" + thread;
        state.emitter = recorder.emitter(EsperEmitter::new, state.runId).eventIdSeed(1 + thread);
        state.action = state.emitter.symbol("WAIT");
        state.group = state.emitter.symbol("treatment");
        return step -> calls.blackboxRewardComputed(state) ? 1 : 0;
    }

    public List<Class<? extends Event>> jfrEvents()
    {
        return List.of(EsperRewardEvent.class);
    }

    public Emit jfr(final int thread)
    {
        final EsperEmitCost.JfrEsperState state = new EsperEmitCost.JfrEsperState();
        state.runId = "paced-" + thread;
        return step ->
        {
            calls.jfrRewardCommit(state);
            return 1;
        };
    }
}
