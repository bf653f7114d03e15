package io.blackbox.exporter.esper;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The spec's {@code SeedStageChangedPayload}, carried by {@link EsperEventType#SEED_STAGE_CHANGED}. Emitted on a
 * seed stage transition.
 *
 * @param slotId {@code slot_id}, required.
 * @param envId {@code env_id}, required.
 * @param fromStage {@code from_stage}, required.
 * @param toStage {@code to_stage}, required.
 * @param alpha {@code alpha}, optional, null when absent or null.
 * @param accuracyDelta {@code accuracy_delta}, optional, default {@code 0.0}.
 * @param epochsInStage {@code epochs_in_stage}, optional, default {@code 0}.
 * @param gradRatio {@code grad_ratio}, optional, default {@code 0.0}.
 * @param hasVanishing {@code has_vanishing}, optional, default {@code false}.
 * @param hasExploding {@code has_exploding}, optional, default {@code false}.
 */
public record SeedStageChanged(
    String slotId,
    int envId,
    String fromStage,
    String toStage,
    Double alpha,
    double accuracyDelta,
    int epochsInStage,
    double gradRatio,
    boolean hasVanishing,
    boolean hasExploding) implements EsperPayload
{
    /** The payload's name in problems. */
    static final String NAME = "SeedStageChanged";

    /**
     * Check required references and copy the lists and maps, so the payload is immutable.
     */
    public SeedStageChanged
    {
        Objects.requireNonNull(slotId, "slot_id");
        Objects.requireNonNull(fromStage, "from_stage");
        Objects.requireNonNull(toStage, "to_stage");
    }

    /**
     * Read the payload from its wire form.
     *
     * @param map the payload's keys; keys beyond the spec are ignored.
     * @return the payload.
     * @throws EsperFormatException if a required key is missing or a value has the wrong type.
     */
    public static SeedStageChanged fromMap(final Map<String, ?> map)
    {
        final PayloadFields fields = new PayloadFields(NAME, map);
        return new SeedStageChanged(
            fields.requiredString(EsperWire.SLOT_ID),
            fields.requiredInt(EsperWire.ENV_ID),
            fields.requiredString(EsperWire.FROM_STAGE),
            fields.requiredString(EsperWire.TO_STAGE),
            fields.nullableDouble(EsperWire.ALPHA),
            fields.optionalDouble(EsperWire.ACCURACY_DELTA, 0.0),
            fields.optionalInt(EsperWire.EPOCHS_IN_STAGE, 0),
            fields.optionalDouble(EsperWire.GRAD_RATIO, 0.0),
            fields.optionalBoolean(EsperWire.HAS_VANISHING, false),
            fields.optionalBoolean(EsperWire.HAS_EXPLODING, false));
    }

    /**
     * Read the payload from a JSON object, as {@link #fromMap} does.
     *
     * @param json the payload's object.
     * @return the payload.
     * @throws EsperFormatException if it is not an object, a required key is missing or a value has the wrong type.
     */
    public static SeedStageChanged fromJson(final JsonNode json)
    {
        return fromMap(EsperPayload.jsonObject(NAME, json));
    }

    @Override
    public EsperEventType eventType()
    {
        return EsperEventType.SEED_STAGE_CHANGED;
    }

    @Override
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>(20);
        map.put(EsperWire.SLOT_ID, slotId);
        map.put(EsperWire.ENV_ID, envId);
        map.put(EsperWire.FROM_STAGE, fromStage);
        map.put(EsperWire.TO_STAGE, toStage);
        map.put(EsperWire.ALPHA, alpha);
        map.put(EsperWire.ACCURACY_DELTA, accuracyDelta);
        map.put(EsperWire.EPOCHS_IN_STAGE, epochsInStage);
        map.put(EsperWire.GRAD_RATIO, gradRatio);
        map.put(EsperWire.HAS_VANISHING, hasVanishing);
        map.put(EsperWire.HAS_EXPLODING, hasExploding);
        return Collections.unmodifiableMap(map);
    }
}
