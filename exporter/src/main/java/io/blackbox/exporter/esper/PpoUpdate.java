package io.blackbox.exporter.esper;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The spec's {@code PPOUpdatePayload}, carried by {@link EsperEventType#PPO_UPDATE_COMPLETED}. Emitted after each
 * PPO update.
 *
 * @param policyLoss {@code policy_loss}, required.
 * @param valueLoss {@code value_loss}, required.
 * @param entropy {@code entropy}, required.
 * @param gradNorm {@code grad_norm}, required.
 * @param klDivergence {@code kl_divergence}, required.
 * @param clipFraction {@code clip_fraction}, required.
 * @param nanGradCount {@code nan_grad_count}, required.
 * @param explainedVariance {@code explained_variance}, optional, null when absent or null.
 * @param entropyLoss {@code entropy_loss}, optional, default {@code 0.0}.
 * @param advantageMean {@code advantage_mean}, optional, default {@code 0.0}.
 * @param advantageStd {@code advantage_std}, optional, default {@code 0.0}.
 * @param ratioMean {@code ratio_mean}, optional, default {@code 1.0}.
 * @param ratioMin {@code ratio_min}, optional, default {@code 1.0}.
 * @param ratioMax {@code ratio_max}, optional, default {@code 1.0}.
 * @param ratioStd {@code ratio_std}, optional, default {@code 0.0}.
 * @param lr {@code lr}, optional, null when absent or null.
 * @param entropyCoef {@code entropy_coef}, optional, null when absent or null.
 * @param infGradCount {@code inf_grad_count}, optional, default {@code 0}.
 * @param deadLayers {@code dead_layers}, optional, default {@code 0}.
 * @param explodingLayers {@code exploding_layers}, optional, default {@code 0}.
 * @param layerGradientHealth {@code layer_gradient_health}, optional, null when absent or null.
 * @param entropyCollapsed {@code entropy_collapsed}, optional, default {@code false}.
 * @param lossScale {@code loss_scale}, optional, null when absent or null.
 * @param ampOverflowDetected {@code amp_overflow_detected}, optional, default {@code false}.
 * @param updateSkipped {@code update_skipped}, optional, default {@code false}.
 * @param updateTimeMs {@code update_time_ms}, optional, default {@code 0.0}.
 * @param earlyStopEpoch {@code early_stop_epoch}, optional, null when absent or null.
 * @param headSlotEntropy {@code head_slot_entropy}, optional, null when absent or null.
 * @param headBlueprintEntropy {@code head_blueprint_entropy}, optional, null when absent or null.
 * @param headSlotGradNorm {@code head_slot_grad_norm}, optional, null when absent or null.
 * @param headBlueprintGradNorm {@code head_blueprint_grad_norm}, optional, null when absent or null.
 * @param headStyleEntropy {@code head_style_entropy}, optional, null when absent or null.
 * @param headTempoEntropy {@code head_tempo_entropy}, optional, null when absent or null.
 * @param headAlphaTargetEntropy {@code head_alpha_target_entropy}, optional, null when absent or null.
 * @param headAlphaSpeedEntropy {@code head_alpha_speed_entropy}, optional, null when absent or null.
 * @param headAlphaCurveEntropy {@code head_alpha_curve_entropy}, optional, null when absent or null.
 * @param headOpEntropy {@code head_op_entropy}, optional, null when absent or null.
 * @param innerEpoch {@code inner_epoch}, optional, default {@code 0}.
 * @param batch {@code batch}, optional, default {@code 0}.
 * @param skipped {@code skipped}, optional, default {@code false}.
 */
public record PpoUpdate(
    double policyLoss,
    double valueLoss,
    double entropy,
    double gradNorm,
    double klDivergence,
    double clipFraction,
    int nanGradCount,
    Double explainedVariance,
    double entropyLoss,
    double advantageMean,
    double advantageStd,
    double ratioMean,
    double ratioMin,
    double ratioMax,
    double ratioStd,
    Double lr,
    Double entropyCoef,
    int infGradCount,
    int deadLayers,
    int explodingLayers,
    Map<String, Double> layerGradientHealth,
    boolean entropyCollapsed,
    Double lossScale,
    boolean ampOverflowDetected,
    boolean updateSkipped,
    double updateTimeMs,
    Integer earlyStopEpoch,
    Map<String, Double> headSlotEntropy,
    Map<String, Double> headBlueprintEntropy,
    Map<String, Double> headSlotGradNorm,
    Map<String, Double> headBlueprintGradNorm,
    Map<String, Double> headStyleEntropy,
    Map<String, Double> headTempoEntropy,
    Map<String, Double> headAlphaTargetEntropy,
    Map<String, Double> headAlphaSpeedEntropy,
    Map<String, Double> headAlphaCurveEntropy,
    Map<String, Double> headOpEntropy,
    int innerEpoch,
    int batch,
    boolean skipped) implements EsperPayload
{
    /** The payload's name in problems. */
    static final String NAME = "PpoUpdate";

    /**
     * Check required references and copy the lists and maps, so the payload is immutable.
     */
    public PpoUpdate
    {
        layerGradientHealth = null == layerGradientHealth ? null : EsperValues.freezeMap(layerGradientHealth);
        headSlotEntropy = null == headSlotEntropy ? null : EsperValues.freezeMap(headSlotEntropy);
        headBlueprintEntropy = null == headBlueprintEntropy ? null : EsperValues.freezeMap(headBlueprintEntropy);
        headSlotGradNorm = null == headSlotGradNorm ? null : EsperValues.freezeMap(headSlotGradNorm);
        headBlueprintGradNorm = null == headBlueprintGradNorm ? null : EsperValues.freezeMap(headBlueprintGradNorm);
        headStyleEntropy = null == headStyleEntropy ? null : EsperValues.freezeMap(headStyleEntropy);
        headTempoEntropy = null == headTempoEntropy ? null : EsperValues.freezeMap(headTempoEntropy);
        headAlphaTargetEntropy = null == headAlphaTargetEntropy ? null : EsperValues.freezeMap(headAlphaTargetEntropy);
        headAlphaSpeedEntropy = null == headAlphaSpeedEntropy ? null : EsperValues.freezeMap(headAlphaSpeedEntropy);
        headAlphaCurveEntropy = null == headAlphaCurveEntropy ? null : EsperValues.freezeMap(headAlphaCurveEntropy);
        headOpEntropy = null == headOpEntropy ? null : EsperValues.freezeMap(headOpEntropy);
    }

    /**
     * Read the payload from its wire form.
     *
     * @param map the payload's keys; keys beyond the spec are ignored.
     * @return the payload.
     * @throws EsperFormatException if a required key is missing or a value has the wrong type.
     */
    public static PpoUpdate fromMap(final Map<String, ?> map)
    {
        final PayloadFields fields = new PayloadFields(NAME, map);
        return new PpoUpdate(
            fields.requiredDouble(EsperWire.POLICY_LOSS),
            fields.requiredDouble(EsperWire.VALUE_LOSS),
            fields.requiredDouble(EsperWire.ENTROPY),
            fields.requiredDouble(EsperWire.GRAD_NORM),
            fields.requiredDouble(EsperWire.KL_DIVERGENCE),
            fields.requiredDouble(EsperWire.CLIP_FRACTION),
            fields.requiredInt(EsperWire.NAN_GRAD_COUNT),
            fields.nullableDouble(EsperWire.EXPLAINED_VARIANCE),
            fields.optionalDouble(EsperWire.ENTROPY_LOSS, 0.0),
            fields.optionalDouble(EsperWire.ADVANTAGE_MEAN, 0.0),
            fields.optionalDouble(EsperWire.ADVANTAGE_STD, 0.0),
            fields.optionalDouble(EsperWire.RATIO_MEAN, 1.0),
            fields.optionalDouble(EsperWire.RATIO_MIN, 1.0),
            fields.optionalDouble(EsperWire.RATIO_MAX, 1.0),
            fields.optionalDouble(EsperWire.RATIO_STD, 0.0),
            fields.nullableDouble(EsperWire.LR),
            fields.nullableDouble(EsperWire.ENTROPY_COEF),
            fields.optionalInt(EsperWire.INF_GRAD_COUNT, 0),
            fields.optionalInt(EsperWire.DEAD_LAYERS, 0),
            fields.optionalInt(EsperWire.EXPLODING_LAYERS, 0),
            fields.nullableDoubleMap(EsperWire.LAYER_GRADIENT_HEALTH),
            fields.optionalBoolean(EsperWire.ENTROPY_COLLAPSED, false),
            fields.nullableDouble(EsperWire.LOSS_SCALE),
            fields.optionalBoolean(EsperWire.AMP_OVERFLOW_DETECTED, false),
            fields.optionalBoolean(EsperWire.UPDATE_SKIPPED, false),
            fields.optionalDouble(EsperWire.UPDATE_TIME_MS, 0.0),
            fields.nullableInt(EsperWire.EARLY_STOP_EPOCH),
            fields.nullableDoubleMap(EsperWire.HEAD_SLOT_ENTROPY),
            fields.nullableDoubleMap(EsperWire.HEAD_BLUEPRINT_ENTROPY),
            fields.nullableDoubleMap(EsperWire.HEAD_SLOT_GRAD_NORM),
            fields.nullableDoubleMap(EsperWire.HEAD_BLUEPRINT_GRAD_NORM),
            fields.nullableDoubleMap(EsperWire.HEAD_STYLE_ENTROPY),
            fields.nullableDoubleMap(EsperWire.HEAD_TEMPO_ENTROPY),
            fields.nullableDoubleMap(EsperWire.HEAD_ALPHA_TARGET_ENTROPY),
            fields.nullableDoubleMap(EsperWire.HEAD_ALPHA_SPEED_ENTROPY),
            fields.nullableDoubleMap(EsperWire.HEAD_ALPHA_CURVE_ENTROPY),
            fields.nullableDoubleMap(EsperWire.HEAD_OP_ENTROPY),
            fields.optionalInt(EsperWire.INNER_EPOCH, 0),
            fields.optionalInt(EsperWire.BATCH, 0),
            fields.optionalBoolean(EsperWire.SKIPPED, false));
    }

    /**
     * Read the payload from a JSON object, as {@link #fromMap} does.
     *
     * @param json the payload's object.
     * @return the payload.
     * @throws EsperFormatException if it is not an object, a required key is missing or a value has the wrong type.
     */
    public static PpoUpdate fromJson(final JsonNode json)
    {
        return fromMap(EsperPayload.jsonObject(NAME, json));
    }

    @Override
    public EsperEventType eventType()
    {
        return EsperEventType.PPO_UPDATE_COMPLETED;
    }

    @Override
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>(80);
        map.put(EsperWire.POLICY_LOSS, policyLoss);
        map.put(EsperWire.VALUE_LOSS, valueLoss);
        map.put(EsperWire.ENTROPY, entropy);
        map.put(EsperWire.GRAD_NORM, gradNorm);
        map.put(EsperWire.KL_DIVERGENCE, klDivergence);
        map.put(EsperWire.CLIP_FRACTION, clipFraction);
        map.put(EsperWire.NAN_GRAD_COUNT, nanGradCount);
        map.put(EsperWire.EXPLAINED_VARIANCE, explainedVariance);
        map.put(EsperWire.ENTROPY_LOSS, entropyLoss);
        map.put(EsperWire.ADVANTAGE_MEAN, advantageMean);
        map.put(EsperWire.ADVANTAGE_STD, advantageStd);
        map.put(EsperWire.RATIO_MEAN, ratioMean);
        map.put(EsperWire.RATIO_MIN, ratioMin);
        map.put(EsperWire.RATIO_MAX, ratioMax);
        map.put(EsperWire.RATIO_STD, ratioStd);
        map.put(EsperWire.LR, lr);
        map.put(EsperWire.ENTROPY_COEF, entropyCoef);
        map.put(EsperWire.INF_GRAD_COUNT, infGradCount);
        map.put(EsperWire.DEAD_LAYERS, deadLayers);
        map.put(EsperWire.EXPLODING_LAYERS, explodingLayers);
        map.put(EsperWire.LAYER_GRADIENT_HEALTH, layerGradientHealth);
        map.put(EsperWire.ENTROPY_COLLAPSED, entropyCollapsed);
        map.put(EsperWire.LOSS_SCALE, lossScale);
        map.put(EsperWire.AMP_OVERFLOW_DETECTED, ampOverflowDetected);
        map.put(EsperWire.UPDATE_SKIPPED, updateSkipped);
        map.put(EsperWire.UPDATE_TIME_MS, updateTimeMs);
        map.put(EsperWire.EARLY_STOP_EPOCH, earlyStopEpoch);
        map.put(EsperWire.HEAD_SLOT_ENTROPY, headSlotEntropy);
        map.put(EsperWire.HEAD_BLUEPRINT_ENTROPY, headBlueprintEntropy);
        map.put(EsperWire.HEAD_SLOT_GRAD_NORM, headSlotGradNorm);
        map.put(EsperWire.HEAD_BLUEPRINT_GRAD_NORM, headBlueprintGradNorm);
        map.put(EsperWire.HEAD_STYLE_ENTROPY, headStyleEntropy);
        map.put(EsperWire.HEAD_TEMPO_ENTROPY, headTempoEntropy);
        map.put(EsperWire.HEAD_ALPHA_TARGET_ENTROPY, headAlphaTargetEntropy);
        map.put(EsperWire.HEAD_ALPHA_SPEED_ENTROPY, headAlphaSpeedEntropy);
        map.put(EsperWire.HEAD_ALPHA_CURVE_ENTROPY, headAlphaCurveEntropy);
        map.put(EsperWire.HEAD_OP_ENTROPY, headOpEntropy);
        map.put(EsperWire.INNER_EPOCH, innerEpoch);
        map.put(EsperWire.BATCH, batch);
        map.put(EsperWire.SKIPPED, skipped);
        return Collections.unmodifiableMap(map);
    }
}
