package io.blackbox.exporter.esper;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The spec's {@code SeedPrunedPayload}, carried by {@link EsperEventType#SEED_PRUNED}. Emitted when a seed is pruned
 * (removed).
 *
 * @param slotId {@code slot_id}, required.
 * @param envId {@code env_id}, required.
 * @param reason {@code reason}, required.
 * @param blueprintId {@code blueprint_id}, optional, null when absent or null.
 * @param improvement {@code improvement}, optional, default {@code 0.0}.
 * @param autoPruned {@code auto_pruned}, optional, default {@code false}.
 * @param epochsTotal {@code epochs_total}, optional, default {@code 0}.
 * @param counterfactual {@code counterfactual}, optional, default {@code 0.0}.
 */
public record SeedPruned(
    String slotId,
    int envId,
    String reason,
    String blueprintId,
    double improvement,
    boolean autoPruned,
    int epochsTotal,
    double counterfactual) implements EsperPayload
{
    /** The payload's name in problems. */
    static final String NAME = "SeedPruned";

    /**
     * Check required references and copy the lists and maps, so the payload is immutable.
     */
    public SeedPruned
    {
        Objects.requireNonNull(slotId, "slot_id");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Read the payload from its wire form.
     *
     * @param map the payload's keys; keys beyond the spec are ignored.
     * @return the payload.
     * @throws EsperFormatException if a required key is missing or a value has the wrong type.
     */
    public static SeedPruned fromMap(final Map<String, ?> map)
    {
        final PayloadFields fields = new PayloadFields(NAME, map);
        return new SeedPruned(
            fields.requiredString(EsperWire.SLOT_ID),
            fields.requiredInt(EsperWire.ENV_ID),
            fields.requiredString(EsperWire.REASON),
            fields.nullableString(EsperWire.BLUEPRINT_ID),
            fields.optionalDouble(EsperWire.IMPROVEMENT, 0.0),
            fields.optionalBoolean(EsperWire.AUTO_PRUNED, false),
            fields.optionalInt(EsperWire.EPOCHS_TOTAL, 0),
            fields.optionalDouble(EsperWire.COUNTERFACTUAL, 0.0));
    }

    /**
     * Read the payload from a JSON object, as {@link #fromMap} does.
     *
     * @param json the payload's object.
     * @return the payload.
     * @throws EsperFormatException if it is not an object, a required key is missing or a value has the wrong type.
     */
    public static SeedPruned fromJson(final JsonNode json)
    {
        return fromMap(EsperPayload.jsonObject(NAME, json));
    }

    @Override
    public EsperEventType eventType()
    {
        return EsperEventType.SEED_PRUNED;
    }

    @Override
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>(16);
        map.put(EsperWire.SLOT_ID, slotId);
        map.put(EsperWire.ENV_ID, envId);
        map.put(EsperWire.REASON, reason);
        map.put(EsperWire.BLUEPRINT_ID, blueprintId);
        map.put(EsperWire.IMPROVEMENT, improvement);
        map.put(EsperWire.AUTO_PRUNED, autoPruned);
        map.put(EsperWire.EPOCHS_TOTAL, epochsTotal);
        map.put(EsperWire.COUNTERFACTUAL, counterfactual);
        return Collections.unmodifiableMap(map);
    }
}
