package io.blackbox.exporter.esper;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The spec's {@code RewardComputedPayload}, carried by {@link EsperEventType#REWARD_COMPUTED}. Emitted per RL step
 * with the reward breakdown.
 *
 * @param envId {@code env_id}, required.
 * @param totalReward {@code total_reward}, required.
 * @param actionName {@code action_name}, required.
 * @param valueEstimate {@code value_estimate}, required.
 * @param actionConfidence {@code action_confidence}, required.
 * @param baseAccDelta {@code base_acc_delta}, optional, default {@code 0.0}.
 * @param boundedAttribution {@code bounded_attribution}, optional, default {@code 0.0}.
 * @param seedContribution {@code seed_contribution}, optional, default {@code 0.0}.
 * @param computeRent {@code compute_rent}, optional, default {@code 0.0}.
 * @param alphaShock {@code alpha_shock}, optional, default {@code 0.0}.
 * @param ratioPenalty {@code ratio_penalty}, optional, default {@code 0.0}.
 * @param stageBonus {@code stage_bonus}, optional, default {@code 0.0}.
 * @param fossilizeTerminalBonus {@code fossilize_terminal_bonus}, optional, default {@code 0.0}.
 * @param blendingWarning {@code blending_warning}, optional, default {@code 0.0}.
 * @param holdingWarning {@code holding_warning}, optional, default {@code 0.0}.
 * @param valAcc {@code val_acc}, optional, default {@code 0.0}.
 * @param slotStates {@code slot_states}, optional, null when absent or null.
 * @param hostAccuracy {@code host_accuracy}, optional, default {@code 0.0}.
 * @param alternatives {@code alternatives}, optional, null when absent or null.
 * @param decisionEntropy {@code decision_entropy}, optional, default {@code 0.0}.
 * @param abGroup {@code ab_group}, optional, null when absent or null.
 * @param actionSlot {@code action_slot}, optional, null when absent or null.
 */
public record RewardComputed(
    int envId,
    double totalReward,
    String actionName,
    double valueEstimate,
    double actionConfidence,
    double baseAccDelta,
    double boundedAttribution,
    double seedContribution,
    double computeRent,
    double alphaShock,
    double ratioPenalty,
    double stageBonus,
    double fossilizeTerminalBonus,
    double blendingWarning,
    double holdingWarning,
    double valAcc,
    Map<String, Map<String, Object>> slotStates,
    double hostAccuracy,
    List<Map<String, Object>> alternatives,
    double decisionEntropy,
    String abGroup,
    String actionSlot) implements EsperPayload
{
    /** The payload's name in problems. */
    static final String NAME = "RewardComputed";

    /**
     * Check required references and copy the lists and maps, so the payload is immutable.
     */
    public RewardComputed
    {
        Objects.requireNonNull(actionName, "action_name");
        slotStates = null == slotStates ? null : EsperValues.freezeMap(slotStates);
        alternatives = null == alternatives ? null : EsperValues.freezeList(alternatives);
    }

    /**
     * Read the payload from its wire form.
     *
     * @param map the payload's keys; keys beyond the spec are ignored.
     * @return the payload.
     * @throws EsperFormatException if a required key is missing or a value has the wrong type.
     */
    public static RewardComputed fromMap(final Map<String, ?> map)
    {
        final PayloadFields fields = new PayloadFields(NAME, map);
        return new RewardComputed(
            fields.requiredInt(EsperWire.ENV_ID),
            fields.requiredDouble(EsperWire.TOTAL_REWARD),
            fields.requiredString(EsperWire.ACTION_NAME),
            fields.requiredDouble(EsperWire.VALUE_ESTIMATE),
            fields.requiredDouble(EsperWire.ACTION_CONFIDENCE),
            fields.optionalDouble(EsperWire.BASE_ACC_DELTA, 0.0),
            fields.optionalDouble(EsperWire.BOUNDED_ATTRIBUTION, 0.0),
            fields.optionalDouble(EsperWire.SEED_CONTRIBUTION, 0.0),
            fields.optionalDouble(EsperWire.COMPUTE_RENT, 0.0),
            fields.optionalDouble(EsperWire.ALPHA_SHOCK, 0.0),
            fields.optionalDouble(EsperWire.RATIO_PENALTY, 0.0),
            fields.optionalDouble(EsperWire.STAGE_BONUS, 0.0),
            fields.optionalDouble(EsperWire.FOSSILIZE_TERMINAL_BONUS, 0.0),
            fields.optionalDouble(EsperWire.BLENDING_WARNING, 0.0),
            fields.optionalDouble(EsperWire.HOLDING_WARNING, 0.0),
            fields.optionalDouble(EsperWire.VAL_ACC, 0.0),
            fields.nullableObjectMap(EsperWire.SLOT_STATES),
            fields.optionalDouble(EsperWire.HOST_ACCURACY, 0.0),
            fields.nullableObjects(EsperWire.ALTERNATIVES),
            fields.optionalDouble(EsperWire.DECISION_ENTROPY, 0.0),
            fields.nullableString(EsperWire.AB_GROUP),
            fields.nullableString(EsperWire.ACTION_SLOT));
    }

    /**
     * Read the payload from a JSON object, as {@link #fromMap} does.
     *
     * @param json the payload's object.
     * @return the payload.
     * @throws EsperFormatException if it is not an object, a required key is missing or a value has the wrong type.
     */
    public static RewardComputed fromJson(final JsonNode json)
    {
        return fromMap(EsperPayload.jsonObject(NAME, json));
    }

    @Override
    public EsperEventType eventType()
    {
        return EsperEventType.REWARD_COMPUTED;
    }

    @Override
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>(44);
        map.put(EsperWire.ENV_ID, envId);
        map.put(EsperWire.TOTAL_REWARD, totalReward);
        map.put(EsperWire.ACTION_NAME, actionName);
        map.put(EsperWire.VALUE_ESTIMATE, valueEstimate);
        map.put(EsperWire.ACTION_CONFIDENCE, actionConfidence);
        map.put(EsperWire.BASE_ACC_DELTA, baseAccDelta);
        map.put(EsperWire.BOUNDED_ATTRIBUTION, boundedAttribution);
        map.put(EsperWire.SEED_CONTRIBUTION, seedContribution);
        map.put(EsperWire.COMPUTE_RENT, computeRent);
        map.put(EsperWire.ALPHA_SHOCK, alphaShock);
        map.put(EsperWire.RATIO_PENALTY, ratioPenalty);
        map.put(EsperWire.STAGE_BONUS, stageBonus);
        map.put(EsperWire.FOSSILIZE_TERMINAL_BONUS, fossilizeTerminalBonus);
        map.put(EsperWire.BLENDING_WARNING, blendingWarning);
        map.put(EsperWire.HOLDING_WARNING, holdingWarning);
        map.put(EsperWire.VAL_ACC, valAcc);
        map.put(EsperWire.SLOT_STATES, slotStates);
        map.put(EsperWire.HOST_ACCURACY, hostAccuracy);
        map.put(EsperWire.ALTERNATIVES, alternatives);
        map.put(EsperWire.DECISION_ENTROPY, decisionEntropy);
        map.put(EsperWire.AB_GROUP, abGroup);
        map.put(EsperWire.ACTION_SLOT, actionSlot);
        return Collections.unmodifiableMap(map);
    }
}
