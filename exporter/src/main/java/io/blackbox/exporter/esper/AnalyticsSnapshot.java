package io.blackbox.exporter.esper;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The spec's {@code AnalyticsSnapshotPayload}, carried by {@link EsperEventType#ANALYTICS_SNAPSHOT}. Emitted for
 * dashboard sync and the action distribution; {@code kind} says which optional fields it has ({@code last_action}
 * carries a reward's).
 *
 * @param kind {@code kind}, required.
 * @param actionCounts {@code action_counts}, optional, null when absent or null.
 * @param envId {@code env_id}, optional, null when absent or null.
 * @param totalReward {@code total_reward}, optional, null when absent or null.
 * @param actionName {@code action_name}, optional, null when absent or null.
 * @param actionConfidence {@code action_confidence}, optional, null when absent or null.
 * @param valueEstimate {@code value_estimate}, optional, null when absent or null.
 */
public record AnalyticsSnapshot(
    String kind,
    Map<String, Integer> actionCounts,
    Integer envId,
    Double totalReward,
    String actionName,
    Double actionConfidence,
    Double valueEstimate) implements EsperPayload
{
    /** The payload's name in problems. */
    static final String NAME = "AnalyticsSnapshot";

    /**
     * Check required references and copy the lists and maps, so the payload is immutable.
     */
    public AnalyticsSnapshot
    {
        Objects.requireNonNull(kind, "kind");
        actionCounts = null == actionCounts ? null : EsperValues.freezeMap(actionCounts);
    }

    /**
     * Read the payload from its wire form.
     *
     * @param map the payload's keys; keys beyond the spec are ignored.
     * @return the payload.
     * @throws EsperFormatException if a required key is missing or a value has the wrong type.
     */
    public static AnalyticsSnapshot fromMap(final Map<String, ?> map)
    {
        final PayloadFields fields = new PayloadFields(NAME, map);
        return new AnalyticsSnapshot(
            fields.requiredString(EsperWire.KIND),
            fields.nullableIntMap(EsperWire.ACTION_COUNTS),
            fields.nullableInt(EsperWire.ENV_ID),
            fields.nullableDouble(EsperWire.TOTAL_REWARD),
            fields.nullableString(EsperWire.ACTION_NAME),
            fields.nullableDouble(EsperWire.ACTION_CONFIDENCE),
            fields.nullableDouble(EsperWire.VALUE_ESTIMATE));
    }

    /**
     * Read the payload from a JSON object, as {@link #fromMap} does.
     *
     * @param json the payload's object.
     * @return the payload.
     * @throws EsperFormatException if it is not an object, a required key is missing or a value has the wrong type.
     */
    public static AnalyticsSnapshot fromJson(final JsonNode json)
    {
        return fromMap(EsperPayload.jsonObject(NAME, json));
    }

    @Override
    public EsperEventType eventType()
    {
        return EsperEventType.ANALYTICS_SNAPSHOT;
    }

    @Override
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>(14);
        map.put(EsperWire.KIND, kind);
        map.put(EsperWire.ACTION_COUNTS, actionCounts);
        map.put(EsperWire.ENV_ID, envId);
        map.put(EsperWire.TOTAL_REWARD, totalReward);
        map.put(EsperWire.ACTION_NAME, actionName);
        map.put(EsperWire.ACTION_CONFIDENCE, actionConfidence);
        map.put(EsperWire.VALUE_ESTIMATE, valueEstimate);
        return Collections.unmodifiableMap(map);
    }
}
