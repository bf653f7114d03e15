package io.blackbox.exporter.esper;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The spec's {@code SeedGerminatedPayload}, carried by {@link EsperEventType#SEED_GERMINATED}. Emitted when a seed
 * is germinated.
 *
 * @param slotId {@code slot_id}, required.
 * @param envId {@code env_id}, required.
 * @param blueprintId {@code blueprint_id}, required.
 * @param params {@code params}, required.
 * @param alpha {@code alpha}, optional, default {@code 0.0}.
 * @param gradRatio {@code grad_ratio}, optional, default {@code 0.0}.
 * @param hasVanishing {@code has_vanishing}, optional, default {@code false}.
 * @param hasExploding {@code has_exploding}, optional, default {@code false}.
 * @param epochsInStage {@code epochs_in_stage}, optional, default {@code 0}.
 * @param blendTempoEpochs {@code blend_tempo_epochs}, optional, default {@code 5}.
 */
public record SeedGerminated(
    String slotId,
    int envId,
    String blueprintId,
    long params,
    double alpha,
    double gradRatio,
    boolean hasVanishing,
    boolean hasExploding,
    int epochsInStage,
    int blendTempoEpochs) implements EsperPayload
{
    /** The payload's name in problems. */
    static final String NAME = "SeedGerminated";

    /**
     * Check required references and copy the lists and maps, so the payload is immutable.
     */
    public SeedGerminated
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
    public static SeedGerminated fromMap(final Map<String, ?> map)
    {
        final PayloadFields fields = new PayloadFields(NAME, map);
        return new SeedGerminated(
            fields.requiredString(EsperWire.SLOT_ID),
            fields.requiredInt(EsperWire.ENV_ID),
            fields.requiredString(EsperWire.BLUEPRINT_ID),
            fields.requiredLong(EsperWire.PARAMS),
            fields.optionalDouble(EsperWire.ALPHA, 0.0),
            fields.optionalDouble(EsperWire.GRAD_RATIO, 0.0),
            fields.optionalBoolean(EsperWire.HAS_VANISHING, false),
            fields.optionalBoolean(EsperWire.HAS_EXPLODING, false),
            fields.optionalInt(EsperWire.EPOCHS_IN_STAGE, 0),
            fields.optionalInt(EsperWire.BLEND_TEMPO_EPOCHS, 5));
    }

    /**
     * Read the payload from a JSON object, as {@link #fromMap} does.
     *
     * @param json the payload's object.
     * @return the payload.
     * @throws EsperFormatException if it is not an object, a required key is missing or a value has the wrong type.
     */
    public static SeedGerminated fromJson(final JsonNode json)
    {
        return fromMap(EsperPayload.jsonObject(NAME, json));
    }

    @Override
    public EsperEventType eventType()
    {
        return EsperEventType.SEED_GERMINATED;
    }

    @Override
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>(20);
        map.put(EsperWire.SLOT_ID, slotId);
        map.put(EsperWire.ENV_ID, envId);
        map.put(EsperWire.BLUEPRINT_ID, blueprintId);
        map.put(EsperWire.PARAMS, params);
        map.put(EsperWire.ALPHA, alpha);
        map.put(EsperWire.GRAD_RATIO, gradRatio);
        map.put(EsperWire.HAS_VANISHING, hasVanishing);
        map.put(EsperWire.HAS_EXPLODING, hasExploding);
        map.put(EsperWire.EPOCHS_IN_STAGE, epochsInStage);
        map.put(EsperWire.BLEND_TEMPO_EPOCHS, blendTempoEpochs);
        return Collections.unmodifiableMap(map);
    }
}
