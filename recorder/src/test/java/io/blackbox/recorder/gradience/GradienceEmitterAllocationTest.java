package io.blackbox.recorder.gradience;

import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.recorder.AllocationRounds;
import io.blackbox.recorder.EmitterContext;
import io.blackbox.recorder.Recorder;
import org.junit.jupiter.api.Test;
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
 * The emits that say "No allocation" allocate nothing per emit, and neither does the lookup of a symbol already
 * defined. The emits that take a {@code Map} or a {@code String} encode it and allocate by design; their {@code *Json}
 * forms, given encoded bytes, are covered here.
 * <p>
 * Measured as growth: the JVM's count of bytes allocated by the emitting thread for a round of {@code 2N} emits
 * minus that for a round of {@code N} emits, after a warm-up that lets the JIT compile the emit. An emit that
 * allocated one object would add at least 16 bytes per emit, so the growth is at least {@code 16N}; the policy is
 * that it stays below one byte per emit ({@link #ALLOCATION_FREE_GROWTH_PER_EMIT}). {@code LoadTest} holds its
 * emitting threads to the same policy.
 * <p>
 * Why not "0 bytes per round": the JVM allocates on the emitting thread now and then, whatever the emit does. This
 * test once asserted exactly 0 bytes per round of 200,000 emits into a recorder with the default 16 MiB ring, whose
 * 2 MiB lane the round wrapped about 20 times, waiting on the drainer each time; about one run in ten measured 144 to
 * 312 bytes. A run under {@code -XX:-UseTLAB} with JFR's {@code jdk.ObjectAllocationOutsideTLAB} events (stack
 * traces on) showed what they were: a {@code String} of 24 bytes and its 120-byte array, 144 bytes, allocated by
 * HotSpot on the emitting thread while it deoptimised the compiled {@code BackoffIdleStrategy.idle()} (at its
 * {@code switch}: the writer waiting on a full lane had reached a back-off state the compiled code had not seen), a
 * one-off of the JIT, not of the emit (the 312 bytes seen once were not reproduced: more than one deoptimisation
 * in a round would make them). Here each
 * round is drained before the next and the lane holds a whole round, so the measured emits never wait, and a one-off
 * cost of the runtime, which the difference of two rounds does not cancel, is still thousands of times smaller than
 * the {@code 16N} bytes of an emit that allocates.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a drainer that stopped
class GradienceEmitterAllocationTest
{
    /**
     * Bytes allocated per emit, measured as the growth of a round of {@code 2N} emits over one of {@code N}, below
     * which an emit is allocation-free. An emit that allocates one object (16 bytes or more, every time) is at
     * least 16 times over it; the runtime's one-off allocations (deoptimisation, a class loaded) are hundreds of
     * bytes over a round of {@link #EMITS} emits, far under it.
     */
    static final long ALLOCATION_FREE_GROWTH_PER_EMIT = 1;

    /** {@code N}: emits of the smaller measured round. */
    private static final int EMITS = AllocationRounds.EMITS;
    /** A ring whose one lane of its own (half the ring) holds a measured round of the longest records here. */
    private static final int RING_CAPACITY = 32 * 1024 * 1024;

    private static final byte[] EXTRAS = "{\"note\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CONFIG = "{\"model\":\"tiny\",\"layers\":2}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] METRICS = "{\"rank\":8,\"norm\":0.5}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CODE = "loss_spike".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MESSAGE = "loss rose".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RECOMMENDATIONS = "[{\"action\":\"lower_lr\"}]".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REASON = "done".getBytes(StandardCharsets.UTF_8);
    private static final double[] LRS = { 1e-4, 2e-4 };

    /** Where the allocating emit puts its box, so escape analysis cannot remove it. */
    private static volatile Long lastBoxed;

    @TempDir
    Path directory;

    /** One emit (or symbol lookup) of the emitter, for step {@code i}; returns whether it did what it should. */
    interface Emit
    {
        boolean emit(GradienceEmitter run, Symbols symbols, long i);
    }

    /** Symbols defined before the measurement. */
    record Symbols(int gradNorm, int tokens, int train, int kind)
    {
    }

    static Stream<Arguments> emits()
    {
        return Stream.of(
            emit("trainStep(step, loss, lr)", (run, s, i) -> run.trainStep(i, 0.5, 3e-4)),
            emit("trainStep(step, loss, lrPerGroup)", (run, s, i) -> run.trainStep(i, 0.5, LRS)),
            emit("trainStep(step)...commit() with every field", (run, s, i) -> run.trainStep(i)
                .loss(0.4).lr(1e-4).metric(s.gradNorm(), 0.25).metric(s.tokens(), i).timestamp(i).extrasJson(EXTRAS)
                .commit()),
            emit("trainStep(step).lr(lrPerGroup).commit()", (run, s, i) -> run.trainStep(i).lr(LRS).commit()),
            emit("trainStep(NO_STEP).commit()", (run, s, i) -> run.trainStep(GradienceEmitter.NO_STEP).commit()),
            emit("eval(step, split, ppl, accuracy, loss, n)", (run, s, i) -> run.eval(i, s.train(), 2.0, 0.5, 0.69, 100)),
            emit("eval(step, split)...commit() with every field", (run, s, i) -> run.eval(i, s.train())
                .ppl(3.0).accuracy(0.5).loss(0.7).n(10).metric(s.gradNorm(), 1.5).metric(s.tokens(), 7L).timestamp(i)
                .metricsExtrasJson(EXTRAS).extrasJson(EXTRAS).commit()),
            emit("eval(step, String split) of a known split", (run, s, i) -> run.eval(i, "train").loss(0.7).commit()),
            lookup("symbol(String) of a defined symbol", (run, s, i) -> run.symbol("grad_norm") == s.gradNorm()),
            emit("runStartJson", (run, s, i) -> run.runStartJson(i, i, CONFIG, EXTRAS, EXTRAS)),
            emit("metricsJson", (run, s, i) -> run.metricsJson(i, i, s.kind(), METRICS, EXTRAS)),
            emit("alertJson", (run, s, i) -> run.alertJson(i, i, GradienceSeverity.WARNING, CODE, MESSAGE, EXTRAS, EXTRAS)),
            emit("recommendationJson", (run, s, i) -> run.recommendationJson(i, i, RECOMMENDATIONS, EXTRAS)),
            emit("runEndJson", (run, s, i) -> run.runEndJson(i, i, GradienceRunStatus.OK, REASON, EXTRAS)),
            emit("runEnd(step, status, null reason)", (run, s, i) -> run.runEnd(i, GradienceRunStatus.OK, null)));
    }

    private static Arguments emit(final String name, final Emit emit)
    {
        return Arguments.of(name, emit, 1);
    }

    private static Arguments lookup(final String name, final Emit lookup)
    {
        return Arguments.of(name, lookup, 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emits")
    void shouldEmitWithoutAllocatingPerEmit(final String name, final Emit emit, final int recordsPerEmit)
    {
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).ringCapacity(RING_CAPACITY).lanes(1)))
        {
            final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, "run-1");
            final Symbols symbols = new Symbols(run.symbol("grad_norm"), run.symbol("tokens"), run.symbol("train"),
                run.symbol("lora_audit"));
            assertNotEquals(EmitterContext.NO_SYMBOL, symbols.kind(), "symbols defined");

            final AllocationRounds.Growth measured =
                AllocationRounds.measure(recorder, i -> emit.emit(run, symbols, i), recordsPerEmit);
            final long once = measured.once();
            final long twice = measured.twice();
            final long growth = twice - once;
            System.out.println(name + ": " + once + " bytes for " + EMITS + " emits, " + twice + " for " + 2 * EMITS);
            assertTrue(growth < ALLOCATION_FREE_GROWTH_PER_EMIT * EMITS, () -> name + ": " + twice + " bytes allocated by " +
                2 * EMITS + " emits, " + once + " by " + EMITS + ": " + growth + " bytes more for " + EMITS + " more emits");
        }
    }

    @Test
    void shouldMeasureTheGrowthOfAnEmitThatAllocates()
    {
        // Guards the measurement: the same rounds around an emit that allocates one small object must fail the policy.
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).ringCapacity(RING_CAPACITY).lanes(1)))
        {
            final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, "run-1");
            final Emit boxing = (r, s, i) -> r.trainStep(i, 0.5, 3e-4) && (lastBoxed = i + 1_000_000) != null;
            final AllocationRounds.Growth measured = AllocationRounds.measure(recorder, i -> boxing.emit(run, null, i), 1);
            final long once = measured.once();
            final long twice = measured.twice();

            assertTrue(twice - once >= 16L * EMITS, "one Long per emit: " + twice + " - " + once);
        }
    }
}
