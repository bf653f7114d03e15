package io.blackbox.bench.agent;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Event;

/**
 * An agent's {@code plan.step_completed} as a JDK Flight Recorder event: what a JFR user writes per plan step.
 */
@Name(AgentStepEvent.NAME)
@Label("Agent plan step completed")
@Category({ "Blackbox", "Bench" })
@Description("A plan step's end, for comparing JFR's cost with Blackbox's")
@StackTrace(false)
public class AgentStepEvent extends Event
{
    public static final String NAME = "blackbox.bench.AgentStep";

    @Label("Run")
    String runId;
    @Label("Cycle")
    long cycle;
    @Label("Step")
    int stepIndex;
    @Label("Duration ms")
    double durationMs;
    @Label("Result summary")
    String resultSummary;
    @Label("Status")
    String status;
}
