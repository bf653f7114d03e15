package io.blackbox.recorder.ppo;

import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.PpoDataMode;
import io.blackbox.codecs.PpoEpochEncoder;
import io.blackbox.codecs.PpoTelemetryVersion;
import io.blackbox.codecs.ppo.PpoMessageLengths;
import io.blackbox.recorder.EmitterContext;
import io.blackbox.recorder.NumericMetrics;
import io.blackbox.recorder.RecordWriter;
import io.blackbox.recorder.VarData;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochNanoClock;

/**
 * Emits the PPO telemetry of one run ({@code specs/ppo-telemetry-v1.1.md}): one record per PPO epoch, a line of
 * {@code ROOT/ppo/<run>.jsonl} in the export.
 * <p>
 * A training loop does what the spec's implementation checklist asks of the harness through three calls:
 * <pre>
 * ppo.epochStart(epoch, PpoDataMode.ROLLOUT, cycleId, rolloutTicks);   // the start time, the data's context
 * for (each mini-batch) ppo.miniBatch(transitions, policyLoss, ..., advantageStd);
 * ppo.transitions(rewards, advantages, count);                          // for reward_advantage_corr
 * ppo.metric(queueConflicts, 3.0);                                      // extra keys, by symbol
 * ppo.epochEnd(lr, steps);                                              // one record
 * </pre>
 * Nothing in that loop allocates, locks or makes a system call, and only {@link #epochEnd} writes a record: the
 * mini-batches and transitions are folded into {@link PpoEpochStatistics}. {@link #epoch()} writes a record from
 * values the caller computed itself (importers, a harness with its own statistics).
 * <p>
 * {@code log_stream_offset}: each record carries its number among the run's records of this recorder session, from 1,
 * taken from a counter every emitter of the run shares ({@link EmitterContext#nextRunSequence()}); the export adds the
 * run's last offset before the session, so the offset is global to the run and never resets, not when a process
 * reopens the recording and records more of the run. Because the number is in the record, a record lost to damage
 * leaves a gap rather than renumbering the ones after it (a watcher resuming by offset skips nothing). An imported
 * record carries its offset as it was ({@link Epoch#logStreamOffset}).
 * <p>
 * Not thread-safe: one emitter per thread ({@code recorder.emitter(PpoEmitter::new, runId)}). Every emit returns true
 * when the record is in the ring, false when it was not recorded (counted in
 * {@link io.blackbox.recorder.Recorder#droppedRecords()}); the recorder's state never throws out of it.
 */
public final class PpoEmitter implements AutoCloseable
{
    /** Longest extras JSON an epoch record carries (2-byte length in the record). */
    public static final int MAX_EXTRAS_BYTES = 65_534;
    private static final double NANOS_PER_SECOND = 1e9;

    private final EmitterContext context;
    private final RecordWriter writer;
    private final AtomicBuffer buffer;
    private final EpochNanoClock clock;
    private int run;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PpoEpochEncoder encoder = new PpoEpochEncoder();
    private final PpoEpochStatistics statistics = new PpoEpochStatistics();
    private final NumericMetrics extraMetrics = new NumericMetrics();
    private final Epoch epoch = new Epoch();

    private PpoTelemetryVersion version = PpoTelemetryVersion.V1_1;
    private boolean inEpoch;
    private boolean undefinedKey;
    private long epochNumber;
    private PpoDataMode dataMode;
    private long cycleId;
    private long rolloutTicks;
    private long epochStartNs;

    /**
     * Prefer {@code recorder.emitter(PpoEmitter::new, runId)}.
     *
     * @param context this emitter's writer, clock and run, and the recorder's symbols.
     */
    public PpoEmitter(final EmitterContext context)
    {
        this.context = context;
        this.writer = context.writer();
        this.buffer = writer.buffer();
        this.clock = context.clock();
        this.run = context.runSymbol();
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
     * The spec's version toggle, the harness's {@code enable_telemetry_v1_1}: {@link PpoTelemetryVersion#V1_1} by
     * default; {@link PpoTelemetryVersion#V1_0} records carry none of the ten 1.1 keys.
     *
     * @return this emitter.
     */
    public PpoEmitter telemetryVersion(final PpoTelemetryVersion version)
    {
        if (version != PpoTelemetryVersion.V1_0 && version != PpoTelemetryVersion.V1_1)
        {
            throw new IllegalArgumentException("telemetry version: " + version);
        }
        this.version = version;
        return this;
    }

    /**
     * @return the version records are written with.
     */
    public PpoTelemetryVersion telemetryVersion()
    {
        return version;
    }

    /**
     * @return the symbol for an extra key ({@code conflict.rivalry_max_mean_avg}, {@code baseline_reward_mean}, ...),
     * looked up once and then given to {@link #metric}; {@link EmitterContext#NO_SYMBOL} when its definition could
     * not be written yet.
     */
    public int symbol(final String key)
    {
        return context.symbol(key);
    }

    // ------------------------------------------------------------------ the accumulating epoch

    /**
     * An epoch begins: its start time is taken and its statistics and extra keys start empty.
     *
     * @param epoch        the epoch's number ({@code epoch}), from 1 in the harness.
     * @param dataMode     where its data comes from ({@code data_mode}).
     * @param cycleId      rollout cycles so far ({@code cycle_id}), 0 when replay-only.
     * @param rolloutTicks environment ticks captured for its data ({@code rollout_ticks}), 0 for pure replay.
     */
    public void epochStart(final long epoch, final PpoDataMode dataMode, final long cycleId, final long rolloutTicks)
    {
        if (dataMode == null || dataMode == PpoDataMode.NULL_VAL)
        {
            throw new IllegalArgumentException("data mode: " + dataMode);
        }
        this.epochNumber = epoch;
        this.dataMode = dataMode;
        this.cycleId = cycleId;
        this.rolloutTicks = rolloutTicks;
        statistics.reset();
        extraMetrics.reset();
        undefinedKey = false;
        inEpoch = true;
        epochStartNs = clock.nanoTime();
    }

    /**
     * One optimizer update on a mini-batch of the current epoch; see {@link PpoEpochStatistics#miniBatch}. No record.
     */
    public void miniBatch(
        final int transitions,
        final double policyLoss,
        final double valueLoss,
        final double entropy,
        final double totalLoss,
        final double clipFraction,
        final double klDivergence,
        final double gradNorm,
        final double advantageMean,
        final double advantageStd)
    {
        statistics.miniBatch(transitions, policyLoss, valueLoss, entropy, totalLoss, clipFraction, klDivergence,
            gradNorm, advantageMean, advantageStd);
    }

    /**
     * One transition's reward and advantage, for {@code reward_advantage_corr}. No record.
     */
    public void transition(final double reward, final double advantage)
    {
        statistics.transition(reward, advantage);
    }

    /**
     * The first {@code count} transitions of two arrays, for {@code reward_advantage_corr}. No record, no copy.
     */
    public void transitions(final double[] rewards, final double[] advantages, final int count)
    {
        if (count > rewards.length || count > advantages.length)
        {
            throw new IllegalArgumentException(count + " transitions, " + rewards.length + " rewards, " +
                advantages.length + " advantages");
        }
        for (int i = 0; i < count; i++)
        {
            statistics.transition(rewards[i], advantages[i]);
        }
    }

    /**
     * An extra numeric key of the current epoch's record, written as a float.
     *
     * @param key the key's {@link #symbol(String)}.
     * @return this emitter.
     */
    public PpoEmitter metric(final int key, final double value)
    {
        undefinedKey |= key == EmitterContext.NO_SYMBOL;
        extraMetrics.add(key, value);
        return this;
    }

    /**
     * @return the current epoch's statistics so far (read them, do not feed them).
     */
    public PpoEpochStatistics statistics()
    {
        return statistics;
    }

    /**
     * The epoch ends: its record is written, with the statistics of its mini-batches and transitions, its duration
     * since {@link #epochStart}, and its extra keys. Means are NaN for an epoch without a mini-batch: nothing to
     * average, and the validator says so.
     *
     * @param lr    the learning rate.
     * @param steps optimizer steps so far in the run ({@code steps}).
     * @return true when recorded.
     * @throws IllegalStateException when no epoch was started.
     */
    public boolean epochEnd(final double lr, final long steps)
    {
        if (!inEpoch)
        {
            throw new IllegalStateException("epochEnd without epochStart");
        }
        inEpoch = false;
        final long endNs = clock.nanoTime();
        final PpoEpochStatistics s = statistics;
        final Epoch e = epoch.reset()
            .timestamp(endNs)
            .epoch(epochNumber)
            .updates(s.updates())
            .transitions(s.transitions())
            .losses(s.lossPolicy(), s.lossValue(), s.lossEntropy(), s.lossTotal())
            .clipFraction(s.clipFraction())
            .advantages(s.advMean(), s.advStd())
            .gradNorm(s.gradNorm())
            .klDivergence(s.klDivergence())
            .lr(lr)
            .steps(steps)
            .health(s.advZeroStdBatches(), s.advMinStd(), s.clipTriggeredMinibatches(), s.clipFractionMax())
            .epochDurationSec((endNs - epochStartNs) / NANOS_PER_SECOND)
            .dataMode(dataMode)
            .cycleId(cycleId)
            .batchEntropy(s.batchEntropyMean(), s.batchEntropyStd())
            .gradNormMax(s.gradNormMax())
            .klDivergenceMax(s.klDivergenceMax())
            .rewardAdvantageCorr(s.rewardAdvantageCorr())
            .rolloutTicks(rolloutTicks);
        e.metrics.copy(extraMetrics);
        e.undefinedKey = undefinedKey;
        return e.commit();
    }

    // ------------------------------------------------------------------ a record from given values

    /**
     * Start a record from values the caller gives; finish with {@link Epoch#commit()}. No allocation. Keys not set
     * are written as 0.0 ({@code data_mode} as {@code replay}); the health keys only when {@link Epoch#health} is set.
     */
    public Epoch epoch()
    {
        return epoch.reset();
    }

    /**
     * A PPO epoch record being built. Reused by its emitter: commit before starting the next.
     */
    public final class Epoch
    {
        private long timestamp;
        private long logStreamOffset;
        private boolean explicitOffset;
        private PpoTelemetryVersion recordVersion;
        private double epochValue;
        private double updates;
        private double transitions;
        private double lossPolicy;
        private double lossValue;
        private double lossEntropy;
        private double lossTotal;
        private double clipFraction;
        private double advMean;
        private double advStd;
        private double gradNorm;
        private double klDivergence;
        private double lr;
        private double steps;
        private boolean hasHealth;
        private double advZeroStdBatches;
        private double advMinStd;
        private double clipTriggeredMinibatches;
        private double clipFractionMax;
        private double epochDurationSec;
        private PpoDataMode recordDataMode;
        private double cycle;
        private double batchEntropyMean;
        private double batchEntropyStd;
        private double gradNormMax;
        private double klDivergenceMax;
        private double rewardAdvantageCorr;
        private double ticks;
        private final NumericMetrics metrics = new NumericMetrics();
        private byte[] extras;
        private boolean undefinedKey;

        private Epoch reset()
        {
            timestamp = Long.MIN_VALUE;
            logStreamOffset = 0;
            explicitOffset = false;
            recordVersion = version;
            epochValue = 0;
            updates = 0;
            transitions = 0;
            lossPolicy = 0;
            lossValue = 0;
            lossEntropy = 0;
            lossTotal = 0;
            clipFraction = 0;
            advMean = 0;
            advStd = 0;
            gradNorm = 0;
            klDivergence = 0;
            lr = 0;
            steps = 0;
            hasHealth = false;
            advZeroStdBatches = 0;
            advMinStd = 0;
            clipTriggeredMinibatches = 0;
            clipFractionMax = 0;
            epochDurationSec = 0;
            recordDataMode = PpoDataMode.REPLAY;
            cycle = 0;
            batchEntropyMean = 0;
            batchEntropyStd = 0;
            gradNormMax = 0;
            klDivergenceMax = 0;
            rewardAdvantageCorr = 0;
            ticks = 0;
            metrics.reset();
            extras = VarData.EMPTY;
            undefinedKey = false;
            return this;
        }

        /** @param epochNs timestamp to record instead of the clock's. */
        public Epoch timestamp(final long epochNs)
        {
            timestamp = epochNs;
            return this;
        }

        /** @param version this record's version, instead of the emitter's. */
        public Epoch telemetryVersion(final PpoTelemetryVersion version)
        {
            recordVersion = version;
            return this;
        }

        /**
         * @param offset this record's {@code log_stream_offset} as it was (importers), instead of the next number of
         *               the run; the run's later records are numbered on from it.
         */
        public Epoch logStreamOffset(final long offset)
        {
            logStreamOffset = offset;
            explicitOffset = true;
            return this;
        }

        public Epoch epoch(final double value)
        {
            epochValue = value;
            return this;
        }

        public Epoch updates(final double value)
        {
            updates = value;
            return this;
        }

        public Epoch transitions(final double value)
        {
            transitions = value;
            return this;
        }

        public Epoch losses(final double policy, final double value, final double entropy, final double total)
        {
            lossPolicy = policy;
            lossValue = value;
            lossEntropy = entropy;
            lossTotal = total;
            return this;
        }

        public Epoch clipFraction(final double value)
        {
            clipFraction = value;
            return this;
        }

        public Epoch advantages(final double mean, final double std)
        {
            advMean = mean;
            advStd = std;
            return this;
        }

        public Epoch gradNorm(final double value)
        {
            gradNorm = value;
            return this;
        }

        public Epoch klDivergence(final double value)
        {
            klDivergence = value;
            return this;
        }

        public Epoch lr(final double value)
        {
            lr = value;
            return this;
        }

        public Epoch steps(final double value)
        {
            steps = value;
            return this;
        }

        /**
         * The four mini-batch health keys ({@code adv_zero_std_batches, adv_min_std, clip_triggered_minibatches,
         * clip_fraction_max}); a record without this call has none of them.
         */
        public Epoch health(final double advZeroStdBatches, final double advMinStd,
            final double clipTriggeredMinibatches, final double clipFractionMax)
        {
            this.hasHealth = true;
            this.advZeroStdBatches = advZeroStdBatches;
            this.advMinStd = advMinStd;
            this.clipTriggeredMinibatches = clipTriggeredMinibatches;
            this.clipFractionMax = clipFractionMax;
            return this;
        }

        public Epoch epochDurationSec(final double value)
        {
            epochDurationSec = value;
            return this;
        }

        public Epoch dataMode(final PpoDataMode value)
        {
            if (value == null || value == PpoDataMode.NULL_VAL)
            {
                throw new IllegalArgumentException("data mode: " + value);
            }
            recordDataMode = value;
            return this;
        }

        public Epoch cycleId(final double value)
        {
            cycle = value;
            return this;
        }

        public Epoch batchEntropy(final double mean, final double std)
        {
            batchEntropyMean = mean;
            batchEntropyStd = std;
            return this;
        }

        public Epoch gradNormMax(final double value)
        {
            gradNormMax = value;
            return this;
        }

        public Epoch klDivergenceMax(final double value)
        {
            klDivergenceMax = value;
            return this;
        }

        public Epoch rewardAdvantageCorr(final double value)
        {
            rewardAdvantageCorr = value;
            return this;
        }

        public Epoch rolloutTicks(final double value)
        {
            ticks = value;
            return this;
        }

        /** An extra numeric key written as a float. */
        public Epoch metric(final int key, final double value)
        {
            undefinedKey |= key == EmitterContext.NO_SYMBOL;
            metrics.add(key, value);
            return this;
        }

        /** An extra numeric key written as an integer (files that write one so). */
        public Epoch metric(final int key, final long value)
        {
            undefinedKey |= key == EmitterContext.NO_SYMBOL;
            metrics.add(key, value);
            return this;
        }

        /** @param extrasJson a JSON object of extra keys that are not numbers (importers); null for none. */
        public Epoch extrasJson(final byte[] extrasJson)
        {
            extras = VarData.orEmpty(extrasJson, MAX_EXTRAS_BYTES, "extra keys of a PPO epoch");
            return this;
        }

        /**
         * @return true when recorded.
         */
        public boolean commit()
        {
            if (undefinedKey)
            {
                return context.refuse();
            }
            if (run == EmitterContext.NO_SYMBOL)
            {
                run = context.runSymbol();
                if (run == EmitterContext.NO_SYMBOL)
                {
                    return context.refuse();
                }
            }
            final int length = PpoMessageLengths.epoch(metrics.doubleCount(), metrics.longCount(), extras.length);
            final int index = writer.claim(PpoEpochEncoder.TEMPLATE_ID, length);
            if (index < 0)
            {
                return false;
            }
            try
            {
                final PpoEpochEncoder encoder = PpoEmitter.this.encoder
                    .wrapAndApplyHeader(buffer, index, header)
                    .timestamp(timestamp == Long.MIN_VALUE ? clock.nanoTime() : timestamp)
                    .logStreamOffset(explicitOffset ? logStreamOffset : context.nextRunSequence())
                    .epoch(epochValue)
                    .updates(updates)
                    .transitions(transitions)
                    .lossPolicy(lossPolicy)
                    .lossValue(lossValue)
                    .lossEntropy(lossEntropy)
                    .lossTotal(lossTotal)
                    .clipFraction(clipFraction)
                    .advMean(advMean)
                    .advStd(advStd)
                    .gradNorm(gradNorm)
                    .klDivergence(klDivergence)
                    .lr(lr)
                    .steps(steps)
                    .advZeroStdBatches(advZeroStdBatches)
                    .advMinStd(advMinStd)
                    .clipTriggeredMinibatches(clipTriggeredMinibatches)
                    .clipFractionMax(clipFractionMax)
                    .epochDurationSec(epochDurationSec)
                    .cycleId(cycle)
                    .batchEntropyMean(batchEntropyMean)
                    .batchEntropyStd(batchEntropyStd)
                    .gradNormMax(gradNormMax)
                    .klDivergenceMax(klDivergenceMax)
                    .rewardAdvantageCorr(rewardAdvantageCorr)
                    .rolloutTicks(ticks)
                    .run(run)
                    .version(recordVersion)
                    .dataMode(recordDataMode);
                encoder.fields().clear().health(hasHealth).explicitOffset(explicitOffset);
                final PpoEpochEncoder.DoubleMetricsEncoder doubles = encoder.doubleMetricsCount(metrics.doubleCount());
                for (int i = 0; i < metrics.doubleCount(); i++)
                {
                    doubles.next().key(metrics.doubleKey(i)).value(metrics.doubleValue(i));
                }
                final PpoEpochEncoder.LongMetricsEncoder longs = encoder.longMetricsCount(metrics.longCount());
                for (int i = 0; i < metrics.longCount(); i++)
                {
                    longs.next().key(metrics.longKey(i)).value(metrics.longValue(i));
                }
                encoder.putExtras(extras, 0, extras.length);
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
