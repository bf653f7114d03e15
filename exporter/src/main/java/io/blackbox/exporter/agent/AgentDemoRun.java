package io.blackbox.exporter.agent;

import io.blackbox.exporter.family.DemoWorkload;
import io.blackbox.exporter.family.SimulatedRun;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.agent.AgentEmitter;
import io.blackbox.recorder.agent.AgentVerdict;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A short simulated agent: each cycle a plan of {@value #STEPS_PER_CYCLE} steps, each step started and completed,
 * its command run with a secret among its arguments (redacted before it reaches the ring: the demo's export shows
 * {@code REDACTED} and {@code redacted_fields}), a review's feedback and decision, and in the first cycle the
 * optimizer's profile and benchmark. A step is a plan step, whose {@code plan.step_completed} latency is measured.
 */
public final class AgentDemoRun extends SimulatedRun
{
    public static final int STEPS_PER_CYCLE = 4;
    /** A secret the demo's commands carry: it must appear in no file of the recording or export. */
    public static final String DEMO_SECRET = "ghp_" + "d3m0S3cr3tT0k3nThatMustNeverReachDisk42";

    /**
     * @param recorder the recording.
     * @param index    this run's number among the demo's concurrent runs.
     * @param settings plan steps to simulate, the seed and the pace.
     */
    public AgentDemoRun(final Recorder recorder, final int index, final DemoWorkload.Settings settings)
    {
        // A step is a plan step.
        super(recorder, index, settings, "2025-10-06T12-30-00Z/demo-agent-" + index, "plan.step_completed");
    }

    public void run()
    {
        final AgentEmitter agent = recorder.emitter(AgentEmitter::new, runId())
            .source("planner")
            .tags(Map.of("agent", "default", "environment", "demo", "task", "refactor-config-loader"));
        final SplittableRandom random = new SplittableRandom(seed * 1_000_081 + index);
        final long pacedFromNs = System.nanoTime();
        boolean ok = true;
        long records = 0;
        long done = 0;
        for (long cycle = 1; done < steps; cycle++)
        {
            if (Thread.currentThread().isInterrupted())
            {
                break;
            }
            ok &= agent.planGenerated(cycle, STEPS_PER_CYCLE, 0.5 + 0.4 * random.nextDouble(),
                List.of("editor", "shell", "tests"));
            records++;
            if (1 == cycle)
            {
                ok &= agent.profileSelected(cycle, "cpu-2c-24g", "balanced");
                ok &= agent.benchmarkCompleted(cycle, 850 + 100 * random.nextDouble(), 40 + 10 * random.nextDouble());
                records += 2;
            }
            for (int step = 0; step < STEPS_PER_CYCLE && done < steps; step++)
            {
                pace(pacedFromNs, done);
                ok &= agent.planStepStarted(cycle, step, "shell", "run the config tests, step " + step);
                ok &= agent.commandStarted(cycle, "pytest", List.of("-q", "tests/config",
                    "--token=" + DEMO_SECRET, "--password", "hunter2"));
                final int exit = random.nextInt(10) == 0 ? 1 : 0;
                ok &= agent.commandCompleted(cycle, "pytest", exit,
                    ("collected " + (10 + step) + " items").getBytes(StandardCharsets.UTF_8), new byte[0]);
                if (0 != exit)
                {
                    ok &= agent.executorError(cycle, "AssertionError", "config key missing", true);
                    records++;
                }
                final long start = System.nanoTime();
                final boolean recorded = agent.planStepCompleted(cycle, step, 100 + 900 * random.nextDouble(),
                    0 == exit ? "tests passed" : "a test failed", 0 == exit ? "succeeded" : "failed");
                stepEmitted(start);
                ok &= recorded;
                records += 4;
                done++;
                if (recorded)
                {
                    acknowledge(done);
                }
            }
            ok &= agent.feedbackGenerated(cycle, 0.1 * random.nextDouble(), List.of("tests cover the loader"),
                List.of());
            ok &= agent.decision(cycle, done < steps ? AgentVerdict.REVISE : AgentVerdict.ACCEPT);
            records += 2;
        }
        agent.close();
        finish(records, ok);
    }
}
