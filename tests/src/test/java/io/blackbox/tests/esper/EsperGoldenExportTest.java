package io.blackbox.tests.esper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.EsperEventCode;
import io.blackbox.codecs.EsperSeverity;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.esper.AnalyticsSnapshot;
import io.blackbox.exporter.esper.BatchEpochCompleted;
import io.blackbox.exporter.esper.CounterfactualMatrix;
import io.blackbox.exporter.esper.EsperEvents;
import io.blackbox.exporter.esper.EsperTypedEvents;
import io.blackbox.exporter.esper.EsperWire;
import io.blackbox.exporter.esper.PpoUpdate;
import io.blackbox.exporter.esper.RewardComputed;
import io.blackbox.exporter.esper.SeedFossilized;
import io.blackbox.exporter.esper.SeedGerminated;
import io.blackbox.exporter.esper.SeedPruned;
import io.blackbox.exporter.esper.SeedStageChanged;
import io.blackbox.exporter.esper.TelemetryEvent;
import io.blackbox.exporter.esper.TrainingStarted;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.SteppingEpochNanoClock;
import io.blackbox.recorder.esper.EsperEmitter;
import io.blackbox.recorder.esper.PpoHead;
import io.blackbox.tests.GoldenFiles;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fixed Esper scenario recorded with a deterministic clock and event-id seed exports to the same bytes every time:
 * every payload type, the three per-step events with every optional field set (each to its own value, checked on its
 * key by name) and with none, NaN, infinity and None kept apart, the envelope's every field, a payload that does not
 * make its type refused as damage. The golden file was written by this version and checked by hand against the spec
 * and the sample; to regenerate after an intended change: see {@link GoldenFiles}.
 */
class EsperGoldenExportTest
{
    static final String RUN_ID = "esper-golden-run";
    private static final String GOLDEN = "/golden/esper/" + RUN_ID + ".jsonl";

    @TempDir
    Path temp;

    private Path export(final String name) throws Exception
    {
        recordScenario(temp.resolve(name));
        final RecordingExport.Result result = RecordingExport.export(temp.resolve(name), temp.resolve(name + "-export"));
        assertEquals(1, result.damageCount(), () -> "the one bad payload: " + result.damage());
        assertTrue(result.damage().get(0).contains("data.blueprint_id: missing, required by SeedGerminated"),
            () -> result.damage().toString());
        return temp.resolve(name + "-export").resolve(EsperWire.FAMILY).resolve(RUN_ID + ".jsonl");
    }

    @Test
    void shouldExportFixedScenarioByteForByte() throws Exception
    {
        final Path exported = export("recording");

        GoldenFiles.assertMatches(GOLDEN, Files.readAllBytes(exported));
        final List<TelemetryEvent> events = EsperEvents.read(exported).toList();
        final Set<String> types = new TreeSet<>();
        events.forEach(event -> types.add(event.eventType().name()));
        assertEquals(11, types.size(), () -> "every payload type: " + types);
    }

    @Test
    void shouldExportSameBytesFromTwoRecordingsOfTheSameScenario() throws Exception
    {
        assertArrayEquals(Files.readAllBytes(export("a")), Files.readAllBytes(export("b")));
    }

    @Test
    void shouldPutEveryFieldOfTheStepEventsOnItsKey() throws Exception
    {
        final List<ObjectNode> lines = TestRecordings.readJsonl(export("recording"));
        final ObjectNode reward = lines.get(1);
        assertEquals("REWARD_COMPUTED", reward.get("event_type").asText());
        final String[] rewardKeys = { "total_reward", "value_estimate", "action_confidence", "base_acc_delta",
            "bounded_attribution", "seed_contribution", "compute_rent", "alpha_shock", "ratio_penalty", "stage_bonus",
            "fossilize_terminal_bonus", "blending_warning", "holding_warning", "val_acc", "host_accuracy",
            "decision_entropy" };
        for (int i = 0; i < rewardKeys.length; i++)
        {
            assertEquals(0.5 + i, reward.get("data").get(rewardKeys[i]).doubleValue(), rewardKeys[i]);
        }
        assertEquals(7, reward.get("data").get("env_id").intValue());
        assertEquals("GERMINATE", reward.get("data").get("action_name").asText());
        assertEquals("treatment", reward.get("data").get("ab_group").asText());
        assertEquals("r0c1", reward.get("data").get("action_slot").asText());
        assertEquals("{\"r0c1\":{\"stage\":\"BLENDING\",\"alpha\":0.5}}", reward.get("data").get("slot_states").toString());
        assertEquals("[{\"action\":\"WAIT\",\"probability\":0.25}]", reward.get("data").get("alternatives").toString());
        assertEquals("seed-9", reward.get("seed_id").asText());
        assertEquals("r0c1", reward.get("slot_id").asText());
        assertEquals(12, reward.get("epoch").intValue());
        assertEquals("B", reward.get("group_id").asText());
        assertEquals("warning", reward.get("severity").asText());
        assertEquals("pénalité ✓", reward.get("message").asText());

        final ObjectNode update = lines.get(3);
        assertEquals("PPO_UPDATE_COMPLETED", update.get("event_type").asText());
        final JsonNode u = update.get("data");
        final String[] updateDoubles = { "policy_loss", "value_loss", "entropy", "grad_norm", "kl_divergence",
            "clip_fraction", "explained_variance", "entropy_loss", "advantage_mean", "advantage_std", "ratio_mean",
            "ratio_min", "ratio_max", "ratio_std", "lr", "entropy_coef", "loss_scale", "update_time_ms" };
        for (int i = 0; i < updateDoubles.length; i++)
        {
            assertEquals(0.25 + i, u.get(updateDoubles[i]).doubleValue(), updateDoubles[i]);
        }
        final String[] updateInts = { "nan_grad_count", "inf_grad_count", "dead_layers", "exploding_layers",
            "early_stop_epoch", "inner_epoch", "batch" };
        for (int i = 0; i < updateInts.length; i++)
        {
            assertTrue(u.get(updateInts[i]).isInt(), updateInts[i]);
            assertEquals(1 + i, u.get(updateInts[i]).intValue(), updateInts[i]);
        }
        for (final String flag : List.of("entropy_collapsed", "amp_overflow_detected", "update_skipped", "skipped"))
        {
            assertTrue(u.get(flag).booleanValue(), flag);
        }
        assertEquals("{\"layer.0\":0.5}", u.get("layer_gradient_health").toString());
        assertEquals("{\"mean\":1.5}", u.get("head_slot_entropy").toString());
        assertEquals("{\"mean\":2.5}", u.get("head_op_entropy").toString());
        assertTrue(u.get("head_tempo_entropy").isNull());

        final ObjectNode epoch = lines.get(5);
        assertEquals("EPOCH_COMPLETED", epoch.get("event_type").asText());
        assertEquals("{\"env_id\":3,\"val_accuracy\":71.5,\"val_loss\":0.75,\"inner_epoch\":4,\"seeds\":" +
            "{\"r0c0\":{\"stage\":\"FOSSILIZED\"}}}", epoch.get("data").toString());
    }

    @Test
    void shouldKeepNaNInfinityAndNoneApart() throws Exception
    {
        final List<TelemetryEvent> events = EsperEvents.read(export("recording")).toList();
        final PpoUpdate defaults = assertInstanceOf(PpoUpdate.class, events.get(4).data());
        assertNull(defaults.explainedVariance(), "not set: None");
        assertNull(defaults.lr());
        assertEquals(1.0, defaults.ratioMean(), "the spec's default");
        final PpoUpdate diverged = assertInstanceOf(PpoUpdate.class, events.get(6).data());
        assertTrue(Double.isNaN(diverged.explainedVariance()), "NaN is a value");
        assertEquals(Double.POSITIVE_INFINITY, diverged.gradNorm());
        final RewardComputed plain = assertInstanceOf(RewardComputed.class, events.get(2).data());
        assertNull(plain.slotStates());
        assertNull(plain.abGroup());
        assertEquals(0.0, plain.stageBonus());
        final BatchEpochCompleted batch = events.stream().map(TelemetryEvent::data)
            .filter(BatchEpochCompleted.class::isInstance).map(BatchEpochCompleted.class::cast).findFirst().orElseThrow();
        assertNull(batch.rollingAccuracy(), "written null, read null");
    }

    /**
     * The scenario: a training start, the three step events fully set then bare, every other payload, and one event
     * whose payload lacks a required key.
     */
    static void recordScenario(final Path directory)
    {
        final SteppingEpochNanoClock clock = new SteppingEpochNanoClock(1_763_770_812_965_346_123L, 1_000_500L);
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).clock(clock)))
        {
            final EsperEmitter esper = recorder.emitter(EsperEmitter::new, RUN_ID).eventIdSeed(20_261_122L);
            final int germinate = esper.symbol("GERMINATE");
            final int wait = esper.symbol("WAIT");
            final int r0c1 = esper.symbol("r0c1");

            EsperTypedEvents.event(esper, new TrainingStarted(4, 25, "cifar_baseline", 1000, List.of("r0c0", "r0c1"),
                42, 40, 0.0003, 0.2, 0.01, 5000, "cpu", List.of("cpu"), "", "", "shaped", 0,
                ordered("start", 0.05, "end", 0.01), 1, 0, 0, false, null, false, null, null))
                .message("start").commit();

            // The three step events with every field set, each to its own value.
            esper.rewardComputed(7, 0.5, germinate, 1.5, 2.5).baseAccDelta(3.5).boundedAttribution(4.5)
                .seedContribution(5.5).computeRent(6.5).alphaShock(7.5).ratioPenalty(8.5).stageBonus(9.5)
                .fossilizeTerminalBonus(10.5).blendingWarning(11.5).holdingWarning(12.5).valAcc(13.5)
                .hostAccuracy(14.5).decisionEntropy(15.5).abGroup(esper.symbol("treatment")).actionSlot(r0c1)
                .slotStates(ordered("r0c1", ordered("stage", "BLENDING", "alpha", 0.5)))
                .alternatives(List.of(ordered("action", "WAIT", "probability", 0.25)))
                .seedId(esper.symbol("seed-9")).slotId(r0c1).epoch(12).groupId(esper.symbol("B"))
                .severity(EsperSeverity.WARNING).message("pénalité ✓").commit();
            esper.rewardComputed(0, -0.125, wait, 0.0, 1.0).commit();
            final Map<String, Double> layers = ordered("layer.0", 0.5);
            esper.ppoUpdate(0.25, 1.25, 2.25, 3.25, 4.25, 5.25, 1).explainedVariance(6.25).entropyLoss(7.25)
                .advantage(8.25, 9.25).ratio(10.25, 11.25, 12.25, 13.25).lr(14.25).entropyCoef(15.25)
                .lossScale(16.25).updateTimeMs(17.25).infGradCount(2).layers(3, 4).earlyStopEpoch(5)
                .position(6, 7).entropyCollapsed(true).ampOverflowDetected(true).updateSkipped(true).skipped(true)
                .layerGradientHealth(layers).head(PpoHead.SLOT_ENTROPY, ordered("mean", 1.5))
                .head(PpoHead.OP_ENTROPY, ordered("mean", 2.5)).epoch(3).commit();
            esper.ppoUpdate(-0.01, 0.5, 1.1, 0.9, 0.004, 0.1, 0).commit();
            esper.epochCompleted(3, 71.5, 0.75, 4).seeds(ordered("r0c0", ordered("stage", "FOSSILIZED"))).epoch(4)
                .commit();
            esper.ppoUpdate(Double.NaN, 0.5, 0.0, Double.POSITIVE_INFINITY, 0.2, 1.0, 3).explainedVariance(Double.NaN)
                .severity(EsperSeverity.CRITICAL).commit();
            esper.epochCompleted(0, 10.0, 2.0, 1).commit();

            // Every other payload, typed.
            final Map<String, Object> data = new LinkedHashMap<>();
            data.put(EsperWire.EPISODES_COMPLETED, 8);
            data.put(EsperWire.BATCH_IDX, 2);
            data.put(EsperWire.AVG_ACCURACY, 61.5);
            data.put(EsperWire.AVG_REWARD, 0.25);
            data.put(EsperWire.TOTAL_EPISODES, 100);
            data.put(EsperWire.N_ENVS, 4);
            data.put("requested_episodes", 0); // a key beyond the spec, kept
            data.put(EsperWire.ROLLING_ACCURACY, null);
            data.put(EsperWire.ENV_ACCURACIES, List.of(60.0, 63.0));
            esper.event(EsperEventCode.BATCH_EPOCH_COMPLETED, data).epoch(3).commit();
            EsperTypedEvents.event(esper, new SeedGerminated("r0c0", 1, "conv_light", 4096, 0.0, 0.0, false, false,
                0, 5)).slotId(esper.symbol("r0c0")).commit();
            EsperTypedEvents.event(esper, new SeedStageChanged("r0c0", 1, "GERMINATED", "BLENDING", null, 0.5, 2,
                1.0, false, true)).commit();
            EsperTypedEvents.event(esper, new SeedFossilized("r0c0", 1, "conv_light", 2.5, 4096, 1.0, 9, 0.4))
                .commit();
            EsperTypedEvents.event(esper, new SeedPruned("r0c1", 2, "no_improvement", null, -0.5, true, 3, -0.1))
                .commit();
            EsperTypedEvents.event(esper, new CounterfactualMatrix(1, List.of("r0c0", "r0c1"),
                List.of(ordered("mask", List.of(true, false), "accuracy", 68.0)), "full_factorial", 12.5)).commit();
            EsperTypedEvents.event(esper, new AnalyticsSnapshot("action_distribution",
                ordered("WAIT", 6, "GERMINATE", 2), null, null, null, null, null)).commit();

            // A producer's mistake: SEED_GERMINATED without its blueprint. The export refuses it, naming the key.
            final Map<String, Object> broken = new LinkedHashMap<>();
            broken.put("slot_id", "r0c1");
            broken.put("env_id", 2);
            broken.put("params", 10);
            esper.event(EsperEventCode.SEED_GERMINATED, broken).commit();
            esper.epochCompleted(1, 50.0, 1.0, 2).epoch(5).commit();
        }
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> ordered(final Object... keysAndValues)
    {
        final Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            map.put((String)keysAndValues[i], (V)keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void shouldGiveVersion4EventIds() throws Exception
    {
        for (final ObjectNode line : TestRecordings.readJsonl(export("recording")))
        {
            final UUID id = UUID.fromString(line.get("event_id").asText());
            assertEquals(4, id.version(), line::toString);
            assertEquals(2, id.variant(), line::toString);
        }
    }
}
