package io.blackbox.exporter.esper;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The spec's {@code CounterfactualMatrixPayload}, carried by {@link EsperEventType#COUNTERFACTUAL_MATRIX_COMPUTED}.
 * Emitted with factorial ablation results.
 *
 * @param envId {@code env_id}, required.
 * @param slotIds {@code slot_ids}, required.
 * @param configs {@code configs}, required.
 * @param strategy {@code strategy}, optional, default {@code "unavailable"}.
 * @param computeTimeMs {@code compute_time_ms}, optional, default {@code 0.0}.
 */
public record CounterfactualMatrix(
    int envId,
    List<String> slotIds,
    List<Map<String, Object>> configs,
    String strategy,
    double computeTimeMs) implements EsperPayload
{
    /** The payload's name in problems. */
    static final String NAME = "CounterfactualMatrix";

    /**
     * Check required references and copy the lists and maps, so the payload is immutable.
     */
    public CounterfactualMatrix
    {
        slotIds = List.copyOf(slotIds);
        configs = EsperValues.freezeList(Objects.requireNonNull(configs, "configs"));
        Objects.requireNonNull(strategy, "strategy");
    }

    /**
     * Read the payload from its wire form.
     *
     * @param map the payload's keys; keys beyond the spec are ignored.
     * @return the payload.
     * @throws EsperFormatException if a required key is missing or a value has the wrong type.
     */
    public static CounterfactualMatrix fromMap(final Map<String, ?> map)
    {
        final PayloadFields fields = new PayloadFields(NAME, map);
        return new CounterfactualMatrix(
            fields.requiredInt(EsperWire.ENV_ID),
            fields.requiredStrings(EsperWire.SLOT_IDS),
            fields.requiredObjects(EsperWire.CONFIGS),
            fields.optionalString(EsperWire.STRATEGY, EsperWire.DEFAULT_STRATEGY),
            fields.optionalDouble(EsperWire.COMPUTE_TIME_MS, 0.0));
    }

    /**
     * Read the payload from a JSON object, as {@link #fromMap} does.
     *
     * @param json the payload's object.
     * @return the payload.
     * @throws EsperFormatException if it is not an object, a required key is missing or a value has the wrong type.
     */
    public static CounterfactualMatrix fromJson(final JsonNode json)
    {
        return fromMap(EsperPayload.jsonObject(NAME, json));
    }

    @Override
    public EsperEventType eventType()
    {
        return EsperEventType.COUNTERFACTUAL_MATRIX_COMPUTED;
    }

    @Override
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>(10);
        map.put(EsperWire.ENV_ID, envId);
        map.put(EsperWire.SLOT_IDS, slotIds);
        map.put(EsperWire.CONFIGS, configs);
        map.put(EsperWire.STRATEGY, strategy);
        map.put(EsperWire.COMPUTE_TIME_MS, computeTimeMs);
        return Collections.unmodifiableMap(map);
    }
}
