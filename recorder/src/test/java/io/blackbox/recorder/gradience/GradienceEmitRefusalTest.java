package io.blackbox.recorder.gradience;

import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.StringDefinitionEncoder;
import io.blackbox.recorder.EmitterContext;
import io.blackbox.recorder.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record the recorder cannot take is a false return and a count, never an exception: also when what it cannot take
 * is the definition of a symbol the record needs. A record no recorder could take (longer than the ring allows) is a
 * programming error and throws, naming the sizes. The full-disk cases are in the tests module's {@code DiskFullTest}.
 */
class GradienceEmitRefusalTest
{
    @TempDir
    Path directory;

    @Test
    void shouldReturnNoSymbolAndCountTheRefusalWhenTheRecorderIsClosed()
    {
        final Recorder recorder = Recorder.open(directory);
        assertTrue(recorder.symbol("defined") != EmitterContext.NO_SYMBOL);
        recorder.close();

        assertEquals(EmitterContext.NO_SYMBOL, recorder.symbol("new"));
        assertEquals(EmitterContext.NO_SYMBOL, recorder.symbol("new"), "a later call tries again");
        assertEquals(2, recorder.refusedSymbols());
        assertTrue(recorder.symbol("defined") != EmitterContext.NO_SYMBOL, "a defined symbol stays defined");
        assertEquals(0, recorder.droppedRecords(), "a refused definition is not a dropped record");
    }

    @Test
    void shouldRefuseAndCountEachEmitWhoseSymbolCannotBeDefined()
    {
        final Recorder recorder = Recorder.open(directory);
        final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, "run-1");
        final int defined = run.symbol("defined");
        recorder.close();

        final int undefined = run.symbol("grad_norm");
        assertEquals(EmitterContext.NO_SYMBOL, undefined);
        assertFalse(run.trainStep(1).loss(0.5).metric(undefined, 1.0).commit());
        assertFalse(run.trainStep(2).loss(0.5).metric(defined, 1.0).metric(undefined, 7L).commit());
        assertFalse(run.eval(3, "test").ppl(2.0).commit());
        assertFalse(run.eval(4, defined).metric(undefined, 1.0).commit());
        assertFalse(run.metrics(5, "lora_audit", Map.of("rank", 8)));
        assertEquals(5, recorder.droppedRecords(), "one count per refused emit");
        assertEquals(3, recorder.refusedSymbols(), "grad_norm, test, lora_audit");
    }

    @Test
    void shouldRefuseAndCountEveryEmitOfAnEmitterWhoseRunCannotBeDefined()
    {
        final Recorder recorder = Recorder.open(directory);
        recorder.close();

        final GradienceEmitter late = recorder.emitter(GradienceEmitter::new, "late");
        assertEquals(EmitterContext.NO_SYMBOL, late.run());
        assertFalse(late.trainStep(1, 0.5, 1e-4));
        assertFalse(late.trainStep(2).loss(0.5).commit());
        assertFalse(late.eval(3, 1, 2.0, Double.NaN, Double.NaN, -1));
        assertFalse(late.runStart(Map.of("model_name", "tiny"), null));
        assertFalse(late.recommendation(5, List.of(Map.of("action", "none"))));
        assertEquals(5, recorder.droppedRecords());
    }

    @Test
    void shouldThrowForARecordLongerThanTheRingTakesNamingTheSizesAndKeepRecording()
    {
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).ringCapacity(64 * 1024)))
        {
            final int maxRecordLength = recorder.maxRecordLength();
            final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, "run-1");

            final IllegalArgumentException hot = assertThrows(IllegalArgumentException.class,
                () -> run.trainStep(1).loss(0.5).extrasJson(json(maxRecordLength)).commit());
            assertTrue(hot.getMessage().contains("maxRecordLength=" + maxRecordLength), hot.getMessage());

            final IllegalArgumentException open = assertThrows(IllegalArgumentException.class,
                () -> run.runStartJson(1, GradienceEmitter.NO_STEP, json(maxRecordLength), new byte[0], new byte[0]));
            assertTrue(open.getMessage().contains("maxRecordLength=" + maxRecordLength), open.getMessage());

            assertEquals(0, recorder.droppedRecords(), "a programming error, not a refused record");
            assertTrue(run.trainStep(2, 0.5, 1e-4), "the emitter records on");
        }
    }

    @Test
    void shouldThrowForASymbolLongerThanARecordWithoutTakingItsNumber()
    {
        try (Recorder recorder = Recorder.open(
            new Recorder.Context().directory(directory).ringCapacity(64 * 1024).lanes(1)))
        {
            final int longest = recorder.maxRecordLength() - MessageHeaderEncoder.ENCODED_LENGTH -
                StringDefinitionEncoder.BLOCK_LENGTH - StringDefinitionEncoder.valueHeaderLength();
            final int first = recorder.symbol("first");

            final IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> recorder.symbol("x".repeat(longest + 1)));
            assertEquals("a symbol of " + (longest + 1) + " bytes is longer than a record of the ring takes: length=" +
                (recorder.maxRecordLength() + 1) + " maxRecordLength=" + recorder.maxRecordLength(),
                tooLong.getMessage());
            assertThrows(IllegalArgumentException.class,
                () -> recorder.emitter(GradienceEmitter::new, "é".repeat(longest / 2 + 1)), "a run id is a symbol");

            assertEquals(first + 1, recorder.symbol("x".repeat(longest)), "the longest symbol, and no number skipped");
            assertEquals(first + 2, recorder.symbol("next"));
            final EmitterContext after = recorder.emitter(context -> context, "next");
            assertTrue(after.writer().hasOwnLane(), "the failed emitter gave the only lane back");
            after.writer().close();
            assertEquals(0, recorder.refusedSymbols(), "a programming error, not a refused definition");
        }
    }

    private static byte[] json(final int length)
    {
        final byte[] value = new byte[length - "{\"k\":\"\"}".length()];
        Arrays.fill(value, (byte)'x');
        return ("{\"k\":\"" + new String(value, StandardCharsets.US_ASCII) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }
}
