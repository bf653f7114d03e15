package io.blackbox.bench.gradience;

import io.blackbox.bench.RecorderState;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link GradienceEmitterState}, over the recorder with exact timestamps ({@link RecorderState.ExactTimestamps}).
 * A subclass would inherit the parent's setup and open the default recorder too; so this one only delegates.
 */
@State(Scope.Thread)
public class ExactTimestampsEmitterState
{
    final GradienceEmitterState emitter = new GradienceEmitterState();

    @Setup(Level.Trial)
    public void open(final RecorderState.ExactTimestamps recording)
    {
        emitter.take(recording);
    }
}
