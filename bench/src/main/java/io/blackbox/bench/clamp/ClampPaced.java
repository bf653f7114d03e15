package io.blackbox.bench.clamp;

import io.blackbox.bench.PacedWorkload;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.clamp.ClampAnchor;
import io.blackbox.recorder.clamp.ClampEmitter;
import jdk.jfr.Event;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Clamp's hot emit for {@link io.blackbox.bench.PacedLatency}: an anchor's lock and release around nothing (two
 * records), and two JFR {@link ClampAnchorEvent} commits of the same fields (as {@link ClampAnchorCost#jfrTwoCommits}).
 */
public final class ClampPaced implements PacedWorkload
{
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
        final ClampEmitter emitter = recorder.emitter(ClampEmitter::new, "paced-" + thread);
        final int context = emitter.symbol("kernel-launch");
        return step ->
        {
            try (ClampAnchor anchor = emitter.lock(context))
            {
                return anchor.recorded() ? 2 : 0;
            }
        };
    }

    public List<Class<? extends Event>> jfrEvents()
    {
        return List.of(ClampAnchorEvent.class);
    }

    public Emit jfr(final int thread)
    {
        return step ->
        {
            final ClampAnchorEvent acquired = new ClampAnchorEvent();
            acquired.context = "kernel-launch";
            acquired.seed = ThreadLocalRandom.current().nextLong();
            acquired.threadId = Thread.currentThread().getId();
            acquired.commit();
            final ClampAnchorEvent released = new ClampAnchorEvent();
            released.context = acquired.context;
            released.seed = acquired.seed;
            released.threadId = acquired.threadId;
            released.stabilityScore = 1.0;
            released.commit();
            return 2;
        };
    }
}
