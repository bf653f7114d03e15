package io.blackbox.recorder.esper;

import io.blackbox.codecs.EsperSeverity;
import io.blackbox.recorder.AllocationRounds;
import io.blackbox.recorder.EmitterContext;
import io.blackbox.recorder.Recorder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Esper emitter's per-step calls allocate nothing per call: {@code REWARD_COMPUTED}, {@code PPO_UPDATE_COMPLETED}
 * and {@code EPOCH_COMPLETED} with their required fields only and with every optional scalar and envelope field set
 * (the dict and list fields and the message text are documented as off this path), measured as
 * {@link AllocationRounds} does, held to the policy of {@code GradienceEmitterAllocationTest}: under one byte of growth
 * per call.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EsperEmitterAllocationTest
{
    private static final long ALLOCATION_FREE_GROWTH_PER_EMIT = 1;
    private static final int RING_CAPACITY = 64 * 1024 * 1024;

    @TempDir
    Path directory;

    interface Call
    {
        boolean call(EsperEmitter esper, int[] symbols, long i);
    }

    static Stream<Arguments> calls()
    {
        return Stream.of(
            Arguments.of("rewardComputed, required fields", (Call)(esper, s, i) ->
                esper.rewardComputed((int)(i & 3), 0.1 * i, s[0], 0.5, 0.9).commit()),
            Arguments.of("rewardComputed, every scalar and envelope field", (Call)(esper, s, i) ->
                esper.rewardComputed((int)(i & 3), 0.1 * i, s[0], 0.5, 0.9).baseAccDelta(0.1).boundedAttribution(0.2)
                    .seedContribution(0.3).computeRent(0.01).alphaShock(0.0).ratioPenalty(0.0).stageBonus(0.5)
                    .fossilizeTerminalBonus(1.0).blendingWarning(0.0).holdingWarning(0.0).valAcc(61.5)
                    .hostAccuracy(60.0).decisionEntropy(1.2).abGroup(s[1]).actionSlot(s[2]).seedId(s[3])
                    .slotId(s[2]).groupId(s[1]).epoch(i).severity(EsperSeverity.WARNING).commit()),
            Arguments.of("ppoUpdate, required fields", (Call)(esper, s, i) ->
                esper.ppoUpdate(-0.01, 0.5, 1.1, 0.9, 0.004, 0.1, 0).commit()),
            Arguments.of("ppoUpdate, every scalar and envelope field", (Call)(esper, s, i) ->
                esper.ppoUpdate(-0.01, 0.5, 1.1, 0.9, 0.004, 0.1, 0).explainedVariance(0.4).entropyLoss(-0.01)
                    .advantage(0.0, 1.0).ratio(1.0, 0.8, 1.2, 0.05).lr(3e-4).entropyCoef(0.01).infGradCount(0)
                    .layers(0, 1).entropyCollapsed(false).lossScale(65536.0).ampOverflowDetected(false)
                    .updateSkipped(false).updateTimeMs(21.5).earlyStopEpoch(3).position(2, (int)i).skipped(false)
                    .epoch(i).slotId(s[2]).commit()),
            Arguments.of("epochCompleted", (Call)(esper, s, i) ->
                esper.epochCompleted((int)(i & 3), 61.5, 0.9, (int)(i % 25)).epoch(i).commit()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldEmitWithoutAllocatingPerCall(final String name, final Call call)
    {
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).ringCapacity(RING_CAPACITY)
            .lanes(1)))
        {
            final EsperEmitter esper = recorder.emitter(EsperEmitter::new, "run-1").eventIdSeed(1);
            final int[] symbols = { esper.symbol("WAIT"), esper.symbol("treatment"), esper.symbol("r0c1"),
                esper.symbol("seed-3") };
            assertNotEquals(EmitterContext.NO_SYMBOL, symbols[3], "symbols defined");

            final AllocationRounds.Growth growth =
                AllocationRounds.measure(recorder, i -> call.call(esper, symbols, i), 1);
            System.out.println(name + ": " + growth);
            assertTrue(growth.bytes() < ALLOCATION_FREE_GROWTH_PER_EMIT * AllocationRounds.EMITS, () -> name + ": " +
                growth.twice() + " bytes allocated by " + 2 * AllocationRounds.EMITS + " calls, " + growth.once() +
                " by " + AllocationRounds.EMITS);
        }
    }
}
