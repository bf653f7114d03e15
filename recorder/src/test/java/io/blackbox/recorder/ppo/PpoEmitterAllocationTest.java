package io.blackbox.recorder.ppo;

import io.blackbox.codecs.PpoDataMode;
import io.blackbox.recorder.AllocationRounds;
import io.blackbox.recorder.EmitterContext;
import io.blackbox.recorder.Recorder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PPO emitter's calls allocate nothing per call: the per-mini-batch and per-transition accumulation, a whole epoch
 * (start, sixteen mini-batches, 64 transitions, seventeen extra keys, end: one record), and a record from given values,
 * measured as {@link AllocationRounds} does, held to the policy of {@code GradienceEmitterAllocationTest}: under one
 * byte of growth per call.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PpoEmitterAllocationTest
{
    private static final long ALLOCATION_FREE_GROWTH_PER_EMIT = 1;
    private static final int RING_CAPACITY = 64 * 1024 * 1024;
    private static final byte[] EXTRAS = "{\"anneal_stage\":\"ppo\"}".getBytes(StandardCharsets.UTF_8);
    private static final double[] REWARDS = new double[64];
    private static final double[] ADVANTAGES = new double[64];

    static
    {
        for (int i = 0; i < REWARDS.length; i++)
        {
            REWARDS[i] = Math.sin(i);
            ADVANTAGES[i] = Math.cos(i);
        }
    }

    @TempDir
    Path directory;

    interface Call
    {
        boolean call(PpoEmitter ppo, int[] keys, long i);
    }

    static Stream<Arguments> calls()
    {
        return Stream.of(
            Arguments.of("miniBatch", (Call)(ppo, keys, i) ->
            {
                ppo.miniBatch(64, -0.01, 0.5, 1.0 + i % 7, 0.25, 0.1, 0.002, 1.5, 0.0, 1.0);
                return true;
            }, 0),
            Arguments.of("transition", (Call)(ppo, keys, i) ->
            {
                ppo.transition(i % 13, i % 5);
                return true;
            }, 0),
            Arguments.of("an epoch: start, 16 mini-batches, 64 transitions, 17 keys, end", (Call)(ppo, keys, i) ->
            {
                ppo.epochStart(i, PpoDataMode.MIXED, i / 4, 1024);
                for (int m = 0; m < 16; m++)
                {
                    ppo.miniBatch(64, -0.01, 0.5, 1.0 + m, 0.25, 0.1, 0.002, 1.5, 0.0, 1.0);
                }
                ppo.transitions(REWARDS, ADVANTAGES, REWARDS.length);
                for (final int key : keys)
                {
                    ppo.metric(key, i * 0.5);
                }
                return ppo.epochEnd(3e-4, i * 1024);
            }, 1),
            Arguments.of("epoch()...commit() with every field", (Call)(ppo, keys, i) -> ppo.epoch()
                .epoch(i).updates(16).transitions(1024).losses(0.1, 0.2, 0.3, 0.4).clipFraction(0.1)
                .advantages(0.0, 1.0).gradNorm(1.0).klDivergence(0.01).lr(3e-4).steps(i)
                .health(0, 0.8, 3, 0.2).epochDurationSec(0.5).dataMode(PpoDataMode.ROLLOUT).cycleId(3)
                .batchEntropy(1.0, 0.1).gradNormMax(2.0).klDivergenceMax(0.02).rewardAdvantageCorr(0.4)
                .rolloutTicks(1024).logStreamOffset(i + 1).metric(keys[0], 1.0).metric(keys[1], 7L)
                .timestamp(i).extrasJson(EXTRAS).commit(), 1),
            Arguments.of("symbol(String) of a defined key", (Call)(ppo, keys, i) ->
                ppo.symbol("baseline_reward_mean") == keys[0], 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldCallWithoutAllocatingPerCall(final String name, final Call call, final int recordsPerCall)
    {
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).ringCapacity(RING_CAPACITY).lanes(1)))
        {
            final PpoEmitter ppo = recorder.emitter(PpoEmitter::new, "run-1");
            final int[] keys = new int[17];
            keys[0] = ppo.symbol("baseline_reward_mean");
            for (int k = 1; k < keys.length; k++)
            {
                keys[k] = ppo.symbol("extra_" + k);
            }
            assertNotEquals(EmitterContext.NO_SYMBOL, keys[16], "symbols defined");

            final AllocationRounds.Growth growth =
                AllocationRounds.measure(recorder, i -> call.call(ppo, keys, i), recordsPerCall);
            System.out.println(name + ": " + growth);
            assertTrue(growth.bytes() < ALLOCATION_FREE_GROWTH_PER_EMIT * AllocationRounds.EMITS, () -> name + ": " +
                growth.twice() + " bytes allocated by " + 2 * AllocationRounds.EMITS + " calls, " + growth.once() +
                " by " + AllocationRounds.EMITS);
        }
    }
}
