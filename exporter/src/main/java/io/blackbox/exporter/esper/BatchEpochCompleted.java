package io.blackbox.exporter.esper;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec's {@code BatchEpochCompletedPayload}, carried by {@link EsperEventType#BATCH_EPOCH_COMPLETED}. Emitted at
 * an episode boundary (the commit barrier). The spec types {@code rolling_accuracy} {@code float = 0.0}, but the
 * original writes {@code null} when it has no rolling accuracy yet (the sample does): an absent key reads as 0.0, a
 * null stays null rather than becoming a silent zero.
 *
 * @param episodesCompleted {@code episodes_completed}, required.
 * @param batchIdx {@code batch_idx}, required.
 * @param avgAccuracy {@code avg_accuracy}, required.
 * @param avgReward {@code avg_reward}, required.
 * @param totalEpisodes {@code total_episodes}, required.
 * @param nEnvs {@code n_envs}, required.
 * @param rollingAccuracy {@code rolling_accuracy}, optional, 0.0 when absent; null when the producer wrote null.
 * @param envAccuracies {@code env_accuracies}, optional, null when absent or null.
 */
public record BatchEpochCompleted(
    int episodesCompleted,
    int batchIdx,
    double avgAccuracy,
    double avgReward,
    int totalEpisodes,
    int nEnvs,
    Double rollingAccuracy,
    List<Double> envAccuracies) implements EsperPayload
{
    /** The payload's name in problems. */
    static final String NAME = "BatchEpochCompleted";

    /**
     * Check required references and copy the lists and maps, so the payload is immutable.
     */
    public BatchEpochCompleted
    {
        envAccuracies = null == envAccuracies ? null : List.copyOf(envAccuracies);
    }

    /**
     * Read the payload from its wire form.
     *
     * @param map the payload's keys; keys beyond the spec are ignored.
     * @return the payload.
     * @throws EsperFormatException if a required key is missing or a value has the wrong type.
     */
    public static BatchEpochCompleted fromMap(final Map<String, ?> map)
    {
        final PayloadFields fields = new PayloadFields(NAME, map);
        return new BatchEpochCompleted(
            fields.requiredInt(EsperWire.EPISODES_COMPLETED),
            fields.requiredInt(EsperWire.BATCH_IDX),
            fields.requiredDouble(EsperWire.AVG_ACCURACY),
            fields.requiredDouble(EsperWire.AVG_REWARD),
            fields.requiredInt(EsperWire.TOTAL_EPISODES),
            fields.requiredInt(EsperWire.N_ENVS),
            fields.optionalNullableDouble(EsperWire.ROLLING_ACCURACY, 0.0),
            fields.nullableDoubles(EsperWire.ENV_ACCURACIES));
    }

    /**
     * Read the payload from a JSON object, as {@link #fromMap} does.
     *
     * @param json the payload's object.
     * @return the payload.
     * @throws EsperFormatException if it is not an object, a required key is missing or a value has the wrong type.
     */
    public static BatchEpochCompleted fromJson(final JsonNode json)
    {
        return fromMap(EsperPayload.jsonObject(NAME, json));
    }

    @Override
    public EsperEventType eventType()
    {
        return EsperEventType.BATCH_EPOCH_COMPLETED;
    }

    @Override
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>(16);
        map.put(EsperWire.EPISODES_COMPLETED, episodesCompleted);
        map.put(EsperWire.BATCH_IDX, batchIdx);
        map.put(EsperWire.AVG_ACCURACY, avgAccuracy);
        map.put(EsperWire.AVG_REWARD, avgReward);
        map.put(EsperWire.TOTAL_EPISODES, totalEpisodes);
        map.put(EsperWire.N_ENVS, nEnvs);
        map.put(EsperWire.ROLLING_ACCURACY, rollingAccuracy);
        map.put(EsperWire.ENV_ACCURACIES, envAccuracies);
        return Collections.unmodifiableMap(map);
    }
}
