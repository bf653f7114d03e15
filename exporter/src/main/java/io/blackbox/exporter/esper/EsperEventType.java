package io.blackbox.exporter.esper;

import java.util.Map;
import java.util.function.Function;

/**
 * The event types of esper-lite's {@code TelemetryEventType} at the spec's date and since (the union, in its order,
 * so a name any version writes is known), written on the wire by their names. Eleven carry a
 * typed payload of {@code specs/esper-typed-payloads.md}; the others have none, and since the spec removes the
 * {@code dict} fallback an event of such a type cannot be read ({@link #readPayload}).
 */
public enum EsperEventType
{
    /** A seed was germinated: {@link SeedGerminated}. */
    SEED_GERMINATED(SeedGerminated.class, SeedGerminated::fromMap),
    /** A seed changed stage: {@link SeedStageChanged}. */
    SEED_STAGE_CHANGED(SeedStageChanged.class, SeedStageChanged::fromMap),
    /** No typed payload. */
    SEED_GATE_EVALUATED(null, null),
    /** A seed was fossilized: {@link SeedFossilized}. */
    SEED_FOSSILIZED(SeedFossilized.class, SeedFossilized::fromMap),
    /** A seed was pruned: {@link SeedPruned}. */
    SEED_PRUNED(SeedPruned.class, SeedPruned::fromMap),
    /** One environment finished an epoch: {@link EpochCompleted}. */
    EPOCH_COMPLETED(EpochCompleted.class, EpochCompleted::fromMap),
    /** A batch of episodes finished, the commit barrier: {@link BatchEpochCompleted}. */
    BATCH_EPOCH_COMPLETED(BatchEpochCompleted.class, BatchEpochCompleted::fromMap),
    /** No typed payload. */
    PLATEAU_DETECTED(null, null),
    /** No typed payload. */
    DEGRADATION_DETECTED(null, null),
    /** No typed payload. */
    IMPROVEMENT_DETECTED(null, null),
    /** No typed payload. */
    TAMIYO_INITIATED(null, null),
    /** No typed payload. */
    ISOLATION_VIOLATION(null, null),
    /** No typed payload. */
    GRADIENT_ANOMALY(null, null),
    /** No typed payload. */
    PERFORMANCE_DEGRADATION(null, null),
    /** A PPO update finished: {@link PpoUpdate}. */
    PPO_UPDATE_COMPLETED(PpoUpdate.class, PpoUpdate::fromMap),
    /** No typed payload. */
    MEMORY_WARNING(null, null),
    /** No typed payload. */
    REWARD_HACKING_SUSPECTED(null, null),
    /** A reward was computed for one step: {@link RewardComputed}. */
    REWARD_COMPUTED(RewardComputed.class, RewardComputed::fromMap),
    /** No typed payload. */
    RATIO_EXPLOSION_DETECTED(null, null),
    /** No typed payload. */
    RATIO_COLLAPSE_DETECTED(null, null),
    /** No typed payload. */
    VALUE_COLLAPSE_DETECTED(null, null),
    /** No typed payload. */
    GRADIENT_PATHOLOGY_DETECTED(null, null),
    /** No typed payload. */
    NUMERICAL_INSTABILITY_DETECTED(null, null),
    /** No typed payload. */
    GOVERNOR_PANIC(null, null),
    /** No typed payload. */
    GOVERNOR_ROLLBACK(null, null),
    /** No typed payload. */
    GOVERNOR_SNAPSHOT(null, null),
    /** Training began: {@link TrainingStarted}. */
    TRAINING_STARTED(TrainingStarted.class, TrainingStarted::fromMap),
    /** No typed payload. */
    CHECKPOINT_SAVED(null, null),
    /** No typed payload. */
    CHECKPOINT_LOADED(null, null),
    /** No typed payload. */
    COUNTERFACTUAL_COMPUTED(null, null),
    /** A factorial ablation was computed: {@link CounterfactualMatrix}. */
    COUNTERFACTUAL_MATRIX_COMPUTED(CounterfactualMatrix.class, CounterfactualMatrix::fromMap),
    /** A snapshot for dashboards: {@link AnalyticsSnapshot}. */
    ANALYTICS_SNAPSHOT(AnalyticsSnapshot.class, AnalyticsSnapshot::fromMap),
    /** No typed payload. */
    EPISODE_OUTCOME(null, null);

    private final Class<? extends EsperPayload> payloadType;
    private final Function<Map<String, ?>, ? extends EsperPayload> reader;

    EsperEventType(
        final Class<? extends EsperPayload> payloadType,
        final Function<Map<String, ?>, ? extends EsperPayload> reader)
    {
        this.payloadType = payloadType;
        this.reader = reader;
    }

    /**
     * @return the payload type events of this type carry, or null when the spec gives them none.
     */
    public Class<? extends EsperPayload> payloadType()
    {
        return payloadType;
    }

    /**
     * @return whether events of this type carry a typed payload and so can be read and written.
     */
    public boolean hasPayload()
    {
        return null != payloadType;
    }

    /**
     * Read the payload of an event of this type.
     *
     * @param data the payload's wire form.
     * @return the payload, of {@link #payloadType()}.
     * @throws EsperFormatException if this type has no typed payload, or the map is not this type's payload.
     */
    public EsperPayload readPayload(final Map<String, ?> data)
    {
        if (null == reader)
        {
            throw new EsperFormatException(EsperWire.EVENT_TYPE, noPayload());
        }
        return reader.apply(data);
    }

    /**
     * The event type of a wire name.
     *
     * @param name the name as written, e.g. {@code PPO_UPDATE_COMPLETED}.
     * @return the type, or null when the name is not one.
     */
    public static EsperEventType ofWireName(final String name)
    {
        for (final EsperEventType type : values())
        {
            if (type.name().equals(name))
            {
                return type;
            }
        }
        return null;
    }

    String noPayload()
    {
        return name() + " has no typed payload in the spec, and the spec reads no untyped data";
    }
}
