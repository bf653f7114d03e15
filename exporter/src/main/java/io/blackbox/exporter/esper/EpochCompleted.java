package io.blackbox.exporter.esper;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The spec's {@code EpochCompletedPayload}, carried by {@link EsperEventType#EPOCH_COMPLETED}. Emitted per
 * environment per epoch.
 *
 * @param envId {@code env_id}, required.
 * @param valAccuracy {@code val_accuracy}, required.
 * @param valLoss {@code val_loss}, required.
 * @param innerEpoch {@code inner_epoch}, required.
 * @param seeds {@code seeds}, optional, null when absent or null.
 */
public record EpochCompleted(
    int envId,
    double valAccuracy,
    double valLoss,
    int innerEpoch,
    Map<String, Map<String, Object>> seeds) implements EsperPayload
{
    /** The payload's name in problems. */
    static final String NAME = "EpochCompleted";

    /**
     * Check required references and copy the lists and maps, so the payload is immutable.
     */
    public EpochCompleted
    {
        seeds = null == seeds ? null : EsperValues.freezeMap(seeds);
    }

    /**
     * Read the payload from its wire form.
     *
     * @param map the payload's keys; keys beyond the spec are ignored.
     * @return the payload.
     * @throws EsperFormatException if a required key is missing or a value has the wrong type.
     */
    public static EpochCompleted fromMap(final Map<String, ?> map)
    {
        final PayloadFields fields = new PayloadFields(NAME, map);
        return new EpochCompleted(
            fields.requiredInt(EsperWire.ENV_ID),
            fields.requiredDouble(EsperWire.VAL_ACCURACY),
            fields.requiredDouble(EsperWire.VAL_LOSS),
            fields.requiredInt(EsperWire.INNER_EPOCH),
            fields.nullableObjectMap(EsperWire.SEEDS));
    }

    /**
     * Read the payload from a JSON object, as {@link #fromMap} does.
     *
     * @param json the payload's object.
     * @return the payload.
     * @throws EsperFormatException if it is not an object, a required key is missing or a value has the wrong type.
     */
    public static EpochCompleted fromJson(final JsonNode json)
    {
        return fromMap(EsperPayload.jsonObject(NAME, json));
    }

    @Override
    public EsperEventType eventType()
    {
        return EsperEventType.EPOCH_COMPLETED;
    }

    @Override
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>(10);
        map.put(EsperWire.ENV_ID, envId);
        map.put(EsperWire.VAL_ACCURACY, valAccuracy);
        map.put(EsperWire.VAL_LOSS, valLoss);
        map.put(EsperWire.INNER_EPOCH, innerEpoch);
        map.put(EsperWire.SEEDS, seeds);
        return Collections.unmodifiableMap(map);
    }
}
