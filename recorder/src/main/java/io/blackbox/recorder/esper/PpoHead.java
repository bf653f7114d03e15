package io.blackbox.recorder.esper;

/**
 * The heads of esper-lite's factored policy whose per-head maps a {@code PPO_UPDATE_COMPLETED} event may carry, in the
 * payload's order: {@code head_slot_entropy} ... {@code head_op_entropy}.
 */
public enum PpoHead
{
    /** {@code head_slot_entropy}. */
    SLOT_ENTROPY,
    /** {@code head_blueprint_entropy}. */
    BLUEPRINT_ENTROPY,
    /** {@code head_slot_grad_norm}. */
    SLOT_GRAD_NORM,
    /** {@code head_blueprint_grad_norm}. */
    BLUEPRINT_GRAD_NORM,
    /** {@code head_style_entropy}. */
    STYLE_ENTROPY,
    /** {@code head_tempo_entropy}. */
    TEMPO_ENTROPY,
    /** {@code head_alpha_target_entropy}. */
    ALPHA_TARGET_ENTROPY,
    /** {@code head_alpha_speed_entropy}. */
    ALPHA_SPEED_ENTROPY,
    /** {@code head_alpha_curve_entropy}. */
    ALPHA_CURVE_ENTROPY,
    /** {@code head_op_entropy}. */
    OP_ENTROPY
}
