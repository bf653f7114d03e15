package io.blackbox.bench;

import io.blackbox.recorder.Recorder;
import jdk.jfr.Event;

import java.util.List;

/**
 * A family's hot emit for {@link PacedLatency}: the Blackbox call and the JFR event of the same fields, one each per
 * scheduled emit. Each family's lives in its own package, beside its JMH benchmark and JFR events.
 */
public interface PacedWorkload
{
    /**
     * One thread's emit.
     */
    @FunctionalInterface
    interface Emit
    {
        /**
         * @param step the emit's number on its thread, from 0.
         * @return records (Blackbox) or events (JFR) it committed: most emits one, a Clamp cycle two, a PPO mini-batch
         * none but every 16th (which ends an epoch).
         */
        int emit(long step);
    }

    /**
     * @return the family's name, as the command line takes it.
     */
    String name();

    /**
     * @return what one emit is, for the table's heading.
     */
    String description();

    /**
     * @param recorder the recorder of the run.
     * @param thread   the emitting thread's number, from 0: its own run.
     * @return the thread's Blackbox emit.
     */
    Emit blackbox(Recorder recorder, int thread);

    /**
     * @return the JFR events {@link #jfr} commits, enabled in the recording and counted back.
     */
    List<Class<? extends Event>> jfrEvents();

    /**
     * @param thread the emitting thread's number, from 0.
     * @return the thread's JFR emit.
     */
    Emit jfr(int thread);
}
