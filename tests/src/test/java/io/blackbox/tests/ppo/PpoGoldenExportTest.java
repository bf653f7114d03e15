package io.blackbox.tests.ppo;

import io.blackbox.codecs.PpoDataMode;
import io.blackbox.codecs.PpoTelemetryVersion;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.ppo.PpoValidator;
import io.blackbox.exporter.ppo.PpoWire;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.SteppingEpochNanoClock;
import io.blackbox.recorder.ppo.PpoEmitter;
import io.blackbox.tests.GoldenFiles;
import io.blackbox.tests.TestRecordings;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fixed PPO scenario recorded with a deterministic clock exports to the same bytes every time: accumulated epochs
 * (one mini-batch, several, zero-variance rewards), a record from given values, the 1.0 toggle, extra keys of both
 * number forms and a non-number. The golden file was written by this version and checked by hand against the spec
 * and townlet's samples; a change to the export format fails here. To regenerate after an intended change: see
 * {@link GoldenFiles}.
 */
class PpoGoldenExportTest
{
    static final String RUN_ID = "ppo-golden-run";
    private static final String GOLDEN = "/golden/ppo/" + RUN_ID + ".jsonl";

    @TempDir
    Path temp;

    @Test
    void shouldExportFixedScenarioByteForByte() throws Exception
    {
        recordScenario(temp.resolve("recording"));
        RecordingExport.export(temp.resolve("recording"), temp.resolve("export"));
        final Path exported = temp.resolve("export").resolve(PpoWire.FAMILY).resolve(RUN_ID + ".jsonl");

        GoldenFiles.assertMatches(GOLDEN, Files.readAllBytes(exported));
        assertEquals(List.of(), new PpoValidator().validate(exported));
    }

    @Test
    void shouldExportSameBytesFromTwoRecordingsOfTheSameScenario() throws Exception
    {
        recordScenario(temp.resolve("a"));
        recordScenario(temp.resolve("b"));
        RecordingExport.export(temp.resolve("a"), temp.resolve("export-a"));
        RecordingExport.export(temp.resolve("b"), temp.resolve("export-b"));

        assertArrayEquals(Files.readAllBytes(temp.resolve("export-a/ppo/" + RUN_ID + ".jsonl")),
            Files.readAllBytes(temp.resolve("export-b/ppo/" + RUN_ID + ".jsonl")));
    }

    @Test
    void shouldWriteNoVersion11KeyOnA10Record() throws Exception
    {
        recordScenario(temp.resolve("recording"));
        RecordingExport.export(temp.resolve("recording"), temp.resolve("export"));
        final List<ObjectNode> records = TestRecordings.readJsonl(temp.resolve("export/ppo/" + RUN_ID + ".jsonl"));

        final List<Double> versions = new ArrayList<>();
        for (final ObjectNode record : records)
        {
            final double version = record.get(PpoWire.TELEMETRY_VERSION).doubleValue();
            versions.add(version);
            for (final String key : PpoWire.KEYS_1_1)
            {
                assertEquals(version == PpoWire.VERSION_1_1, record.has(key), () -> key + " in " + record);
            }
            for (final String key : PpoWire.KEYS_1_0)
            {
                assertTrue(record.has(key), () -> key + " in " + record);
            }
        }
        assertTrue(versions.contains(PpoWire.VERSION_1_0), "the scenario has a 1.0 record");
        assertTrue(versions.contains(PpoWire.VERSION_1_1), "and 1.1 records");
    }

    @Test
    void shouldNumberEveryRecordOfTheRunFromOneWithoutAGap() throws Exception
    {
        recordScenario(temp.resolve("recording"));
        RecordingExport.export(temp.resolve("recording"), temp.resolve("export"));
        final List<ObjectNode> records = TestRecordings.readJsonl(temp.resolve("export/ppo/" + RUN_ID + ".jsonl"));

        long expected = 1;
        for (final ObjectNode record : records)
        {
            if (record.has(PpoWire.LOG_STREAM_OFFSET))
            {
                assertEquals(expected, record.get(PpoWire.LOG_STREAM_OFFSET).doubleValue(), record::toString);
            }
            expected++; // a 1.0 record is numbered too, without the key
        }
        assertFalse(records.isEmpty());
    }

    /**
     * The scenario: epochs accumulated from mini-batches and transitions, then given values, then the 1.0 toggle.
     */
    static void recordScenario(final Path directory)
    {
        final SteppingEpochNanoClock clock = new SteppingEpochNanoClock(1_768_253_565_118_277_000L, 250_000_001L);
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).clock(clock)))
        {
            final PpoEmitter ppo = recorder.emitter(PpoEmitter::new, RUN_ID);
            final int queueConflicts = ppo.symbol(PpoWire.QUEUE_CONFLICT_EVENTS);
            final int intensity = ppo.symbol(PpoWire.QUEUE_CONFLICT_INTENSITY_SUM);
            final int[] rivalry = new int[PpoWire.RIVALRY_KEYS.size()];
            for (int i = 0; i < rivalry.length; i++)
            {
                rivalry[i] = ppo.symbol(PpoWire.RIVALRY_KEYS.get(i));
            }

            // Epoch 1: one mini-batch, rewards of zero variance (the correlation is 0.0).
            ppo.epochStart(1, PpoDataMode.ROLLOUT, 0, 20);
            ppo.miniBatch(20, 1.1827796697616577e-07, 1.2560970783233643, 0.0, 0.6280486360192299, 0.0, 0.0,
                1.1821016371250153, -1.1827796697616577e-07, 0.8912490755319595);
            for (int i = 0; i < 20; i++)
            {
                ppo.transition(-0.2, (i - 9.5) / 10.0);
            }
            ppo.metric(queueConflicts, 0.0).metric(intensity, 0.0);
            for (final int key : rivalry)
            {
                ppo.metric(key, 0.0);
            }
            ppo.epochEnd(0.0003, 20);

            // Epoch 2: four mini-batches, some clipped, one with zero advantage std; correlated rewards.
            ppo.epochStart(2, PpoDataMode.MIXED, 1, 0);
            ppo.miniBatch(16, -0.012, 0.9, 1.4, 0.43, 0.125, 0.004, 1.7, 0.01, 1.02);
            ppo.miniBatch(16, -0.010, 0.8, 1.3, 0.39, 0.0, -0.006, 2.5, -0.02, 0.98);
            ppo.miniBatch(16, -0.008, 0.7, 1.2, 0.34, 0.25, 0.002, 0.9, 0.0, 0.0);
            ppo.miniBatch(16, -0.006, 0.6, 1.1, 0.29, 0.0625, 0.001, 1.1, 0.03, 1.01);
            for (int i = 0; i < 64; i++)
            {
                ppo.transition(0.5 * i - 3.0 + (i % 3), 0.25 * i - 8.0);
            }
            ppo.metric(queueConflicts, 3.0).metric(intensity, 2.5);
            for (int i = 0; i < rivalry.length; i++)
            {
                ppo.metric(rivalry[i], 0.25 * i);
            }
            ppo.epochEnd(0.00025, 84);

            // Epoch 3, from values the caller computed: health keys absent, an integer and a non-number extra.
            ppo.epoch().epoch(3).updates(2).transitions(32).losses(0.1, 0.2, 0.3, 0.4).clipFraction(0.5)
                .advantages(0.0, 1.0).gradNorm(4.9e-324).klDivergence(1e-5).lr(2e-4).steps(116)
                .epochDurationSec(1.5).dataMode(PpoDataMode.REPLAY).cycleId(1).batchEntropy(0.3, 0.0)
                .gradNormMax(1e16).klDivergenceMax(1e-5).rewardAdvantageCorr(-1.0).rolloutTicks(0)
                .metric(queueConflicts, 1.0).metric(ppo.symbol("anneal_cycle"), 2L)
                .extrasJson("{\"anneal_stage\":\"ppo\",\"anneal_bc_passed\":true}".getBytes())
                .commit();

            // Epoch 4 with the harness's enable_telemetry_v1_1 = false.
            ppo.telemetryVersion(PpoTelemetryVersion.V1_0);
            ppo.epochStart(4, PpoDataMode.REPLAY, 1, 0);
            ppo.miniBatch(8, 0.01, 0.5, 1.0, 0.25, 0.0, 0.0, 1.0, 0.0, 1.0);
            ppo.epochEnd(1e-4, 124);
        }
    }
}
