package io.blackbox.bench.clamp;

import io.blackbox.bench.PacedWorkload;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.clamp.ClampEmitter;
import jdk.jfr.Event;

import java.util.List;

/**
 * Clamp's hot emit for {@link io.blackbox.bench.PacedLatency}: an anchor's lock and release around nothing (two
 * records), and two JFR {@link ClampAnchorEvent} commits of the same fields: {@link ClampAnchorCost}'s own calls.
 */
public final class ClampPaced implements PacedWorkload
{
    private final ClampAnchorCost calls = new ClampAnchorCost();

    public String name()
    {
        return "clamp";
    }

    public String description()
    {
        return "anchor lock + release (2 records)";
    }

    public Emit blackbox(final Recorder recorder, final int thread)
    {
        final ClampAnchorCost.ClampEmitterState state = new ClampAnchorCost.ClampEmitterState();
        state.runId = "paced-" + thread;
        state.emitter = recorder.emitter(ClampEmitter::new, state.runId);
        state.context = state.emitter.symbol("kernel-launch");
        return step -> calls.blackboxLockRelease(state) ? 2 : 0;
    }

    public List<Class<? extends Event>> jfrEvents()
    {
        return List.of(ClampAnchorEvent.class);
    }

    public Emit jfr(final int thread)
    {
        final ClampAnchorCost.JfrClampState state = new ClampAnchorCost.JfrClampState();
        return step ->
        {
            calls.jfrTwoCommits(state);
            return 2;
        };
    }
}
