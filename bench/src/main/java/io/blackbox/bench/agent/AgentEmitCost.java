package io.blackbox.bench.agent;

import io.blackbox.bench.BenchJvm;
import io.blackbox.bench.RecorderState;
import io.blackbox.bench.gradience.JfrRecordingState;
import io.blackbox.bench.gradience.TrainStepValues;
import io.blackbox.recorder.agent.AgentEmitter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What an agent event costs the thread that emits it, with Blackbox and with JDK Flight Recorder, in the same run:
 * <ul>
 *     <li>{@code blackboxStepCompleted}: {@code plan.step_completed}: its payload built, every value checked by the
 *     redaction, written as JSON into the ring;</li>
 *     <li>{@code blackboxCommandStarted}: {@code executor.command_started} with five arguments, one of them a
 *     {@code --token=} the redaction replaces;</li>
 *     <li>{@code jfrStepCommit}: an {@link AgentStepEvent} with the same fields (JFR has no redaction).</li>
 * </ul>
 * Agent events allocate (their payload is open-shaped JSON): the point is that an emit stays far below what an agent
 * step takes (milliseconds to seconds) and never blocks. Run with {@code bench/run.sh -prof gc AgentEmitCost}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchJvm.ARGFILE)
public class AgentEmitCost
{
    private static final List<String> ARGUMENTS = List.of("push", "--force-with-lease", "--token=not-a-real-secret",
        "origin", "main");

    @Benchmark
    public boolean blackboxStepCompleted(final AgentEmitterState s)
    {
        return s.emitter.planStepCompleted(1 + s.step / 4, (int)(s.step++ % 4), s.durationMs, "tests passed",
            "succeeded");
    }

    @Benchmark
    public boolean blackboxCommandStarted(final AgentEmitterState s)
    {
        return s.emitter.commandStarted(1 + s.step++ / 4, "git", ARGUMENTS);
    }

    @Benchmark
    public void jfrStepCommit(final JfrAgentState s)
    {
        final AgentStepEvent event = new AgentStepEvent();
        event.runId = s.runId;
        event.cycle = 1 + s.step / 4;
        event.stepIndex = (int)(s.step % 4);
        event.durationMs = s.durationMs;
        event.resultSummary = "tests passed";
        event.status = "succeeded";
        event.commit();
        s.step++;
    }

    /**
     * A step's values, non-final so that the JIT cannot fold them.
     */
    public static class StepValues extends TrainStepValues
    {
        public double durationMs = 812.5;
    }

    /**
     * One agent emitter per benchmark thread, from the trial's shared recorder.
     */
    @State(Scope.Thread)
    public static class AgentEmitterState extends StepValues
    {
        AgentEmitter emitter;

        @Setup(Level.Trial)
        public void open(final RecorderState recording)
        {
            emitter = recording.recorder.emitter(AgentEmitter::new, runId).source("planner")
                .tags(Map.of("agent", "default", "environment", "bench"));
            recording.emitted.add(() -> step);
        }
    }

    /**
     * One committing thread's values, counted by the JFR recording state.
     */
    @State(Scope.Thread)
    public static class JfrAgentState extends StepValues
    {
        @Setup(Level.Trial)
        public void register(final JfrRecordingState recording)
        {
            recording.register(this);
        }
    }
}
