package io.blackbox.exporter.ppo;

import java.util.List;

/**
 * Every name PPO telemetry uses on the wire, defined once: the keys of an epoch record in the order townlet's harness
 * writes them, the {@code data_mode} strings and the version numbers of {@code specs/ppo-telemetry-v1.1.md}. Export,
 * validator, importer, watch and summary use these; the JSON Schema ({@code ppo-v1.1.schema.json}) repeats them by
 * nature.
 * <p>
 * A record is one flat JSON object per PPO epoch, one line of {@code ROOT/ppo/<run>.jsonl}; it names no run (the file
 * does). Every number is written as a float ({@code 1.0}, not {@code 1}), counts included, as the original writes
 * them.
 */
public final class PpoWire
{
    /** The family's name: its command-line word and its directory under an export root. */
    public static final String FAMILY = "ppo";

    /** {@value #TELEMETRY_VERSION} of a record without the 1.1 keys. */
    public static final double VERSION_1_0 = 1.0;
    /** {@value #TELEMETRY_VERSION} of a record with the 1.1 keys, the default. */
    public static final double VERSION_1_1 = 1.1;
    /** The versions of the spec this family writes and reads, for help. */
    public static final List<String> SPEC_VERSIONS = List.of("ppo telemetry 1.0", "ppo telemetry 1.1");

    // The 1.0 keys, in the harness's order.
    /** 1.0: the epoch, counted from 1. */
    public static final String EPOCH = "epoch";
    /** 1.0: mini-batch updates in the epoch. */
    public static final String UPDATES = "updates";
    /** 1.0: transitions processed in the epoch. */
    public static final String TRANSITIONS = "transitions";
    /** 1.0: mean policy loss over the mini-batches. */
    public static final String LOSS_POLICY = "loss_policy";
    /** 1.0: mean value loss. */
    public static final String LOSS_VALUE = "loss_value";
    /** 1.0: mean entropy loss. */
    public static final String LOSS_ENTROPY = "loss_entropy";
    /** 1.0: mean total loss. */
    public static final String LOSS_TOTAL = "loss_total";
    /** 1.0: mean fraction of clipped ratios, in [0, 1]. */
    public static final String CLIP_FRACTION = "clip_fraction";
    /** 1.0: mean advantage. */
    public static final String ADV_MEAN = "adv_mean";
    /** 1.0: advantage standard deviation. */
    public static final String ADV_STD = "adv_std";
    /** 1.0: mean gradient norm. */
    public static final String GRAD_NORM = "grad_norm";
    /** 1.0: mean KL divergence. */
    public static final String KL_DIVERGENCE = "kl_divergence";
    /** 1.0: {@value #VERSION_1_0} or {@value #VERSION_1_1}, a number. */
    public static final String TELEMETRY_VERSION = "telemetry_version";
    /** 1.0: the learning rate. */
    public static final String LR = "lr";
    /** 1.0: optimizer steps so far in the run. */
    public static final String STEPS = "steps";

    /** The keys every record carries, 1.0 and 1.1, in the harness's order. */
    public static final List<String> KEYS_1_0 = List.of(EPOCH, UPDATES, TRANSITIONS, LOSS_POLICY, LOSS_VALUE,
        LOSS_ENTROPY, LOSS_TOTAL, CLIP_FRACTION, ADV_MEAN, ADV_STD, GRAD_NORM, KL_DIVERGENCE, TELEMETRY_VERSION, LR, STEPS);

    // Mini-batch health keys newer producers add after the 1.0 keys, in either version.
    /** Health: mini-batches whose advantages had zero standard deviation. */
    public static final String ADV_ZERO_STD_BATCHES = "adv_zero_std_batches";
    /** Health: the smallest per-mini-batch advantage standard deviation. */
    public static final String ADV_MIN_STD = "adv_min_std";
    /** Health: mini-batches with a clip fraction above zero. */
    public static final String CLIP_TRIGGERED_MINIBATCHES = "clip_triggered_minibatches";
    /** Health: the largest per-mini-batch clip fraction. */
    public static final String CLIP_FRACTION_MAX = "clip_fraction_max";

    /** The health keys, in the harness's order; a record carries all four or none. */
    public static final List<String> HEALTH_KEYS =
        List.of(ADV_ZERO_STD_BATCHES, ADV_MIN_STD, CLIP_TRIGGERED_MINIBATCHES, CLIP_FRACTION_MAX);

    // The ten keys 1.1 adds, in the harness's order.
    /** 1.1: wall-clock seconds of the epoch. */
    public static final String EPOCH_DURATION_SEC = "epoch_duration_sec";
    /** 1.1: where the epoch's data came from, one of {@link #DATA_MODES}. */
    public static final String DATA_MODE = "data_mode";
    /** 1.1: rollout cycles so far, 0 when replay-only. */
    public static final String CYCLE_ID = "cycle_id";
    /** 1.1: mean entropy over the epoch's mini-batches. */
    public static final String BATCH_ENTROPY_MEAN = "batch_entropy_mean";
    /** 1.1: population standard deviation of the mini-batch entropies (0 for one mini-batch). */
    public static final String BATCH_ENTROPY_STD = "batch_entropy_std";
    /** 1.1: the largest mini-batch gradient norm. */
    public static final String GRAD_NORM_MAX = "grad_norm_max";
    /** 1.1: the largest mini-batch KL divergence. */
    public static final String KL_DIVERGENCE_MAX = "kl_divergence_max";
    /** 1.1: Pearson correlation of every transition's reward and advantage, 0.0 when either has zero variance. */
    public static final String REWARD_ADVANTAGE_CORR = "reward_advantage_corr";
    /** 1.1: environment ticks captured for the epoch's data, 0 for pure replay. */
    public static final String ROLLOUT_TICKS = "rollout_ticks";
    /** 1.1: the record's number in the run's stream, from 1, never reset. */
    public static final String LOG_STREAM_OFFSET = "log_stream_offset";

    /** The keys 1.1 adds, in the harness's order; a 1.0 record carries none of them. */
    public static final List<String> KEYS_1_1 = List.of(EPOCH_DURATION_SEC, DATA_MODE, CYCLE_ID, BATCH_ENTROPY_MEAN,
        BATCH_ENTROPY_STD, GRAD_NORM_MAX, KL_DIVERGENCE_MAX, REWARD_ADVANTAGE_CORR, ROLLOUT_TICKS, LOG_STREAM_OFFSET);

    /** {@value #DATA_MODE}: data from a replay manifest. */
    public static final String DATA_MODE_REPLAY = "replay";
    /** {@value #DATA_MODE}: data from the in-memory rollout buffer. */
    public static final String DATA_MODE_ROLLOUT = "rollout";
    /** {@value #DATA_MODE}: alternating rollout and replay cycles. */
    public static final String DATA_MODE_MIXED = "mixed";
    /** The values of {@value #DATA_MODE}, by the codec's enum order. */
    public static final List<String> DATA_MODES = List.of(DATA_MODE_REPLAY, DATA_MODE_ROLLOUT, DATA_MODE_MIXED);

    // Extra keys townlet's tools need beyond the spec (samples/README.md).
    /** Extra, 1.1 records: queue conflicts in the epoch's data; townlet's validator requires it. */
    public static final String QUEUE_CONFLICT_EVENTS = "queue_conflict_events";
    /** Extra, 1.1 records: summed queue conflict intensity; townlet's validator requires it. */
    public static final String QUEUE_CONFLICT_INTENSITY_SUM = "queue_conflict_intensity_sum";
    /** The conflict keys townlet's validator requires on every record. */
    public static final List<String> RIVALRY_KEYS = List.of("conflict.rivalry_max_mean_avg",
        "conflict.rivalry_max_max_avg", "conflict.rivalry_avoid_count_mean_avg", "conflict.rivalry_avoid_count_max_avg");
    /** Extra keys with this prefix are baselines: drift is measured against them. */
    public static final String BASELINE_PREFIX = "baseline_";
    /** Extra keys with this prefix are per-batch conflict averages. */
    public static final String CONFLICT_PREFIX = "conflict.";

    private PpoWire()
    {
    }
}
