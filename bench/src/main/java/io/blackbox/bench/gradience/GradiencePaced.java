package io.blackbox.bench.gradience;

import io.blackbox.bench.PacedWorkload;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import jdk.jfr.Event;

import java.util.List;

/**
 * Gradience's hot emit for {@link io.blackbox.bench.PacedLatency}: a {@code train_step} (step, loss, lr), and the JFR
 * {@link TrainStepEvent} of the same fields.
 */
public final class GradiencePaced implements PacedWorkload
{
    public String name()
    {
        return "gradience";
    }

    public String description()
    {
        return "train_step (step, loss, lr)";
    }

    public Emit blackbox(final Recorder recorder, final int thread)
    {
        final GradienceEmitter emitter = recorder.emitter(GradienceEmitter::new, "paced-" + thread);
        return step ->
        {
            emitter.trainStep(step, 1.0 / (1 + step), 3e-4);
            return 1;
        };
    }

    public List<Class<? extends Event>> jfrEvents()
    {
        return List.of(TrainStepEvent.class);
    }

    public Emit jfr(final int thread)
    {
        final String runId = "paced-" + thread;
        return step ->
        {
            final TrainStepEvent event = new TrainStepEvent();
            event.step = step;
            event.loss = 1.0 / (1 + step);
            event.lr = 3e-4;
            event.runId = runId;
            event.commit();
            return 1;
        };
    }
}
