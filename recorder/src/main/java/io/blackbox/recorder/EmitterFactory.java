package io.blackbox.recorder;

/**
 * Makes a family's emitter from what the recorder gives it: {@link Recorder#emitter(EmitterFactory, String)} takes
 * the emitter's constructor, e.g. {@code recorder.emitter(FamilyEmitter::new, "run-1")} for an emitter class {@code FamilyEmitter} in a family's
 * package {@code io.blackbox.recorder.<family>} with a constructor {@code FamilyEmitter(EmitterContext)}.
 *
 * @param <E> the emitter.
 */
@FunctionalInterface
public interface EmitterFactory<E>
{
    /**
     * @param context the new emitter's own writer and clock, the recorder's symbols, and its run.
     * @return the emitter.
     */
    E newEmitter(EmitterContext context);
}
