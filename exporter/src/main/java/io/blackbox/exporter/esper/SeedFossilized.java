package io.blackbox.exporter.esper;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The spec's {@code SeedFossilizedPayload}, carried by {@link EsperEventType#SEED_FOSSILIZED}. Emitted when a seed
 * is fossilized (permanently grafted).
 *
 * @param slotId {@code slot_id}, required.
 * @param envId {@code env_id}, required.
 * @param blueprintId {@code blueprint_id}, required.
 * @param improvement {@code improvement}, required.
 * @param paramsAdded {@code params_added}, required.
 * @param alpha {@code alpha}, optional, default {@code 1.0}.
 * @param epochsTotal {@code epochs_total}, optional, default {@code 0}.
 * @param counterfactual {@code counterfactual}, optional, default {@code 0.0}.
 */
public record SeedFossilized(
    String slotId,
    int envId,
    String blueprintId,
    double improvement,
    long paramsAdded,
    double alpha,
    int epochsTotal,
    double counterfactual) implements EsperPayload
{
    /** The payload's name in problems. */
    static final String NAME = "SeedFossilized";

    /**
     * Check required references and copy the lists and maps, so the payload is immutable.
     */
    public SeedFossilized
    {
        Objects.requireNonNull(slotId, "slot_id");
        Objects.requireNonNull(blueprintId, "blueprint_id");
    }

    /**
     * Read the payload from its wire form.
     *
     * @param map the payload's keys; keys beyond the spec are ignored.
     * @return the payload.
     * @throws EsperFormatException if a required key is missing or a value has the wrong type.
     */
    public static SeedFossilized fromMap(final Map<String, ?> map)
    {
        final PayloadFields fields = new PayloadFields(NAME, map);
        return new SeedFossilized(
            fields.requiredString(EsperWire.SLOT_ID),
            fields.requiredInt(EsperWire.ENV_ID),
            fields.requiredString(EsperWire.BLUEPRINT_ID),
            fields.requiredDouble(EsperWire.IMPROVEMENT),
            fields.requiredLong(EsperWire.PARAMS_ADDED),
            fields.optionalDouble(EsperWire.ALPHA, 1.0),
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
    public static SeedFossilized fromJson(final JsonNode json)
    {
        return fromMap(EsperPayload.jsonObject(NAME, json));
    }

    @Override
    public EsperEventType eventType()
    {
        return EsperEventType.SEED_FOSSILIZED;
    }

    @Override
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>(16);
        map.put(EsperWire.SLOT_ID, slotId);
        map.put(EsperWire.ENV_ID, envId);
        map.put(EsperWire.BLUEPRINT_ID, blueprintId);
        map.put(EsperWire.IMPROVEMENT, improvement);
        map.put(EsperWire.PARAMS_ADDED, paramsAdded);
        map.put(EsperWire.ALPHA, alpha);
        map.put(EsperWire.EPOCHS_TOTAL, epochsTotal);
        map.put(EsperWire.COUNTERFACTUAL, counterfactual);
        return Collections.unmodifiableMap(map);
    }
}
