package io.blackbox.exporter.esper;

import io.blackbox.exporter.JsonLinesReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EsperPayloadTest
{
    /** The spec's REQUIRED fields of each payload, written out here rather than taken from EsperWire. */
    private static final Map<EsperEventType, List<String>> REQUIRED = Map.ofEntries(
        Map.entry(EsperEventType.TRAINING_STARTED, List.of("n_envs", "max_epochs", "task", "host_params",
            "slot_ids", "seed", "n_episodes", "lr", "clip_ratio", "entropy_coef", "param_budget", "policy_device",
            "env_devices")),
        Map.entry(EsperEventType.EPOCH_COMPLETED, List.of("env_id", "val_accuracy", "val_loss", "inner_epoch")),
        Map.entry(EsperEventType.BATCH_EPOCH_COMPLETED, List.of("episodes_completed", "batch_idx", "avg_accuracy",
            "avg_reward", "total_episodes", "n_envs")),
        Map.entry(EsperEventType.PPO_UPDATE_COMPLETED, List.of("policy_loss", "value_loss", "entropy", "grad_norm",
            "kl_divergence", "clip_fraction", "nan_grad_count")),
        Map.entry(EsperEventType.REWARD_COMPUTED, List.of("env_id", "total_reward", "action_name",
            "value_estimate", "action_confidence")),
        Map.entry(EsperEventType.SEED_GERMINATED, List.of("slot_id", "env_id", "blueprint_id", "params")),
        Map.entry(EsperEventType.SEED_STAGE_CHANGED, List.of("slot_id", "env_id", "from_stage", "to_stage")),
        Map.entry(EsperEventType.SEED_FOSSILIZED, List.of("slot_id", "env_id", "blueprint_id", "improvement",
            "params_added")),
        Map.entry(EsperEventType.SEED_PRUNED, List.of("slot_id", "env_id", "reason")),
        Map.entry(EsperEventType.COUNTERFACTUAL_MATRIX_COMPUTED, List.of("env_id", "slot_ids", "configs")),
        Map.entry(EsperEventType.ANALYTICS_SNAPSHOT, List.of("kind")));

    @TempDir
    Path dir;

    static Stream<Arguments> requiredKeys()
    {
        return REQUIRED.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .flatMap(entry -> entry.getValue().stream().map(key -> Arguments.of(entry.getKey(), key)));
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("requiredKeys")
    void shouldNameThePayloadAndTheKeyWhenARequiredKeyIsMissing(final EsperEventType type, final String key)
        throws IOException
    {
        final Map<String, Object> data = EsperSamples.specData(type, dir);
        assertInstanceOf(type.payloadType(), type.readPayload(data));

        data.remove(key);
        final EsperFormatException ex = assertThrows(EsperFormatException.class, () -> type.readPayload(data));

        assertEquals(key, ex.field());
        assertEquals("missing, required by " + type.payloadType().getSimpleName(), ex.problem());
    }

    @Test
    void shouldHaveTheSpecsElevenPayloadsEachWithTheSpecsKeys() throws IOException
    {
        final List<EsperEventType> typed =
            Arrays.stream(EsperEventType.values()).filter(EsperEventType::hasPayload).toList();

        assertEquals(11, typed.size());
        assertEquals(11, EsperPayload.class.getPermittedSubclasses().length);
        for (final EsperEventType type : typed)
        {
            final Map<String, Object> data = EsperSamples.specData(type, dir);
            assertEquals(new ArrayList<>(data.keySet()), new ArrayList<>(type.readPayload(data).toMap().keySet()),
                type.name());
        }
    }

    @Test
    void shouldGiveTheSpecsDefaultsWhenOnlyTheRequiredKeysAreThere() throws IOException
    {
        final PpoUpdate update = (PpoUpdate)requiredOnly(EsperEventType.PPO_UPDATE_COMPLETED);
        assertEquals(1.0, update.ratioMean());
        assertEquals(1.0, update.ratioMin());
        assertEquals(1.0, update.ratioMax());
        assertEquals(0.0, update.ratioStd());
        assertEquals(0, update.infGradCount());
        assertNull(update.explainedVariance());
        assertNull(update.lr());
        assertNull(update.earlyStopEpoch());
        assertNull(update.layerGradientHealth());
        assertNull(update.headOpEntropy());
        assertEquals(false, update.skipped());

        final TrainingStarted started = (TrainingStarted)requiredOnly(EsperEventType.TRAINING_STARTED);
        assertEquals(1, started.worldSize());
        assertEquals(0, started.rank());
        assertEquals("", started.episodeId());
        assertNull(started.ampDtype());
        assertNull(started.entropyAnneal());

        assertEquals(5, ((SeedGerminated)requiredOnly(EsperEventType.SEED_GERMINATED)).blendTempoEpochs());
        assertEquals(1.0, ((SeedFossilized)requiredOnly(EsperEventType.SEED_FOSSILIZED)).alpha());
        assertNull(((SeedStageChanged)requiredOnly(EsperEventType.SEED_STAGE_CHANGED)).alpha());
        assertNull(((SeedPruned)requiredOnly(EsperEventType.SEED_PRUNED)).blueprintId());
        assertEquals("unavailable",
            ((CounterfactualMatrix)requiredOnly(EsperEventType.COUNTERFACTUAL_MATRIX_COMPUTED)).strategy());
        final BatchEpochCompleted batch = (BatchEpochCompleted)requiredOnly(EsperEventType.BATCH_EPOCH_COMPLETED);
        assertEquals(0.0, batch.rollingAccuracy());
        assertNull(batch.envAccuracies());
        final RewardComputed reward = (RewardComputed)requiredOnly(EsperEventType.REWARD_COMPUTED);
        assertEquals(0.0, reward.stageBonus());
        assertNull(reward.alternatives());
        assertNull(reward.abGroup());
        final AnalyticsSnapshot snapshot = (AnalyticsSnapshot)requiredOnly(EsperEventType.ANALYTICS_SNAPSHOT);
        assertNull(snapshot.envId());
        assertNull(snapshot.actionCounts());
    }

    static Stream<Arguments> wrongTypes()
    {
        return Stream.of(
            Arguments.of(EsperEventType.PPO_UPDATE_COMPLETED, "policy_loss", "x", "policy_loss",
                "PpoUpdate needs a number, found a string"),
            Arguments.of(EsperEventType.PPO_UPDATE_COMPLETED, "policy_loss", null, "policy_loss",
                "PpoUpdate needs a number, found null"),
            Arguments.of(EsperEventType.PPO_UPDATE_COMPLETED, "nan_grad_count", 2.5, "nan_grad_count",
                "PpoUpdate needs an integer, found 2.5"),
            Arguments.of(EsperEventType.PPO_UPDATE_COMPLETED, "nan_grad_count", true, "nan_grad_count",
                "PpoUpdate needs an integer, found true"),
            Arguments.of(EsperEventType.PPO_UPDATE_COMPLETED, "ratio_mean", null, "ratio_mean",
                "PpoUpdate needs a number, found null"),
            Arguments.of(EsperEventType.PPO_UPDATE_COMPLETED, "entropy_collapsed", 0, "entropy_collapsed",
                "PpoUpdate needs true or false, found 0"),
            Arguments.of(EsperEventType.PPO_UPDATE_COMPLETED, "layer_gradient_health", Map.of("fc1", "high"),
                "layer_gradient_health.fc1", "PpoUpdate needs a number, found a string"),
            Arguments.of(EsperEventType.PPO_UPDATE_COMPLETED, "head_op_entropy", List.of(), "head_op_entropy",
                "PpoUpdate needs an object, found a list"),
            Arguments.of(EsperEventType.PPO_UPDATE_COMPLETED, "early_stop_epoch", 3_000_000_000L, "early_stop_epoch",
                "PpoUpdate needs an integer of 32 bits, found 3000000000"),
            Arguments.of(EsperEventType.TRAINING_STARTED, "slot_ids", "r0c0", "slot_ids",
                "TrainingStarted needs a list, found a string"),
            Arguments.of(EsperEventType.TRAINING_STARTED, "slot_ids", Arrays.asList("r0c0", null), "slot_ids[1]",
                "TrainingStarted needs a string, found null"),
            Arguments.of(EsperEventType.TRAINING_STARTED, "task", 7, "task", "TrainingStarted needs a string, found 7"),
            Arguments.of(EsperEventType.TRAINING_STARTED, "episode_id", null, "episode_id",
                "TrainingStarted needs a string, found null"),
            Arguments.of(EsperEventType.TRAINING_STARTED, "seed", new java.math.BigInteger("18446744073709551616"),
                "seed", "TrainingStarted needs an integer of 64 bits, found 18446744073709551616"),
            Arguments.of(EsperEventType.BATCH_EPOCH_COMPLETED, "env_accuracies", List.of(1.0, "x"),
                "env_accuracies[1]", "BatchEpochCompleted needs a number, found a string"),
            Arguments.of(EsperEventType.COUNTERFACTUAL_MATRIX_COMPUTED, "configs", List.of(Map.of(), 1), "configs[1]",
                "CounterfactualMatrix needs an object, found 1"),
            Arguments.of(EsperEventType.REWARD_COMPUTED, "slot_states", Map.of("r0c0", 1), "slot_states.r0c0",
                "RewardComputed needs an object, found 1"),
            Arguments.of(EsperEventType.ANALYTICS_SNAPSHOT, "action_counts", Map.of("WAIT", 1.5),
                "action_counts.WAIT", "AnalyticsSnapshot needs an integer, found 1.5"));
    }

    @ParameterizedTest(name = "{0}.{1} = {2}")
    @MethodSource("wrongTypes")
    void shouldNameThePayloadTheKeyAndWhatWasFoundForAWrongType(
        final EsperEventType type, final String key, final Object value, final String field, final String problem)
        throws IOException
    {
        final Map<String, Object> data = EsperSamples.specData(type, dir);
        data.put(key, value);

        final EsperFormatException ex = assertThrows(EsperFormatException.class, () -> type.readPayload(data));

        assertEquals(field, ex.field());
        assertEquals(problem, ex.problem());
    }

    @Test
    void shouldTellNaNFromNullFromAbsentAndKeepInfinity() throws IOException
    {
        final Map<String, Object> data = EsperSamples.specData(EsperEventType.PPO_UPDATE_COMPLETED, dir);

        data.put("explained_variance", Double.NaN);
        data.put("grad_norm", Double.POSITIVE_INFINITY);
        data.put("loss_scale", Double.NEGATIVE_INFINITY);
        PpoUpdate update = PpoUpdate.fromMap(data);
        assertTrue(update.explainedVariance().isNaN());
        assertEquals(Double.POSITIVE_INFINITY, update.gradNorm());
        assertEquals(Double.NEGATIVE_INFINITY, update.lossScale());

        data.put("explained_variance", null);
        update = PpoUpdate.fromMap(data);
        assertNull(update.explainedVariance());
        assertTrue(update.toMap().containsKey("explained_variance"));

        data.remove("explained_variance");
        assertNull(PpoUpdate.fromMap(data).explainedVariance());

        data.put("policy_loss", Double.NaN);
        assertTrue(Double.isNaN(PpoUpdate.fromMap(data).policyLoss()), "a NaN loss is a value, not a missing one");
    }

    @Test
    void shouldKeepANullRollingAccuracyApartFromAnAbsentOne() throws IOException
    {
        final Map<String, Object> data = EsperSamples.specData(EsperEventType.BATCH_EPOCH_COMPLETED, dir);

        data.put("rolling_accuracy", null);
        assertNull(BatchEpochCompleted.fromMap(data).rollingAccuracy());
        data.remove("rolling_accuracy");
        assertEquals(0.0, BatchEpochCompleted.fromMap(data).rollingAccuracy());
    }

    @Test
    void shouldIgnoreUnknownKeys() throws IOException
    {
        final Map<String, Object> data = EsperSamples.specData(EsperEventType.SEED_STAGE_CHANGED, dir);
        final SeedStageChanged expected = SeedStageChanged.fromMap(data);

        data.put("from", "GERMINATED");
        data.put("to", "TRAINING");
        data.put("proof_baseline_mode", null);

        final SeedStageChanged changed = SeedStageChanged.fromMap(data);
        assertEquals(expected, changed);
        assertEquals("TRAINING", changed.fromStage());
        assertEquals("BLENDING", changed.toStage());
    }

    @Test
    void shouldReadListsForTuplesAndHoldThemImmutably() throws IOException
    {
        final Map<String, Object> data = EsperSamples.specData(EsperEventType.COUNTERFACTUAL_MATRIX_COMPUTED, dir);
        final List<Object> slotIds = new ArrayList<>(List.of("a", "b"));
        final Map<String, Object> config = new HashMap<>(Map.of("accuracy", 1.0));
        final List<Object> configs = new ArrayList<>(List.of(config));
        data.put("slot_ids", slotIds);
        data.put("configs", configs);

        final CounterfactualMatrix matrix = CounterfactualMatrix.fromMap(data);
        slotIds.add("c");
        config.put("accuracy", 2.0);
        configs.clear();

        assertEquals(List.of("a", "b"), matrix.slotIds());
        assertEquals(List.of(Map.of("accuracy", 1.0)), matrix.configs());
        assertThrows(UnsupportedOperationException.class, () -> matrix.slotIds().add("d"));
        assertThrows(UnsupportedOperationException.class, () -> matrix.configs().get(0).put("x", 1));
        assertThrows(UnsupportedOperationException.class, () -> matrix.toMap().put("x", 1));
    }

    @Test
    void shouldReadTheSameFromJsonAsFromAMap() throws IOException
    {
        for (final EsperEventType type : EsperEventType.values())
        {
            if (type.hasPayload())
            {
                final Map<String, Object> data = EsperSamples.specData(type, dir);
                assertEquals(type.readPayload(data).toMap().toString(),
                    fromJson(type, JsonLinesReader.MAPPER.valueToTree(data)).toMap().toString(), type.name());
            }
        }

        final EsperFormatException ex = assertThrows(EsperFormatException.class,
            () -> PpoUpdate.fromJson(JsonLinesReader.MAPPER.valueToTree(List.of())));
        assertEquals("PpoUpdate needs an object, found array", ex.problem());
    }

    @Test
    void shouldRefuseToReadAnEventTypeWithoutATypedPayload()
    {
        final EsperFormatException ex = assertThrows(EsperFormatException.class,
            () -> EsperEventType.GRADIENT_ANOMALY.readPayload(Map.of()));

        assertEquals("event_type", ex.field());
        assertEquals("GRADIENT_ANOMALY has no typed payload in the spec, and the spec reads no untyped data",
            ex.problem());
    }

    private EsperPayload requiredOnly(final EsperEventType type) throws IOException
    {
        final Map<String, Object> data = EsperSamples.specData(type, dir);
        final Map<String, Object> required = new LinkedHashMap<>();
        REQUIRED.get(type).forEach(key -> required.put(key, data.get(key)));
        return type.readPayload(required);
    }

    private static EsperPayload fromJson(final EsperEventType type, final com.fasterxml.jackson.databind.JsonNode json)
    {
        return switch (type)
        {
            case TRAINING_STARTED -> TrainingStarted.fromJson(json);
            case EPOCH_COMPLETED -> EpochCompleted.fromJson(json);
            case BATCH_EPOCH_COMPLETED -> BatchEpochCompleted.fromJson(json);
            case PPO_UPDATE_COMPLETED -> PpoUpdate.fromJson(json);
            case REWARD_COMPUTED -> RewardComputed.fromJson(json);
            case SEED_GERMINATED -> SeedGerminated.fromJson(json);
            case SEED_STAGE_CHANGED -> SeedStageChanged.fromJson(json);
            case SEED_FOSSILIZED -> SeedFossilized.fromJson(json);
            case SEED_PRUNED -> SeedPruned.fromJson(json);
            case COUNTERFACTUAL_MATRIX_COMPUTED -> CounterfactualMatrix.fromJson(json);
            case ANALYTICS_SNAPSHOT -> AnalyticsSnapshot.fromJson(json);
            default -> throw new AssertionError(type);
        };
    }
}
