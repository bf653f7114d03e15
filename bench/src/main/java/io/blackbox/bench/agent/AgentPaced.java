package io.blackbox.bench.agent;

import io.blackbox.bench.PacedWorkload;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.agent.AgentEmitter;
import jdk.jfr.Event;

import java.util.List;
import java.util.Map;

/**
 * The agent family's hot emit for {@link io.blackbox.bench.PacedLatency}: {@code plan.step_completed} (it builds its
 * payload as JSON and redacts it: it allocates, by design), and the JFR {@link AgentStepEvent} of the same fields:
 * {@link AgentEmitCost}'s own calls.
 */
public final class AgentPaced implements PacedWorkload
{
    private final AgentEmitCost calls = new AgentEmitCost();

    public String name()
    {
        return "agent";
    }

    public String description()
    {
        return "plan.step_completed (payload as JSON, redacted)";
    }

    public Emit blackbox(final Recorder recorder, final int thread)
    {
        final AgentEmitCost.AgentEmitterState state = new AgentEmitCost.AgentEmitterState();
        state.runId = "paced-" + thread;
        state.emitter = recorder.emitter(AgentEmitter::new, state.runId).source("planner")
            .tags(Map.of("agent", "default", "environment", "bench"));
        return step -> calls.blackboxStepCompleted(state) ? 1 : 0;
    }

    public List<Class<? extends Event>> jfrEvents()
    {
        return List.of(AgentStepEvent.class);
    }

    public Emit jfr(final int thread)
    {
        final AgentEmitCost.JfrAgentState state = new AgentEmitCost.JfrAgentState();
        state.runId = "paced-" + thread;
        return step ->
        {
            calls.jfrStepCommit(state);
            return 1;
        };
    }
}
