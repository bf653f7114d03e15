package io.blackbox.recorder.clamp;

import io.blackbox.recorder.AllocationRounds;
import io.blackbox.recorder.EmitterContext;
import io.blackbox.recorder.Recorder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An anchor's lock and release allocate nothing per cycle, by symbol and by name (its symbol looked up), nested or
 * not, seeds refilled from the kernel along the way (a pool of 64): measured as {@link AllocationRounds} does, held
 * to the policy of {@code GradienceEmitterAllocationTest}, under one byte of growth per call.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClampEmitterAllocationTest
{
    private static final long ALLOCATION_FREE_GROWTH_PER_EMIT = 1;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "lock(symbol) and close", "lock(name) and close", "nested, with a score" })
    void shouldLockAndReleaseWithoutAllocating(final String form)
    {
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory)
            .ringCapacity(64 * 1024 * 1024).lanes(1)))
        {
            final ClampEmitter clamp = recorder.emitter(ClampEmitter::new, "worker");
            final int launch = clamp.symbol("kernel-launch");
            final int reduce = clamp.symbol("allreduce");
            assertNotEquals(EmitterContext.NO_SYMBOL, reduce, "symbols defined");

            final AllocationRounds.Growth growth = AllocationRounds.measure(recorder, i ->
            {
                switch (form)
                {
                    case "lock(symbol) and close" ->
                    {
                        try (ClampAnchor anchor = clamp.lock(launch))
                        {
                            return anchor.recorded();
                        }
                    }
                    case "lock(name) and close" ->
                    {
                        try (ClampAnchor anchor = clamp.lock("kernel-launch"))
                        {
                            return anchor.recorded();
                        }
                    }
                    default ->
                    {
                        try (ClampAnchor outer = clamp.lock(launch); ClampAnchor inner = clamp.lock(reduce))
                        {
                            inner.stability(0.75);
                            return outer.recorded() && inner.recorded();
                        }
                    }
                }
            }, form.startsWith("nested") ? 4 : 2);
            System.out.println(form + ": " + growth);
            assertTrue(growth.bytes() < ALLOCATION_FREE_GROWTH_PER_EMIT * AllocationRounds.EMITS, () -> form + ": " +
                growth.twice() + " bytes allocated by " + 2 * AllocationRounds.EMITS + " calls, " + growth.once() +
                " by " + AllocationRounds.EMITS);
        }
    }
}
