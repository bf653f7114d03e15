package io.blackbox.exporter.esper;

import java.util.List;

/**
 * Every name Esper telemetry uses on the wire, defined once: the envelope keys of a {@code TelemetryEvent} in the
 * order esper-lite's {@code nissa} file output writes them, the envelope defaults, and the payload keys of
 * {@code specs/esper-typed-payloads.md} in each payload dataclass's field order (the order {@code dataclasses.asdict}
 * writes them). The event type names are the constants of {@link EsperEventType}.
 * <p>
 * A key shared by several payloads ({@code env_id}, {@code slot_id}, ...) is defined once and listed in each
 * payload's key list.
 */
public final class EsperWire
{
    /** The family's name: its future command-line word and its directory under an export root. */
    public static final String FAMILY = "esper";

    // The envelope, in the order the original writes it (message before data, as its dataclass declares them).
    /** Envelope key: a UUID, written in its canonical lower-case form. */
    public static final String EVENT_ID = "event_id";
    /** Envelope key: the event type by its enum name, e.g. {@code PPO_UPDATE_COMPLETED}. */
    public static final String EVENT_TYPE = "event_type";
    /** Envelope key: ISO-8601 with microseconds and {@code +00:00}; Python omits {@code .000000}. */
    public static final String TIMESTAMP = "timestamp";
    /** Envelope key: the seed, a string or null. */
    public static final String SEED_ID = "seed_id";
    /** Envelope key and payload key: the slot, a string (null allowed in the envelope). */
    public static final String SLOT_ID = "slot_id";
    /** Envelope key: the epoch, an integer or null. */
    public static final String EPOCH = "epoch";
    /** Envelope key: the A/B group, {@value #DEFAULT_GROUP_ID} unless given. */
    public static final String GROUP_ID = "group_id";
    /** Envelope key: free text, {@code ""} unless given. */
    public static final String MESSAGE = "message";
    /** Envelope key: the typed payload, an object. */
    public static final String DATA = "data";
    /** Envelope key: {@code debug, info, warning, error, critical}; {@value #DEFAULT_SEVERITY} unless given. */
    public static final String SEVERITY = "severity";

    /** The envelope keys in the original's order. */
    public static final List<String> ENVELOPE_KEYS =
        List.of(EVENT_ID, EVENT_TYPE, TIMESTAMP, SEED_ID, SLOT_ID, EPOCH, GROUP_ID, MESSAGE, DATA, SEVERITY);

    /** {@value #GROUP_ID} when the envelope has none. */
    public static final String DEFAULT_GROUP_ID = "default";
    /** {@value #MESSAGE} when the envelope has none. */
    public static final String DEFAULT_MESSAGE = "";
    /** {@value #SEVERITY} when the envelope has none. */
    public static final String DEFAULT_SEVERITY = "info";

    // Payload keys shared by several payloads.
    /** Payload key: the environment index. */
    public static final String ENV_ID = "env_id";
    /** Payload key: the slots, a list of strings. */
    public static final String SLOT_IDS = "slot_ids";
    /** Payload key: number of environments. */
    public static final String N_ENVS = "n_envs";
    /** Payload key: learning rate. */
    public static final String LR = "lr";
    /** Payload key: entropy coefficient. */
    public static final String ENTROPY_COEF = "entropy_coef";
    /** Payload key: first episode of a resumed run. */
    public static final String START_EPISODE = "start_episode";
    /** Payload key: inner (PPO or host) epoch. */
    public static final String INNER_EPOCH = "inner_epoch";
    /** Payload key: the blueprint of a seed. */
    public static final String BLUEPRINT_ID = "blueprint_id";
    /** Payload key: the blending weight. */
    public static final String ALPHA = "alpha";
    /** Payload key: gradient ratio of a seed. */
    public static final String GRAD_RATIO = "grad_ratio";
    /** Payload key: the seed has vanishing gradients. */
    public static final String HAS_VANISHING = "has_vanishing";
    /** Payload key: the seed has exploding gradients. */
    public static final String HAS_EXPLODING = "has_exploding";
    /** Payload key: epochs the seed has spent in its stage. */
    public static final String EPOCHS_IN_STAGE = "epochs_in_stage";
    /** Payload key: accuracy improvement a seed brought. */
    public static final String IMPROVEMENT = "improvement";
    /** Payload key: epochs a seed lived. */
    public static final String EPOCHS_TOTAL = "epochs_total";
    /** Payload key: the seed's counterfactual contribution. */
    public static final String COUNTERFACTUAL = "counterfactual";
    /** Payload key: total reward of a step. */
    public static final String TOTAL_REWARD = "total_reward";
    /** Payload key: the action taken. */
    public static final String ACTION_NAME = "action_name";
    /** Payload key: the critic's value estimate. */
    public static final String VALUE_ESTIMATE = "value_estimate";
    /** Payload key: the policy's probability of the action taken. */
    public static final String ACTION_CONFIDENCE = "action_confidence";
    /** Payload key: the policy entropy. */
    public static final String ENTROPY = "entropy";

    // TrainingStartedPayload.
    /** TRAINING_STARTED: epochs per episode. */
    public static final String MAX_EPOCHS = "max_epochs";
    /** TRAINING_STARTED: the task preset. */
    public static final String TASK = "task";
    /** TRAINING_STARTED: host parameters after materialization. */
    public static final String HOST_PARAMS = "host_params";
    /** TRAINING_STARTED: the random seed. */
    public static final String SEED = "seed";
    /** TRAINING_STARTED: episodes to run. */
    public static final String N_EPISODES = "n_episodes";
    /** TRAINING_STARTED: PPO clip ratio. */
    public static final String CLIP_RATIO = "clip_ratio";
    /** TRAINING_STARTED: parameter budget for seeds. */
    public static final String PARAM_BUDGET = "param_budget";
    /** TRAINING_STARTED: the policy's device. */
    public static final String POLICY_DEVICE = "policy_device";
    /** TRAINING_STARTED: the environments' devices, a list of strings. */
    public static final String ENV_DEVICES = "env_devices";
    /** TRAINING_STARTED: the episode identifier. */
    public static final String EPISODE_ID = "episode_id";
    /** TRAINING_STARTED: the checkpoint resumed from. */
    public static final String RESUME_PATH = "resume_path";
    /** TRAINING_STARTED: the reward mode. */
    public static final String REWARD_MODE = "reward_mode";
    /** TRAINING_STARTED: the entropy annealing schedule, an object of floats or null. */
    public static final String ENTROPY_ANNEAL = "entropy_anneal";
    /** TRAINING_STARTED: distributed world size. */
    public static final String WORLD_SIZE = "world_size";
    /** TRAINING_STARTED: distributed rank. */
    public static final String RANK = "rank";
    /** TRAINING_STARTED: distributed local rank. */
    public static final String LOCAL_RANK = "local_rank";
    /** TRAINING_STARTED: automatic mixed precision is on. */
    public static final String AMP_ENABLED = "amp_enabled";
    /** TRAINING_STARTED: the AMP dtype, {@code float16}, {@code bfloat16} or null. */
    public static final String AMP_DTYPE = "amp_dtype";
    /** TRAINING_STARTED: torch.compile is on. */
    public static final String COMPILE_ENABLED = "compile_enabled";
    /** TRAINING_STARTED: the torch.compile backend or null. */
    public static final String COMPILE_BACKEND = "compile_backend";
    /** TRAINING_STARTED: the torch.compile mode or null. */
    public static final String COMPILE_MODE = "compile_mode";

    /** TrainingStartedPayload's keys in its field order. */
    public static final List<String> TRAINING_STARTED_KEYS = List.of(N_ENVS, MAX_EPOCHS, TASK, HOST_PARAMS,
        SLOT_IDS, SEED, N_EPISODES, LR, CLIP_RATIO, ENTROPY_COEF, PARAM_BUDGET, POLICY_DEVICE, ENV_DEVICES,
        EPISODE_ID, RESUME_PATH, REWARD_MODE, START_EPISODE, ENTROPY_ANNEAL, WORLD_SIZE, RANK, LOCAL_RANK,
        AMP_ENABLED, AMP_DTYPE, COMPILE_ENABLED, COMPILE_BACKEND, COMPILE_MODE);

    // EpochCompletedPayload.
    /** EPOCH_COMPLETED: validation accuracy. */
    public static final String VAL_ACCURACY = "val_accuracy";
    /** EPOCH_COMPLETED: validation loss. */
    public static final String VAL_LOSS = "val_loss";
    /** EPOCH_COMPLETED: per-seed snapshots, an object of objects or null. */
    public static final String SEEDS = "seeds";

    /** EpochCompletedPayload's keys in its field order. */
    public static final List<String> EPOCH_COMPLETED_KEYS =
        List.of(ENV_ID, VAL_ACCURACY, VAL_LOSS, INNER_EPOCH, SEEDS);

    // BatchEpochCompletedPayload.
    /** BATCH_EPOCH_COMPLETED: episodes completed so far. */
    public static final String EPISODES_COMPLETED = "episodes_completed";
    /** BATCH_EPOCH_COMPLETED: the batch. */
    public static final String BATCH_IDX = "batch_idx";
    /** BATCH_EPOCH_COMPLETED: mean accuracy over the environments. */
    public static final String AVG_ACCURACY = "avg_accuracy";
    /** BATCH_EPOCH_COMPLETED: mean reward. */
    public static final String AVG_REWARD = "avg_reward";
    /** BATCH_EPOCH_COMPLETED: episodes the run will have. */
    public static final String TOTAL_EPISODES = "total_episodes";
    /** BATCH_EPOCH_COMPLETED: rolling accuracy. */
    public static final String ROLLING_ACCURACY = "rolling_accuracy";
    /** BATCH_EPOCH_COMPLETED: accuracy per environment, a list of floats or null. */
    public static final String ENV_ACCURACIES = "env_accuracies";

    /** BatchEpochCompletedPayload's keys in its field order. */
    public static final List<String> BATCH_EPOCH_COMPLETED_KEYS = List.of(EPISODES_COMPLETED, BATCH_IDX,
        AVG_ACCURACY, AVG_REWARD, TOTAL_EPISODES, N_ENVS, ROLLING_ACCURACY, ENV_ACCURACIES);

    // PPOUpdatePayload.
    /** PPO_UPDATE_COMPLETED: policy loss. */
    public static final String POLICY_LOSS = "policy_loss";
    /** PPO_UPDATE_COMPLETED: value loss. */
    public static final String VALUE_LOSS = "value_loss";
    /** PPO_UPDATE_COMPLETED: gradient norm; {@code Infinity} on an AMP overflow. */
    public static final String GRAD_NORM = "grad_norm";
    /** PPO_UPDATE_COMPLETED: KL divergence between old and new policy. */
    public static final String KL_DIVERGENCE = "kl_divergence";
    /** PPO_UPDATE_COMPLETED: fraction of clipped ratios. */
    public static final String CLIP_FRACTION = "clip_fraction";
    /** PPO_UPDATE_COMPLETED: gradients that were NaN. */
    public static final String NAN_GRAD_COUNT = "nan_grad_count";
    /** PPO_UPDATE_COMPLETED: explained variance; NaN early in training, or null. */
    public static final String EXPLAINED_VARIANCE = "explained_variance";
    /** PPO_UPDATE_COMPLETED: entropy loss. */
    public static final String ENTROPY_LOSS = "entropy_loss";
    /** PPO_UPDATE_COMPLETED: advantage mean. */
    public static final String ADVANTAGE_MEAN = "advantage_mean";
    /** PPO_UPDATE_COMPLETED: advantage standard deviation. */
    public static final String ADVANTAGE_STD = "advantage_std";
    /** PPO_UPDATE_COMPLETED: mean probability ratio. */
    public static final String RATIO_MEAN = "ratio_mean";
    /** PPO_UPDATE_COMPLETED: smallest probability ratio. */
    public static final String RATIO_MIN = "ratio_min";
    /** PPO_UPDATE_COMPLETED: largest probability ratio. */
    public static final String RATIO_MAX = "ratio_max";
    /** PPO_UPDATE_COMPLETED: probability ratio standard deviation. */
    public static final String RATIO_STD = "ratio_std";
    /** PPO_UPDATE_COMPLETED: gradients that were infinite. */
    public static final String INF_GRAD_COUNT = "inf_grad_count";
    /** PPO_UPDATE_COMPLETED: layers with vanishing gradients. */
    public static final String DEAD_LAYERS = "dead_layers";
    /** PPO_UPDATE_COMPLETED: layers with exploding gradients. */
    public static final String EXPLODING_LAYERS = "exploding_layers";
    /** PPO_UPDATE_COMPLETED: gradient health per layer, an object of floats or null. */
    public static final String LAYER_GRADIENT_HEALTH = "layer_gradient_health";
    /** PPO_UPDATE_COMPLETED: entropy collapsed. */
    public static final String ENTROPY_COLLAPSED = "entropy_collapsed";
    /** PPO_UPDATE_COMPLETED: the AMP loss scale or null. */
    public static final String LOSS_SCALE = "loss_scale";
    /** PPO_UPDATE_COMPLETED: AMP overflowed. */
    public static final String AMP_OVERFLOW_DETECTED = "amp_overflow_detected";
    /** PPO_UPDATE_COMPLETED: the optimizer step was skipped. */
    public static final String UPDATE_SKIPPED = "update_skipped";
    /** PPO_UPDATE_COMPLETED: update time in milliseconds. */
    public static final String UPDATE_TIME_MS = "update_time_ms";
    /** PPO_UPDATE_COMPLETED: the epoch of an early stop, or null. */
    public static final String EARLY_STOP_EPOCH = "early_stop_epoch";
    /** PPO_UPDATE_COMPLETED: slot head entropy, an object of floats or null. */
    public static final String HEAD_SLOT_ENTROPY = "head_slot_entropy";
    /** PPO_UPDATE_COMPLETED: blueprint head entropy. */
    public static final String HEAD_BLUEPRINT_ENTROPY = "head_blueprint_entropy";
    /** PPO_UPDATE_COMPLETED: slot head gradient norm. */
    public static final String HEAD_SLOT_GRAD_NORM = "head_slot_grad_norm";
    /** PPO_UPDATE_COMPLETED: blueprint head gradient norm. */
    public static final String HEAD_BLUEPRINT_GRAD_NORM = "head_blueprint_grad_norm";
    /** PPO_UPDATE_COMPLETED: style head entropy. */
    public static final String HEAD_STYLE_ENTROPY = "head_style_entropy";
    /** PPO_UPDATE_COMPLETED: tempo head entropy. */
    public static final String HEAD_TEMPO_ENTROPY = "head_tempo_entropy";
    /** PPO_UPDATE_COMPLETED: alpha target head entropy. */
    public static final String HEAD_ALPHA_TARGET_ENTROPY = "head_alpha_target_entropy";
    /** PPO_UPDATE_COMPLETED: alpha speed head entropy. */
    public static final String HEAD_ALPHA_SPEED_ENTROPY = "head_alpha_speed_entropy";
    /** PPO_UPDATE_COMPLETED: alpha curve head entropy. */
    public static final String HEAD_ALPHA_CURVE_ENTROPY = "head_alpha_curve_entropy";
    /** PPO_UPDATE_COMPLETED: op head entropy. */
    public static final String HEAD_OP_ENTROPY = "head_op_entropy";
    /** PPO_UPDATE_COMPLETED: the batch. */
    public static final String BATCH = "batch";
    /** PPO_UPDATE_COMPLETED: the update was skipped. */
    public static final String SKIPPED = "skipped";

    /** PPOUpdatePayload's keys in its field order. */
    public static final List<String> PPO_UPDATE_KEYS = List.of(POLICY_LOSS, VALUE_LOSS, ENTROPY, GRAD_NORM,
        KL_DIVERGENCE, CLIP_FRACTION, NAN_GRAD_COUNT, EXPLAINED_VARIANCE, ENTROPY_LOSS, ADVANTAGE_MEAN,
        ADVANTAGE_STD, RATIO_MEAN, RATIO_MIN, RATIO_MAX, RATIO_STD, LR, ENTROPY_COEF, INF_GRAD_COUNT, DEAD_LAYERS,
        EXPLODING_LAYERS, LAYER_GRADIENT_HEALTH, ENTROPY_COLLAPSED, LOSS_SCALE, AMP_OVERFLOW_DETECTED,
        UPDATE_SKIPPED, UPDATE_TIME_MS, EARLY_STOP_EPOCH, HEAD_SLOT_ENTROPY, HEAD_BLUEPRINT_ENTROPY,
        HEAD_SLOT_GRAD_NORM, HEAD_BLUEPRINT_GRAD_NORM, HEAD_STYLE_ENTROPY, HEAD_TEMPO_ENTROPY,
        HEAD_ALPHA_TARGET_ENTROPY, HEAD_ALPHA_SPEED_ENTROPY, HEAD_ALPHA_CURVE_ENTROPY, HEAD_OP_ENTROPY, INNER_EPOCH,
        BATCH, SKIPPED);

    // RewardComputedPayload.
    /** REWARD_COMPUTED: accuracy change of the host. */
    public static final String BASE_ACC_DELTA = "base_acc_delta";
    /** REWARD_COMPUTED: bounded attribution. */
    public static final String BOUNDED_ATTRIBUTION = "bounded_attribution";
    /** REWARD_COMPUTED: seed contribution. */
    public static final String SEED_CONTRIBUTION = "seed_contribution";
    /** REWARD_COMPUTED: compute rent. */
    public static final String COMPUTE_RENT = "compute_rent";
    /** REWARD_COMPUTED: alpha shock. */
    public static final String ALPHA_SHOCK = "alpha_shock";
    /** REWARD_COMPUTED: ratio penalty. */
    public static final String RATIO_PENALTY = "ratio_penalty";
    /** REWARD_COMPUTED: stage bonus. */
    public static final String STAGE_BONUS = "stage_bonus";
    /** REWARD_COMPUTED: terminal bonus for fossilizing. */
    public static final String FOSSILIZE_TERMINAL_BONUS = "fossilize_terminal_bonus";
    /** REWARD_COMPUTED: blending warning. */
    public static final String BLENDING_WARNING = "blending_warning";
    /** REWARD_COMPUTED: holding warning. */
    public static final String HOLDING_WARNING = "holding_warning";
    /** REWARD_COMPUTED: validation accuracy. */
    public static final String VAL_ACC = "val_acc";
    /** REWARD_COMPUTED: state per slot, an object of objects or null. */
    public static final String SLOT_STATES = "slot_states";
    /** REWARD_COMPUTED: host accuracy. */
    public static final String HOST_ACCURACY = "host_accuracy";
    /** REWARD_COMPUTED: the actions considered, a list of objects or null. */
    public static final String ALTERNATIVES = "alternatives";
    /** REWARD_COMPUTED: entropy of the decision. */
    public static final String DECISION_ENTROPY = "decision_entropy";
    /** REWARD_COMPUTED: the A/B group or null. */
    public static final String AB_GROUP = "ab_group";
    /** REWARD_COMPUTED: the slot acted on or null. */
    public static final String ACTION_SLOT = "action_slot";

    /** RewardComputedPayload's keys in its field order. */
    public static final List<String> REWARD_COMPUTED_KEYS = List.of(ENV_ID, TOTAL_REWARD, ACTION_NAME,
        VALUE_ESTIMATE, ACTION_CONFIDENCE, BASE_ACC_DELTA, BOUNDED_ATTRIBUTION, SEED_CONTRIBUTION, COMPUTE_RENT,
        ALPHA_SHOCK, RATIO_PENALTY, STAGE_BONUS, FOSSILIZE_TERMINAL_BONUS, BLENDING_WARNING, HOLDING_WARNING,
        VAL_ACC, SLOT_STATES, HOST_ACCURACY, ALTERNATIVES, DECISION_ENTROPY, AB_GROUP, ACTION_SLOT);

    // Seed lifecycle payloads.
    /** SEED_GERMINATED: parameters of the seed. */
    public static final String PARAMS = "params";
    /** SEED_GERMINATED: blend tempo in epochs. */
    public static final String BLEND_TEMPO_EPOCHS = "blend_tempo_epochs";
    /** SEED_STAGE_CHANGED: the stage left (the spec's name; the original's reader once read {@code from}). */
    public static final String FROM_STAGE = "from_stage";
    /** SEED_STAGE_CHANGED: the stage entered (the spec's name; the original's reader once read {@code to}). */
    public static final String TO_STAGE = "to_stage";
    /** SEED_STAGE_CHANGED: accuracy change. */
    public static final String ACCURACY_DELTA = "accuracy_delta";
    /** SEED_FOSSILIZED: parameters grafted into the host. */
    public static final String PARAMS_ADDED = "params_added";
    /** SEED_PRUNED: why. */
    public static final String REASON = "reason";
    /** SEED_PRUNED: pruned automatically. */
    public static final String AUTO_PRUNED = "auto_pruned";

    /** SeedGerminatedPayload's keys in its field order. */
    public static final List<String> SEED_GERMINATED_KEYS = List.of(SLOT_ID, ENV_ID, BLUEPRINT_ID, PARAMS, ALPHA,
        GRAD_RATIO, HAS_VANISHING, HAS_EXPLODING, EPOCHS_IN_STAGE, BLEND_TEMPO_EPOCHS);
    /** SeedStageChangedPayload's keys in its field order. */
    public static final List<String> SEED_STAGE_CHANGED_KEYS = List.of(SLOT_ID, ENV_ID, FROM_STAGE, TO_STAGE,
        ALPHA, ACCURACY_DELTA, EPOCHS_IN_STAGE, GRAD_RATIO, HAS_VANISHING, HAS_EXPLODING);
    /** SeedFossilizedPayload's keys in its field order. */
    public static final List<String> SEED_FOSSILIZED_KEYS = List.of(SLOT_ID, ENV_ID, BLUEPRINT_ID, IMPROVEMENT,
        PARAMS_ADDED, ALPHA, EPOCHS_TOTAL, COUNTERFACTUAL);
    /** SeedPrunedPayload's keys in its field order. */
    public static final List<String> SEED_PRUNED_KEYS = List.of(SLOT_ID, ENV_ID, REASON, BLUEPRINT_ID, IMPROVEMENT,
        AUTO_PRUNED, EPOCHS_TOTAL, COUNTERFACTUAL);

    // CounterfactualMatrixPayload.
    /** COUNTERFACTUAL_MATRIX_COMPUTED: the ablation configurations, a list of objects. */
    public static final String CONFIGS = "configs";
    /** COUNTERFACTUAL_MATRIX_COMPUTED: the strategy, {@value #DEFAULT_STRATEGY} unless given. */
    public static final String STRATEGY = "strategy";
    /** COUNTERFACTUAL_MATRIX_COMPUTED: compute time in milliseconds. */
    public static final String COMPUTE_TIME_MS = "compute_time_ms";
    /** {@value #STRATEGY} when the payload has none. */
    public static final String DEFAULT_STRATEGY = "unavailable";

    /** CounterfactualMatrixPayload's keys in its field order. */
    public static final List<String> COUNTERFACTUAL_MATRIX_KEYS =
        List.of(ENV_ID, SLOT_IDS, CONFIGS, STRATEGY, COMPUTE_TIME_MS);

    // AnalyticsSnapshotPayload.
    /** ANALYTICS_SNAPSHOT: {@code action_distribution} or {@code last_action}. */
    public static final String KIND = "kind";
    /** ANALYTICS_SNAPSHOT: count per action, an object of integers or null. */
    public static final String ACTION_COUNTS = "action_counts";

    /** AnalyticsSnapshotPayload's keys in its field order. */
    public static final List<String> ANALYTICS_SNAPSHOT_KEYS = List.of(KIND, ACTION_COUNTS, ENV_ID, TOTAL_REWARD,
        ACTION_NAME, ACTION_CONFIDENCE, VALUE_ESTIMATE);

    private EsperWire()
    {
    }
}
