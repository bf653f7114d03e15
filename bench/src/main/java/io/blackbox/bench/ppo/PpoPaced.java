package io.blackbox.bench.ppo;

import io.blackbox.bench.PacedWorkload;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.ppo.PpoEmitter;
import jdk.jfr.Event;

import java.util.List;

/**
 * PPO's hot emits for {@link io.blackbox.bench.PacedLatency}: a mini-batch (accumulated in memory, no record), and
 * every 16th the epoch's record with townlet's 17 extra keys, as a training loop of 16 mini-batches an epoch makes them;
 * JFR: a {@link PpoMiniBatchEvent} each and a {@link PpoEpochEvent} every 16th. The calls are {@link PpoEmitCost}'s.
 */
public final class PpoPaced implements PacedWorkload
{
    private static final int MINI_BATCHES_PER_EPOCH = 16;

    private final PpoEmitCost calls = new PpoEmitCost();

    public String name()
    {
        return "ppo";
    }

    public String description()
    {
        return "mini-batch, and every 16th the epoch record (17 extra keys)";
    }

    public Emit blackbox(final Recorder recorder, final int thread)
    {
        final PpoEmitCost.PpoEmitterState state = new PpoEmitCost.PpoEmitterState();
        state.emitter = recorder.emitter(PpoEmitter::new, "paced-" + thread);
        for (int k = 0; k < PpoEmitCost.EXTRA_KEYS; k++)
        {
            state.keys[k] = state.emitter.symbol("extra_key_" + k);
        }
        return step ->
        {
            calls.blackboxMiniBatch(state);
            if (step % MINI_BATCHES_PER_EPOCH == MINI_BATCHES_PER_EPOCH - 1)
            {
                return calls.blackboxEpochRecord(state) ? 1 : 0;
            }
            return 0;
        };
    }

    public List<Class<? extends Event>> jfrEvents()
    {
        return List.of(PpoMiniBatchEvent.class, PpoEpochEvent.class);
    }

    public Emit jfr(final int thread)
    {
        final PpoEmitCost.JfrPpoState state = new PpoEmitCost.JfrPpoState();
        state.runId = "paced-" + thread;
        return step ->
        {
            calls.jfrMiniBatchCommit(state);
            if (step % MINI_BATCHES_PER_EPOCH == MINI_BATCHES_PER_EPOCH - 1)
            {
                calls.jfrEpochCommit(state);
                return 2;
            }
            return 1;
        };
    }
}
