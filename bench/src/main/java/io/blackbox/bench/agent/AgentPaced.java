package io.blackbox.bench.agent;

import io.blackbox.bench.PacedWorkload;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.agent.AgentEmitter;
import jdk.jfr.Event;

import java.util.List;
import java.util.Map;

/**
 * The agent family's hot emit for {@link io.blackbox.bench.PacedLatency}: {@code plan.step_completed} (it builds its
 * payload as JSON and redacts it: it allocates, by design), and the JFR {@link AgentStepEvent} of the same fields.
 */
public final class AgentPaced implements PacedWorkload
{
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
        final AgentEmitter emitter = recorder.emitter(AgentEmitter::new, "paced-" + thread).source("planner")
            .tags(Map.of("agent", "default", "environment", "bench"));
        return step ->
        {
            emitter.planStepCompleted(1 + step / 4, (int)(step % 4), 812.5, "tests passed", "succeeded");
            return 1;
        };
    }

    public List<Class<? extends Event>> jfrEvents()
    {
        return List.of(AgentStepEvent.class);
    }

    public Emit jfr(final int thread)
    {
        final String runId = "paced-" + thread;
        return step ->
        {
            final AgentStepEvent event = new AgentStepEvent();
            event.runId = runId;
            event.cycle = 1 + step / 4;
            event.stepIndex = (int)(step % 4);
            event.durationMs = 812.5;
            event.resultSummary = "tests passed";
            event.status = "succeeded";
            event.commit();
            return 1;
        };
    }
}
