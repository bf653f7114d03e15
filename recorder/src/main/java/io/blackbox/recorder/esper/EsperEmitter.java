package io.blackbox.recorder.esper;

import io.blackbox.codecs.EsperEpochCompletedEncoder;
import io.blackbox.codecs.EsperEventCode;
import io.blackbox.codecs.EsperEventEncoder;
import io.blackbox.codecs.EsperPpoUpdateEncoder;
import io.blackbox.codecs.EsperRewardComputedEncoder;
import io.blackbox.codecs.EsperSeverity;
import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.esper.EsperMessageLengths;
import io.blackbox.jni.NativeSupport;
import io.blackbox.recorder.EmitterContext;
import io.blackbox.recorder.JsonValues;
import io.blackbox.recorder.RecordWriter;
import io.blackbox.recorder.VarData;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochNanoClock;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits the Esper events of one run ({@code specs/esper-typed-payloads.md}): a {@code TelemetryEvent} a record, a line
 * of {@code ROOT/esper/<run>.jsonl} in the export.
 * <p>
 * The three events a training loop sends per step or update have a typed call whose parameters are the payload's
 * required fields (a missing one does not compile) and which returns a builder for the optional ones and the
 * envelope; {@code commit()} writes the record:
 * <pre>
 * esper.rewardComputed(envId, totalReward, actionWait, valueEstimate, confidence).stageBonus(0.1).epoch(3).commit();
 * esper.ppoUpdate(policyLoss, valueLoss, entropy, gradNorm, kl, clipFraction, nanGrads).lr(3e-4).commit();
 * esper.epochCompleted(envId, valAccuracy, valLoss, innerEpoch).commit();
 * </pre>
 * These allocate nothing, lock nothing and make no system call, unless a dict or list field
 * ({@code slot_states}, {@code alternatives}, {@code layer_gradient_health}, {@code head_*}, {@code seeds}) or a
 * message text is given: those become JSON or UTF-8 at commit, off the zero-allocation path. Strings that repeat
 * (action names, slot, seed and group ids) are symbols ({@link #symbol}), looked up once. An optional field not set is
 * the spec's default, or None where the spec's field may be None; NaN is a value, not an absence.
 * <p>
 * Every other payload goes through {@link #event(EsperEventCode, Map)}: its keys as the spec names them, written as
 * JSON (allocating); the export reads each such payload into its typed form and reports one that does not make its
 * type (a missing required key, a wrong type) as damage, naming the key. The exporter's payload records build such
 * a map typed ({@code new SeedGerminated(...).toMap()}).
 * <p>
 * {@code event_id}: a version 4 UUID from this emitter's own generator, seeded from the system's entropy
 * ({@link NativeSupport#entropySeed()}), or from {@link #eventIdSeed} for a reproducible recording.
 * <p>
 * Not thread-safe: one emitter per thread ({@code recorder.emitter(EsperEmitter::new, runId)}). Builders are reused:
 * commit one before starting the next. {@code commit()} returns true when the record is in the ring, false when it was
 * not recorded (counted in {@link io.blackbox.recorder.Recorder#droppedRecords()}); the recorder's state never throws
 * out of it.
 */
public final class EsperEmitter implements AutoCloseable
{
    /** Longest JSON of a hot event's dict and list fields (2-byte length in the record). */
    public static final int MAX_STRUCTURES_BYTES = 65_534;

    private final EmitterContext context;
    private final RecordWriter writer;
    private final AtomicBuffer buffer;
    private final EpochNanoClock clock;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final EsperRewardComputedEncoder rewardEncoder = new EsperRewardComputedEncoder();
    private final EsperPpoUpdateEncoder ppoUpdateEncoder = new EsperPpoUpdateEncoder();
    private final EsperEpochCompletedEncoder epochEncoder = new EsperEpochCompletedEncoder();
    private final EsperEventEncoder eventEncoder = new EsperEventEncoder();
    private final RewardComputed reward = new RewardComputed();
    private final PpoUpdate ppoUpdate = new PpoUpdate();
    private final EpochCompleted epochCompleted = new EpochCompleted();
    private final Event event = new Event();
    private long eventIdState;
    private int run;

    /**
     * Prefer {@code recorder.emitter(EsperEmitter::new, runId)}.
     *
     * @param context this emitter's writer, clock and run, and the recorder's symbols.
     */
    public EsperEmitter(final EmitterContext context)
    {
        this.context = context;
        this.writer = context.writer();
        this.buffer = writer.buffer();
        this.clock = context.clock();
        this.run = context.runSymbol();
        this.eventIdState = NativeSupport.entropySeed();
    }

    /**
     * Give this emitter's lane of the ring back (see {@link RecordWriter#close()}).
     */
    @Override
    public void close()
    {
        writer.close();
    }

    /**
     * Make the event ids that follow a function of {@code seed}: the same seed, the same ids (tests, golden files).
     *
     * @return this emitter.
     */
    public EsperEmitter eventIdSeed(final long seed)
    {
        eventIdState = seed;
        return this;
    }

    /**
     * @return the symbol for a string that repeats (an action name, a slot, seed or group id), looked up once and then
     * given to the calls that take one; {@link EmitterContext#NO_SYMBOL} when its definition could not be written yet
     * (a record given it is not recorded, and counted as dropped).
     */
    public int symbol(final String value)
    {
        return context.symbol(value);
    }

    // ------------------------------------------------------------------ the typed calls

    /**
     * A {@code REWARD_COMPUTED} event with {@code RewardComputedPayload}'s required fields.
     *
     * @param actionName the symbol of {@code action_name}.
     * @return the event's builder: optional fields, the envelope, then {@link RewardComputed#commit()}.
     */
    public RewardComputed rewardComputed(final int envId, final double totalReward, final int actionName,
        final double valueEstimate, final double actionConfidence)
    {
        return reward.reset(envId, totalReward, actionName, valueEstimate, actionConfidence);
    }

    /**
     * A {@code PPO_UPDATE_COMPLETED} event with {@code PPOUpdatePayload}'s required fields.
     *
     * @return the event's builder: optional fields, the envelope, then {@link PpoUpdate#commit()}.
     */
    public PpoUpdate ppoUpdate(final double policyLoss, final double valueLoss, final double entropy,
        final double gradNorm, final double klDivergence, final double clipFraction, final int nanGradCount)
    {
        return ppoUpdate.reset(policyLoss, valueLoss, entropy, gradNorm, klDivergence, clipFraction, nanGradCount);
    }

    /**
     * An {@code EPOCH_COMPLETED} event with {@code EpochCompletedPayload}'s required fields.
     *
     * @return the event's builder: {@code seeds}, the envelope, then {@link EpochCompleted#commit()}.
     */
    public EpochCompleted epochCompleted(final int envId, final double valAccuracy, final double valLoss,
        final int innerEpoch)
    {
        return epochCompleted.reset(envId, valAccuracy, valLoss, innerEpoch);
    }

    /**
     * Any event with a typed payload, its payload's keys as the spec names them (any {@link JsonValues} value). Off
     * the zero-allocation path: the payload becomes JSON here.
     *
     * @param type the event type; the export refuses a type without a typed payload.
     * @param data the payload's keys, in the order to write them.
     * @return the event's builder: the envelope, then {@link Event#commit()}.
     * @throws IllegalArgumentException when a value cannot be JSON.
     */
    public Event event(final EsperEventCode type, final Map<String, ?> data)
    {
        if (null == data)
        {
            throw new IllegalArgumentException("an Esper event's data is required");
        }
        return event.reset(type, JsonValues.toJson(data, false));
    }

    /**
     * Any event with a typed payload, its payload as JSON text as a producer wrote it (importers): the key order and
     * keys beyond the spec are kept.
     *
     * @param type        the event type.
     * @param payloadJson the payload object's JSON text, UTF-8.
     * @return the event's builder: the envelope, then {@link Event#commit()}.
     */
    public Event eventJson(final EsperEventCode type, final byte[] payloadJson)
    {
        if (null == payloadJson || payloadJson.length == 0)
        {
            throw new IllegalArgumentException("an Esper event's data is required");
        }
        return event.reset(type, payloadJson);
    }

    private long nextEventIdBits()
    {
        // SplitMix64: a full-period sequence of well-mixed 64-bit values from one long of state.
        long z = (eventIdState += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ------------------------------------------------------------------ builders

    /**
     * The envelope every event carries, set on any builder.
     *
     * @param <T> the builder.
     */
    public abstract class Envelope<T extends Envelope<T>>
    {
        long timestamp;
        boolean explicitId;
        long idHigh;
        long idLow;
        long epoch;
        int seedId;
        int slotId;
        int groupId;
        EsperSeverity severity;
        byte[] message;
        boolean undefinedSymbol;

        abstract T self();

        void resetEnvelope()
        {
            timestamp = Long.MIN_VALUE;
            explicitId = false;
            epoch = EsperEventEncoder.epochNullValue();
            seedId = EmitterContext.NO_SYMBOL;
            slotId = EmitterContext.NO_SYMBOL;
            groupId = EmitterContext.NO_SYMBOL;
            severity = EsperSeverity.INFO;
            message = VarData.EMPTY;
            undefinedSymbol = false;
        }

        /**
         * @param epoch {@code epoch}; None unless set.
         * @return this builder.
         */
        public T epoch(final long epoch)
        {
            this.epoch = epoch;
            return self();
        }

        /**
         * @param seedId the symbol of {@code seed_id}; None unless set.
         * @return this builder.
         */
        public T seedId(final int seedId)
        {
            this.seedId = symbolOrMark(seedId);
            return self();
        }

        /**
         * @param slotId the symbol of {@code slot_id}; None unless set.
         * @return this builder.
         */
        public T slotId(final int slotId)
        {
            this.slotId = symbolOrMark(slotId);
            return self();
        }

        /**
         * @param groupId the symbol of {@code group_id}; {@code "default"} unless set.
         * @return this builder.
         */
        public T groupId(final int groupId)
        {
            this.groupId = symbolOrMark(groupId);
            return self();
        }

        /**
         * @param severity {@code severity}; {@code info} unless set.
         * @return this builder.
         */
        public T severity(final EsperSeverity severity)
        {
            this.severity = null == severity || EsperSeverity.NULL_VAL == severity ? EsperSeverity.INFO : severity;
            return self();
        }

        /**
         * Off the zero-allocation path: the text becomes UTF-8 here.
         *
         * @param message {@code message}; empty unless set.
         * @return this builder.
         */
        public T message(final String message)
        {
            this.message = null == message ? VarData.EMPTY : message.getBytes(StandardCharsets.UTF_8);
            return self();
        }

        /**
         * @param epochNanos the event's time (importers); the emitter's clock at commit unless set. The export writes
         *                   it to the microsecond.
         * @return this builder.
         */
        public T timestamp(final long epochNanos)
        {
            this.timestamp = epochNanos;
            return self();
        }

        /**
         * @param mostSignificantBits  the event id's (importers); a new version 4 UUID unless set.
         * @param leastSignificantBits its low half.
         * @return this builder.
         */
        public T eventId(final long mostSignificantBits, final long leastSignificantBits)
        {
            explicitId = true;
            idHigh = mostSignificantBits;
            idLow = leastSignificantBits;
            return self();
        }

        private int symbolOrMark(final int symbol)
        {
            if (EmitterContext.NO_SYMBOL == symbol)
            {
                undefinedSymbol = true;
            }
            return symbol;
        }

        /**
         * @return whether the record may be written: every symbol defined, the run's included.
         */
        boolean ready()
        {
            if (undefinedSymbol)
            {
                return false;
            }
            if (EmitterContext.NO_SYMBOL == run)
            {
                run = context.runSymbol();
            }
            return EmitterContext.NO_SYMBOL != run;
        }

        long timestampOrNow()
        {
            return timestamp == Long.MIN_VALUE ? clock.nanoTime() : timestamp;
        }

        void takeEventId()
        {
            if (!explicitId)
            {
                // A version 4 (random) UUID: version nibble 4, variant bits 10.
                idHigh = (nextEventIdBits() & ~0xF000L) | 0x4000L;
                idLow = (nextEventIdBits() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            }
        }
    }

    /**
     * A {@code REWARD_COMPUTED} event being built; every optional field is the spec's default unless set.
     */
    public final class RewardComputed extends Envelope<RewardComputed>
    {
        private int envId;
        private double totalReward;
        private int actionName;
        private double valueEstimate;
        private double actionConfidence;
        private double baseAccDelta;
        private double boundedAttribution;
        private double seedContribution;
        private double computeRent;
        private double alphaShock;
        private double ratioPenalty;
        private double stageBonus;
        private double fossilizeTerminalBonus;
        private double blendingWarning;
        private double holdingWarning;
        private double valAcc;
        private double hostAccuracy;
        private double decisionEntropy;
        private int abGroup;
        private int actionSlot;
        private Map<String, ?> slotStates;
        private List<?> alternatives;

        RewardComputed self()
        {
            return this;
        }

        RewardComputed reset(final int envId, final double totalReward, final int actionName,
            final double valueEstimate, final double actionConfidence)
        {
            resetEnvelope();
            this.envId = envId;
            this.totalReward = totalReward;
            this.actionName = actionName;
            if (EmitterContext.NO_SYMBOL == actionName)
            {
                undefinedSymbol = true;
            }
            this.valueEstimate = valueEstimate;
            this.actionConfidence = actionConfidence;
            baseAccDelta = 0;
            boundedAttribution = 0;
            seedContribution = 0;
            computeRent = 0;
            alphaShock = 0;
            ratioPenalty = 0;
            stageBonus = 0;
            fossilizeTerminalBonus = 0;
            blendingWarning = 0;
            holdingWarning = 0;
            valAcc = 0;
            hostAccuracy = 0;
            decisionEntropy = 0;
            abGroup = EmitterContext.NO_SYMBOL;
            actionSlot = EmitterContext.NO_SYMBOL;
            slotStates = null;
            alternatives = null;
            return this;
        }

        /** @return this builder, with {@code base_acc_delta}. */
        public RewardComputed baseAccDelta(final double value)
        {
            baseAccDelta = value;
            return this;
        }

        /** @return this builder, with {@code bounded_attribution}. */
        public RewardComputed boundedAttribution(final double value)
        {
            boundedAttribution = value;
            return this;
        }

        /** @return this builder, with {@code seed_contribution}. */
        public RewardComputed seedContribution(final double value)
        {
            seedContribution = value;
            return this;
        }

        /** @return this builder, with {@code compute_rent}. */
        public RewardComputed computeRent(final double value)
        {
            computeRent = value;
            return this;
        }

        /** @return this builder, with {@code alpha_shock}. */
        public RewardComputed alphaShock(final double value)
        {
            alphaShock = value;
            return this;
        }

        /** @return this builder, with {@code ratio_penalty}. */
        public RewardComputed ratioPenalty(final double value)
        {
            ratioPenalty = value;
            return this;
        }

        /** @return this builder, with {@code stage_bonus}. */
        public RewardComputed stageBonus(final double value)
        {
            stageBonus = value;
            return this;
        }

        /** @return this builder, with {@code fossilize_terminal_bonus}. */
        public RewardComputed fossilizeTerminalBonus(final double value)
        {
            fossilizeTerminalBonus = value;
            return this;
        }

        /** @return this builder, with {@code blending_warning}. */
        public RewardComputed blendingWarning(final double value)
        {
            blendingWarning = value;
            return this;
        }

        /** @return this builder, with {@code holding_warning}. */
        public RewardComputed holdingWarning(final double value)
        {
            holdingWarning = value;
            return this;
        }

        /** @return this builder, with {@code val_acc}. */
        public RewardComputed valAcc(final double value)
        {
            valAcc = value;
            return this;
        }

        /** @return this builder, with {@code host_accuracy}. */
        public RewardComputed hostAccuracy(final double value)
        {
            hostAccuracy = value;
            return this;
        }

        /** @return this builder, with {@code decision_entropy}. */
        public RewardComputed decisionEntropy(final double value)
        {
            decisionEntropy = value;
            return this;
        }

        /** @return this builder, with the symbol of {@code ab_group} (None unless set). */
        public RewardComputed abGroup(final int symbol)
        {
            abGroup = symbol;
            undefinedSymbol |= EmitterContext.NO_SYMBOL == symbol;
            return this;
        }

        /** @return this builder, with the symbol of {@code action_slot} (None unless set). */
        public RewardComputed actionSlot(final int symbol)
        {
            actionSlot = symbol;
            undefinedSymbol |= EmitterContext.NO_SYMBOL == symbol;
            return this;
        }

        /**
         * Off the zero-allocation path: becomes JSON at commit.
         *
         * @return this builder, with {@code slot_states} (slot id to its state's keys; None unless set).
         */
        public RewardComputed slotStates(final Map<String, ?> value)
        {
            slotStates = value;
            return this;
        }

        /**
         * Off the zero-allocation path: becomes JSON at commit.
         *
         * @return this builder, with {@code alternatives} (None unless set).
         */
        public RewardComputed alternatives(final List<?> value)
        {
            alternatives = value;
            return this;
        }

        /**
         * @return true when recorded.
         * @throws IllegalArgumentException when the dict and list fields are not JSON values, or too long.
         */
        public boolean commit()
        {
            if (!ready())
            {
                return context.refuse();
            }
            byte[] structures = VarData.EMPTY;
            if (null != slotStates || null != alternatives)
            {
                final Map<String, Object> json = new LinkedHashMap<>();
                if (null != slotStates)
                {
                    json.put("slot_states", slotStates);
                }
                if (null != alternatives)
                {
                    json.put("alternatives", alternatives);
                }
                structures = VarData.orEmpty(JsonValues.toJson(json, false), MAX_STRUCTURES_BYTES,
                    "slot_states and alternatives of a REWARD_COMPUTED event");
            }
            final int index = writer.claim(EsperRewardComputedEncoder.TEMPLATE_ID,
                EsperMessageLengths.rewardComputed(structures.length, message.length));
            if (index < 0)
            {
                return false;
            }
            takeEventId();
            try
            {
                rewardEncoder.wrapAndApplyHeader(buffer, index, header)
                    .timestamp(timestampOrNow())
                    .eventIdHigh(idHigh)
                    .eventIdLow(idLow)
                    .epoch(epoch)
                    .totalReward(totalReward)
                    .valueEstimate(valueEstimate)
                    .actionConfidence(actionConfidence)
                    .baseAccDelta(baseAccDelta)
                    .boundedAttribution(boundedAttribution)
                    .seedContribution(seedContribution)
                    .computeRent(computeRent)
                    .alphaShock(alphaShock)
                    .ratioPenalty(ratioPenalty)
                    .stageBonus(stageBonus)
                    .fossilizeTerminalBonus(fossilizeTerminalBonus)
                    .blendingWarning(blendingWarning)
                    .holdingWarning(holdingWarning)
                    .valAcc(valAcc)
                    .hostAccuracy(hostAccuracy)
                    .decisionEntropy(decisionEntropy)
                    .run(run)
                    .seedId(seedId)
                    .slotId(slotId)
                    .groupId(groupId)
                    .envId(envId)
                    .actionName(actionName)
                    .abGroup(abGroup)
                    .actionSlot(actionSlot)
                    .severity(severity)
                    .putStructures(structures, 0, structures.length)
                    .putMessage(message, 0, message.length);
            }
            catch (final RuntimeException ex)
            {
                writer.abort(index);
                throw ex;
            }
            writer.commit(index);
            return true;
        }
    }

    /**
     * A {@code PPO_UPDATE_COMPLETED} event being built; every optional field is the spec's default (or None) unless
     * set.
     */
    public final class PpoUpdate extends Envelope<PpoUpdate>
    {
        /** The dict fields, in the payload's order: their keys in the JSON the record carries. */
        private static final String[] MAP_KEYS = {
            "layer_gradient_health", "head_slot_entropy", "head_blueprint_entropy", "head_slot_grad_norm",
            "head_blueprint_grad_norm", "head_style_entropy", "head_tempo_entropy", "head_alpha_target_entropy",
            "head_alpha_speed_entropy", "head_alpha_curve_entropy", "head_op_entropy" };

        private double policyLoss;
        private double valueLoss;
        private double entropy;
        private double gradNorm;
        private double klDivergence;
        private double clipFraction;
        private int nanGradCount;
        private boolean hasExplainedVariance;
        private double explainedVariance;
        private double entropyLoss;
        private double advantageMean;
        private double advantageStd;
        private double ratioMean;
        private double ratioMin;
        private double ratioMax;
        private double ratioStd;
        private boolean hasLr;
        private double lr;
        private boolean hasEntropyCoef;
        private double entropyCoef;
        private int infGradCount;
        private int deadLayers;
        private int explodingLayers;
        private boolean entropyCollapsed;
        private boolean hasLossScale;
        private double lossScale;
        private boolean ampOverflowDetected;
        private boolean updateSkipped;
        private double updateTimeMs;
        private boolean hasEarlyStopEpoch;
        private int earlyStopEpoch;
        private int innerEpoch;
        private int batch;
        private boolean skipped;
        private final Map<?, ?>[] maps = new Map<?, ?>[MAP_KEYS.length];
        private boolean anyMap;

        PpoUpdate self()
        {
            return this;
        }

        PpoUpdate reset(final double policyLoss, final double valueLoss, final double entropy, final double gradNorm,
            final double klDivergence, final double clipFraction, final int nanGradCount)
        {
            resetEnvelope();
            this.policyLoss = policyLoss;
            this.valueLoss = valueLoss;
            this.entropy = entropy;
            this.gradNorm = gradNorm;
            this.klDivergence = klDivergence;
            this.clipFraction = clipFraction;
            this.nanGradCount = nanGradCount;
            hasExplainedVariance = false;
            explainedVariance = 0;
            entropyLoss = 0;
            advantageMean = 0;
            advantageStd = 0;
            ratioMean = 1.0;
            ratioMin = 1.0;
            ratioMax = 1.0;
            ratioStd = 0;
            hasLr = false;
            lr = 0;
            hasEntropyCoef = false;
            entropyCoef = 0;
            infGradCount = 0;
            deadLayers = 0;
            explodingLayers = 0;
            entropyCollapsed = false;
            hasLossScale = false;
            lossScale = 0;
            ampOverflowDetected = false;
            updateSkipped = false;
            updateTimeMs = 0;
            hasEarlyStopEpoch = false;
            earlyStopEpoch = 0;
            innerEpoch = 0;
            batch = 0;
            skipped = false;
            if (anyMap)
            {
                java.util.Arrays.fill(maps, null);
                anyMap = false;
            }
            return this;
        }

        /** @return this builder, with {@code explained_variance} (None unless set; NaN is a value). */
        public PpoUpdate explainedVariance(final double value)
        {
            hasExplainedVariance = true;
            explainedVariance = value;
            return this;
        }

        /** @return this builder, with {@code entropy_loss}. */
        public PpoUpdate entropyLoss(final double value)
        {
            entropyLoss = value;
            return this;
        }

        /** @return this builder, with {@code advantage_mean} and {@code advantage_std}. */
        public PpoUpdate advantage(final double mean, final double std)
        {
            advantageMean = mean;
            advantageStd = std;
            return this;
        }

        /** @return this builder, with {@code ratio_mean}, {@code ratio_min}, {@code ratio_max}, {@code ratio_std}. */
        public PpoUpdate ratio(final double mean, final double min, final double max, final double std)
        {
            ratioMean = mean;
            ratioMin = min;
            ratioMax = max;
            ratioStd = std;
            return this;
        }

        /** @return this builder, with {@code lr} (None unless set). */
        public PpoUpdate lr(final double value)
        {
            hasLr = true;
            lr = value;
            return this;
        }

        /** @return this builder, with {@code entropy_coef} (None unless set). */
        public PpoUpdate entropyCoef(final double value)
        {
            hasEntropyCoef = true;
            entropyCoef = value;
            return this;
        }

        /** @return this builder, with {@code inf_grad_count}. */
        public PpoUpdate infGradCount(final int value)
        {
            infGradCount = value;
            return this;
        }

        /** @return this builder, with {@code dead_layers} and {@code exploding_layers}. */
        public PpoUpdate layers(final int dead, final int exploding)
        {
            deadLayers = dead;
            explodingLayers = exploding;
            return this;
        }

        /** @return this builder, with {@code entropy_collapsed}. */
        public PpoUpdate entropyCollapsed(final boolean value)
        {
            entropyCollapsed = value;
            return this;
        }

        /** @return this builder, with {@code loss_scale} (None unless set). */
        public PpoUpdate lossScale(final double value)
        {
            hasLossScale = true;
            lossScale = value;
            return this;
        }

        /** @return this builder, with {@code amp_overflow_detected}. */
        public PpoUpdate ampOverflowDetected(final boolean value)
        {
            ampOverflowDetected = value;
            return this;
        }

        /** @return this builder, with {@code update_skipped}. */
        public PpoUpdate updateSkipped(final boolean value)
        {
            updateSkipped = value;
            return this;
        }

        /** @return this builder, with {@code update_time_ms}. */
        public PpoUpdate updateTimeMs(final double value)
        {
            updateTimeMs = value;
            return this;
        }

        /** @return this builder, with {@code early_stop_epoch} (None unless set). */
        public PpoUpdate earlyStopEpoch(final int value)
        {
            hasEarlyStopEpoch = true;
            earlyStopEpoch = value;
            return this;
        }

        /** @return this builder, with {@code inner_epoch} and {@code batch}. */
        public PpoUpdate position(final int innerEpoch, final int batch)
        {
            this.innerEpoch = innerEpoch;
            this.batch = batch;
            return this;
        }

        /** @return this builder, with {@code skipped}. */
        public PpoUpdate skipped(final boolean value)
        {
            skipped = value;
            return this;
        }

        /**
         * Off the zero-allocation path: becomes JSON at commit.
         *
         * @return this builder, with {@code layer_gradient_health} (None unless set).
         */
        public PpoUpdate layerGradientHealth(final Map<String, ? extends Number> value)
        {
            return map(0, value);
        }

        /**
         * Off the zero-allocation path: becomes JSON at commit.
         *
         * @param head the head: {@link PpoHead}.
         * @return this builder, with that head's {@code head_*} map (None unless set).
         */
        public PpoUpdate head(final PpoHead head, final Map<String, ? extends Number> value)
        {
            return map(1 + head.ordinal(), value);
        }

        private PpoUpdate map(final int index, final Map<String, ?> value)
        {
            maps[index] = value;
            anyMap |= null != value;
            return this;
        }

        /**
         * @return true when recorded.
         * @throws IllegalArgumentException when a map is not JSON values, or the maps are too long.
         */
        public boolean commit()
        {
            if (!ready())
            {
                return context.refuse();
            }
            byte[] mapsJson = VarData.EMPTY;
            if (anyMap)
            {
                final Map<String, Object> json = new LinkedHashMap<>();
                for (int i = 0; i < MAP_KEYS.length; i++)
                {
                    if (null != maps[i])
                    {
                        json.put(MAP_KEYS[i], maps[i]);
                    }
                }
                mapsJson = VarData.orEmpty(JsonValues.toJson(json, false), MAX_STRUCTURES_BYTES,
                    "layer_gradient_health and head_* maps of a PPO_UPDATE_COMPLETED event");
            }
            final int index = writer.claim(EsperPpoUpdateEncoder.TEMPLATE_ID,
                EsperMessageLengths.ppoUpdate(mapsJson.length, message.length));
            if (index < 0)
            {
                return false;
            }
            takeEventId();
            try
            {
                final EsperPpoUpdateEncoder encoder = ppoUpdateEncoder.wrapAndApplyHeader(buffer, index, header)
                    .timestamp(timestampOrNow())
                    .eventIdHigh(idHigh)
                    .eventIdLow(idLow)
                    .epoch(epoch)
                    .policyLoss(policyLoss)
                    .valueLoss(valueLoss)
                    .entropy(entropy)
                    .gradNorm(gradNorm)
                    .klDivergence(klDivergence)
                    .clipFraction(clipFraction)
                    .explainedVariance(explainedVariance)
                    .entropyLoss(entropyLoss)
                    .advantageMean(advantageMean)
                    .advantageStd(advantageStd)
                    .ratioMean(ratioMean)
                    .ratioMin(ratioMin)
                    .ratioMax(ratioMax)
                    .ratioStd(ratioStd)
                    .lr(lr)
                    .entropyCoef(entropyCoef)
                    .lossScale(lossScale)
                    .updateTimeMs(updateTimeMs)
                    .run(run)
                    .seedId(seedId)
                    .slotId(slotId)
                    .groupId(groupId)
                    .nanGradCount(nanGradCount)
                    .infGradCount(infGradCount)
                    .deadLayers(deadLayers)
                    .explodingLayers(explodingLayers)
                    .earlyStopEpoch(earlyStopEpoch)
                    .innerEpoch(innerEpoch)
                    .batch(batch)
                    .severity(severity);
                encoder.fields().clear()
                    .explainedVariance(hasExplainedVariance)
                    .lr(hasLr)
                    .entropyCoef(hasEntropyCoef)
                    .lossScale(hasLossScale)
                    .earlyStopEpoch(hasEarlyStopEpoch)
                    .entropyCollapsed(entropyCollapsed)
                    .ampOverflowDetected(ampOverflowDetected)
                    .updateSkipped(updateSkipped)
                    .skipped(skipped);
                encoder.putMaps(mapsJson, 0, mapsJson.length).putMessage(message, 0, message.length);
            }
            catch (final RuntimeException ex)
            {
                writer.abort(index);
                throw ex;
            }
            writer.commit(index);
            return true;
        }
    }

    /**
     * An {@code EPOCH_COMPLETED} event being built.
     */
    public final class EpochCompleted extends Envelope<EpochCompleted>
    {
        private int envId;
        private double valAccuracy;
        private double valLoss;
        private int innerEpoch;
        private Map<String, ?> seeds;

        EpochCompleted self()
        {
            return this;
        }

        EpochCompleted reset(final int envId, final double valAccuracy, final double valLoss, final int innerEpoch)
        {
            resetEnvelope();
            this.envId = envId;
            this.valAccuracy = valAccuracy;
            this.valLoss = valLoss;
            this.innerEpoch = innerEpoch;
            seeds = null;
            return this;
        }

        /**
         * Off the zero-allocation path: becomes JSON at commit.
         *
         * @return this builder, with {@code seeds} (slot id to the seed's keys; None unless set).
         */
        public EpochCompleted seeds(final Map<String, ?> value)
        {
            seeds = value;
            return this;
        }

        /**
         * @return true when recorded.
         * @throws IllegalArgumentException when the seeds are not JSON values, or too long.
         */
        public boolean commit()
        {
            if (!ready())
            {
                return context.refuse();
            }
            final byte[] seedsJson = null == seeds ? VarData.EMPTY : VarData.orEmpty(JsonValues.toJson(seeds, false),
                MAX_STRUCTURES_BYTES, "seeds of an EPOCH_COMPLETED event");
            final int index = writer.claim(EsperEpochCompletedEncoder.TEMPLATE_ID,
                EsperMessageLengths.epochCompleted(seedsJson.length, message.length));
            if (index < 0)
            {
                return false;
            }
            takeEventId();
            try
            {
                epochEncoder.wrapAndApplyHeader(buffer, index, header)
                    .timestamp(timestampOrNow())
                    .eventIdHigh(idHigh)
                    .eventIdLow(idLow)
                    .epoch(epoch)
                    .valAccuracy(valAccuracy)
                    .valLoss(valLoss)
                    .run(run)
                    .seedId(seedId)
                    .slotId(slotId)
                    .groupId(groupId)
                    .envId(envId)
                    .innerEpoch(innerEpoch)
                    .severity(severity)
                    .putSeeds(seedsJson, 0, seedsJson.length)
                    .putMessage(message, 0, message.length);
            }
            catch (final RuntimeException ex)
            {
                writer.abort(index);
                throw ex;
            }
            writer.commit(index);
            return true;
        }
    }

    /**
     * Any event with its payload as JSON, being built.
     */
    public final class Event extends Envelope<Event>
    {
        private EsperEventCode type;
        private byte[] payload;

        Event self()
        {
            return this;
        }

        Event reset(final EsperEventCode type, final byte[] payload)
        {
            if (null == type || EsperEventCode.NULL_VAL == type)
            {
                throw new IllegalArgumentException("an Esper event's type is required");
            }
            resetEnvelope();
            this.type = type;
            this.payload = payload;
            return this;
        }

        /**
         * @return true when recorded.
         */
        public boolean commit()
        {
            if (!ready())
            {
                return context.refuse();
            }
            final int index = writer.claim(EsperEventEncoder.TEMPLATE_ID,
                EsperMessageLengths.event(payload.length, message.length));
            if (index < 0)
            {
                return false;
            }
            takeEventId();
            try
            {
                eventEncoder.wrapAndApplyHeader(buffer, index, header)
                    .timestamp(timestampOrNow())
                    .eventIdHigh(idHigh)
                    .eventIdLow(idLow)
                    .epoch(epoch)
                    .run(run)
                    .seedId(seedId)
                    .slotId(slotId)
                    .groupId(groupId)
                    .eventType(type)
                    .severity(severity)
                    .putPayload(payload, 0, payload.length)
                    .putMessage(message, 0, message.length);
            }
            catch (final RuntimeException ex)
            {
                writer.abort(index);
                throw ex;
            }
            writer.commit(index);
            return true;
        }
    }
}
