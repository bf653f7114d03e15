package io.blackbox.recorder.gradience;

import io.blackbox.codecs.GradienceAlertEncoder;
import io.blackbox.codecs.GradienceEvalEncoder;
import io.blackbox.codecs.GradienceMetricsEncoder;
import io.blackbox.codecs.GradienceRecommendationEncoder;
import io.blackbox.codecs.GradienceRunEndEncoder;
import io.blackbox.codecs.GradienceRunStartEncoder;
import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.codecs.GradienceTrainStepEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.gradience.GradienceMessageLengths;
import io.blackbox.recorder.EmitterContext;
import io.blackbox.recorder.JsonValues;
import io.blackbox.recorder.NumericMetrics;
import io.blackbox.recorder.RecordWriter;
import io.blackbox.recorder.VarData;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.EpochNanoClock;

import java.util.List;
import java.util.Map;

/**
 * Emits the seven Gradience v1 events ({@code gradience.vnext.telemetry/v1}) of one run.
 * <p>
 * {@code train_step} and {@code eval} are fixed-layout records written in place into the ring with no
 * allocation, no lock and no system call; the other events carry open-shaped JSON and allocate.
 * An emitter is not thread-safe: give each thread its own
 * ({@code recorder.emitter(GradienceEmitter::new, runId)}, {@link io.blackbox.recorder.Recorder#emitter});
 * any number of emitters, for the same run or others, may emit at once. Its writer owns a lane of the ring (a
 * single-producer ring): two threads emitting through one emitter at once corrupt each other's records (the drainer
 * skips what it cannot frame, with a warning).
 * <p>
 * Every emit returns true when the record is in the ring (and so survives a crash of the process), false when
 * it was not recorded: dropped under {@link io.blackbox.recorder.Backpressure#DROP}, or the recorder is closed, or a
 * symbol it needs (the run id, a split, a key) could not be defined yet ({@link EmitterContext#NO_SYMBOL}); each such
 * record is counted in {@link io.blackbox.recorder.Recorder#droppedRecords()}.
 */
public final class GradienceEmitter implements AutoCloseable
{
    /** The step of an event that has none: exported as {@code "step": null}. */
    public static final long NO_STEP = GradienceTrainStepEncoder.stepNullValue();
    /** The exit code of a {@code run_end} that has none: not exported. */
    public static final int NO_EXIT_CODE = GradienceRunEndEncoder.exitCodeNullValue();

    /** Most learning rates a train_step carries (1-byte group count in the record). */
    private static final int MAX_LR_GROUPS = 254;
    /** Longest extras JSON a train_step or eval carries (2-byte length in the record). */
    public static final int MAX_HOT_EXTRAS_BYTES = 65_534;

    private final EmitterContext context;
    private final RecordWriter writer;
    private final AtomicBuffer buffer;
    private final EpochNanoClock clock;
    /** Symbol of the run id; {@link EmitterContext#NO_SYMBOL} until its definition could be written. */
    private int run;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final GradienceTrainStepEncoder trainStepEncoder = new GradienceTrainStepEncoder();
    private final GradienceEvalEncoder evalEncoder = new GradienceEvalEncoder();
    private final GradienceRunStartEncoder runStartEncoder = new GradienceRunStartEncoder();
    private final GradienceMetricsEncoder metricsEncoder = new GradienceMetricsEncoder();
    private final GradienceAlertEncoder alertEncoder = new GradienceAlertEncoder();
    private final GradienceRecommendationEncoder recommendationEncoder = new GradienceRecommendationEncoder();
    private final GradienceRunEndEncoder runEndEncoder = new GradienceRunEndEncoder();
    private final TrainStep trainStep = new TrainStep();
    private PlainTrainStepEncoder plainTrainStep;
    private final Eval eval = new Eval();

    /**
     * Prefer {@code recorder.emitter(GradienceEmitter::new, runId)}.
     *
     * @param context this emitter's writer, clock and run, and the recorder's symbols.
     */
    public GradienceEmitter(final EmitterContext context)
    {
        this.context = context;
        this.writer = context.writer();
        this.buffer = writer.buffer();
        this.clock = context.clock();
        this.run = context.runSymbol();
        this.plainTrainStep = new PlainTrainStepEncoder(run);
    }

    /**
     * Give this emitter's lane of the ring back for a later emitter (see {@link RecordWriter#close()}); emits after
     * close still record, through the shared lane.
     */
    @Override
    public void close()
    {
        writer.close();
    }

    /**
     * @return the symbol of this emitter's run id, {@link EmitterContext#NO_SYMBOL} while it could not be defined.
     */
    public int run()
    {
        return run;
    }

    /**
     * @return the symbol for a split name or metric key, for the allocation-free emits; {@link EmitterContext#NO_SYMBOL}
     * when its definition could not be written yet (an emit given it returns false and is counted).
     */
    public int symbol(final String value)
    {
        return context.symbol(value);
    }

    /**
     * Define the run's symbol, refused when this emitter was made.
     *
     * @return false while it still cannot be defined.
     */
    private boolean defineRun()
    {
        final int symbol = context.runSymbol();
        if (symbol == EmitterContext.NO_SYMBOL)
        {
            return false;
        }
        run = symbol;
        plainTrainStep = new PlainTrainStepEncoder(symbol);
        return true;
    }

    /**
     * Claim room for a record of this run: refused (and counted) while the run's symbol cannot be defined.
     */
    private int claim(final int templateId, final int length)
    {
        if (run == EmitterContext.NO_SYMBOL && !defineRun())
        {
            context.refuse();
            return -1;
        }
        return writer.claim(templateId, length);
    }

    // ------------------------------------------------------------------ train_step

    /**
     * @return the SBE message length of a {@code train_step} with no extras JSON.
     */
    public static int trainStepMessageLength(final int lrGroups, final int doubleMetrics, final int longMetrics)
    {
        return GradienceMessageLengths.trainStep(lrGroups, doubleMetrics, longMetrics, 0);
    }

    /**
     * @return the bytes a {@code train_step} with no extras JSON takes in the ring and the queue: the message,
     * the ring record header and alignment.
     */
    public static int trainStepRecordBytes(final int lrGroups, final int doubleMetrics, final int longMetrics)
    {
        return BitUtil.align(RecordDescriptor.HEADER_LENGTH + trainStepMessageLength(lrGroups, doubleMetrics, longMetrics),
            RecordDescriptor.ALIGNMENT);
    }

    /**
     * {@code train_step} with loss and one learning rate. No allocation.
     */
    public boolean trainStep(final long step, final double loss, final double lr)
    {
        if (run == EmitterContext.NO_SYMBOL && !defineRun())
        {
            return context.refuse();
        }
        final int index = writer.claim(GradienceTrainStepEncoder.TEMPLATE_ID, PlainTrainStepEncoder.LENGTH);
        if (index < 0)
        {
            return false;
        }
        plainTrainStep.encode(buffer, index, clock.nanoTime(), step, loss, lr);
        writer.commit(index);
        return true;
    }

    /**
     * {@code train_step} with loss and one learning rate per parameter group. No allocation.
     */
    public boolean trainStep(final long step, final double loss, final double[] lrPerGroup)
    {
        return trainStep(step).loss(loss).lr(lrPerGroup).commit();
    }

    /**
     * Start a {@code train_step} with optional fields; finish with {@link TrainStep#commit()}. No allocation.
     *
     * @param step the step, or {@link #NO_STEP}.
     */
    public TrainStep trainStep(final long step)
    {
        return trainStep.reset(step);
    }

    /**
     * A {@code train_step} being built. Reused by its emitter: commit before starting the next.
     */
    public final class TrainStep
    {
        private long timestamp;
        private long step;
        private boolean hasLoss;
        private boolean hasLr;
        private double loss;
        private double lr;
        private double[] lrPerGroup;
        private final NumericMetrics metrics = new NumericMetrics();
        private byte[] extras;
        private boolean undefinedKey;

        private TrainStep reset(final long step)
        {
            this.timestamp = Long.MIN_VALUE;
            this.undefinedKey = false;
            this.step = step;
            this.hasLoss = false;
            this.hasLr = false;
            this.lrPerGroup = null;
            this.metrics.reset();
            this.extras = VarData.EMPTY;
            return this;
        }

        public TrainStep loss(final double loss)
        {
            this.loss = loss;
            this.hasLoss = true;
            return this;
        }

        public TrainStep lr(final double lr)
        {
            this.lr = lr;
            this.hasLr = true;
            this.lrPerGroup = null;
            return this;
        }

        /**
         * @param lrPerGroup one learning rate per parameter group; read at {@link #commit()}, not copied.
         */
        public TrainStep lr(final double[] lrPerGroup)
        {
            if (lrPerGroup.length > MAX_LR_GROUPS)
            {
                throw new IllegalArgumentException("too many parameter groups: " + lrPerGroup.length);
            }
            this.lrPerGroup = lrPerGroup;
            this.hasLr = true;
            return this;
        }

        /**
         * An extra numeric key, written as a float (e.g. {@code grad_norm}).
         */
        public TrainStep metric(final int key, final double value)
        {
            undefinedKey |= key == EmitterContext.NO_SYMBOL;
            metrics.add(key, value);
            return this;
        }

        /**
         * An extra numeric key, written as an integer (e.g. {@code tokens}).
         */
        public TrainStep metric(final int key, final long value)
        {
            undefinedKey |= key == EmitterContext.NO_SYMBOL;
            metrics.add(key, value);
            return this;
        }

        /**
         * @param epochNs timestamp to record instead of the clock's (importers).
         */
        public TrainStep timestamp(final long epochNs)
        {
            this.timestamp = epochNs;
            return this;
        }

        /**
         * @param extrasJson a JSON object of further keys that are not numbers (importers).
         */
        public TrainStep extrasJson(final byte[] extrasJson)
        {
            this.extras = hotExtras(extrasJson);
            return this;
        }

        /**
         * @return true when recorded.
         */
        public boolean commit()
        {
            if (undefinedKey || (run == EmitterContext.NO_SYMBOL && !defineRun()))
            {
                return context.refuse();
            }
            final int lrCount = lrPerGroup == null ? 0 : lrPerGroup.length;
            final int length = GradienceMessageLengths.trainStep(
                lrCount, metrics.doubleCount(), metrics.longCount(), extras.length);
            final int index = writer.claim(GradienceTrainStepEncoder.TEMPLATE_ID, length);
            if (index < 0)
            {
                return false;
            }
            try
            {
                final GradienceTrainStepEncoder encoder = trainStepEncoder
                    .wrapAndApplyHeader(buffer, index, header)
                    .timestamp(timestamp == Long.MIN_VALUE ? clock.nanoTime() : timestamp)
                    .run(run)
                    .step(step)
                    .loss(hasLoss ? loss : Double.NaN)
                    .lr(hasLr && lrPerGroup == null ? lr : Double.NaN);
                encoder.fields().clear().loss(hasLoss).lr(hasLr).lrPerGroup(lrPerGroup != null);
                final GradienceTrainStepEncoder.LrGroupsEncoder lrGroups = encoder.lrGroupsCount(lrCount);
                for (int i = 0; i < lrCount; i++)
                {
                    lrGroups.next().lr(lrPerGroup[i]);
                }
                final GradienceTrainStepEncoder.DoubleMetricsEncoder doubles = encoder.doubleMetricsCount(metrics.doubleCount());
                for (int i = 0; i < metrics.doubleCount(); i++)
                {
                    doubles.next().key(metrics.doubleKey(i)).value(metrics.doubleValue(i));
                }
                final GradienceTrainStepEncoder.LongMetricsEncoder longs = encoder.longMetricsCount(metrics.longCount());
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

    // ------------------------------------------------------------------ eval

    /**
     * {@code eval} with the four frozen metrics; pass NaN (or -1 for {@code n}) to leave one out. No allocation.
     *
     * @param split symbol of the split name ({@link #symbol(String)}).
     */
    public boolean eval(final long step, final int split, final double ppl, final double accuracy, final double loss,
        final long n)
    {
        final Eval e = eval(step, split);
        if (!Double.isNaN(ppl))
        {
            e.ppl(ppl);
        }
        if (!Double.isNaN(accuracy))
        {
            e.accuracy(accuracy);
        }
        if (!Double.isNaN(loss))
        {
            e.loss(loss);
        }
        if (n >= 0)
        {
            e.n(n);
        }
        return e.commit();
    }

    /**
     * Start an {@code eval} on a split; finish with {@link Eval#commit()}. No allocation.
     */
    public Eval eval(final long step, final int split)
    {
        return eval.reset(step, split);
    }

    /**
     * Start an {@code eval} on a split named by a string: a symbol lookup (no allocation once the split is known).
     */
    public Eval eval(final long step, final String split)
    {
        return eval.reset(step, symbol(split));
    }

    /**
     * An {@code eval} being built. Reused by its emitter: commit before starting the next.
     */
    public final class Eval
    {
        private long timestamp;
        private long step;
        private int split;
        private byte fields;
        private double ppl;
        private double accuracy;
        private double loss;
        private long n;
        private final NumericMetrics metrics = new NumericMetrics();
        private byte[] metricsExtras;
        private byte[] extras;
        private boolean undefinedKey;

        private Eval reset(final long step, final int split)
        {
            this.timestamp = Long.MIN_VALUE;
            this.undefinedKey = split == EmitterContext.NO_SYMBOL;
            this.step = step;
            this.split = split;
            this.fields = 0;
            this.metrics.reset();
            this.metricsExtras = VarData.EMPTY;
            this.extras = VarData.EMPTY;
            return this;
        }

        public Eval ppl(final double ppl)
        {
            this.ppl = ppl;
            fields |= 1;
            return this;
        }

        public Eval accuracy(final double accuracy)
        {
            this.accuracy = accuracy;
            fields |= 2;
            return this;
        }

        public Eval loss(final double loss)
        {
            this.loss = loss;
            fields |= 4;
            return this;
        }

        public Eval n(final long n)
        {
            this.n = n;
            fields |= 8;
            return this;
        }

        /**
         * A further metric, written as a float.
         */
        public Eval metric(final int key, final double value)
        {
            undefinedKey |= key == EmitterContext.NO_SYMBOL;
            metrics.add(key, value);
            return this;
        }

        /**
         * A further metric, written as an integer.
         */
        public Eval metric(final int key, final long value)
        {
            undefinedKey |= key == EmitterContext.NO_SYMBOL;
            metrics.add(key, value);
            return this;
        }

        public Eval timestamp(final long epochNs)
        {
            this.timestamp = epochNs;
            return this;
        }

        /**
         * @param metricsExtrasJson a JSON object of further metrics that are not numbers (importers).
         */
        public Eval metricsExtrasJson(final byte[] metricsExtrasJson)
        {
            this.metricsExtras = hotExtras(metricsExtrasJson);
            return this;
        }

        /**
         * @param extrasJson a JSON object of further keys outside {@code metrics} (importers).
         */
        public Eval extrasJson(final byte[] extrasJson)
        {
            this.extras = hotExtras(extrasJson);
            return this;
        }

        public boolean commit()
        {
            if (undefinedKey || (run == EmitterContext.NO_SYMBOL && !defineRun()))
            {
                return context.refuse();
            }
            final int length = GradienceMessageLengths.eval(
                metrics.doubleCount(), metrics.longCount(), metricsExtras.length, extras.length);
            final int index = writer.claim(GradienceEvalEncoder.TEMPLATE_ID, length);
            if (index < 0)
            {
                return false;
            }
            try
            {
                final GradienceEvalEncoder encoder = evalEncoder
                    .wrapAndApplyHeader(buffer, index, header)
                    .timestamp(timestamp == Long.MIN_VALUE ? clock.nanoTime() : timestamp)
                    .run(run)
                    .step(step)
                    .split(split)
                    .ppl((fields & 1) != 0 ? ppl : Double.NaN)
                    .accuracy((fields & 2) != 0 ? accuracy : Double.NaN)
                    .loss((fields & 4) != 0 ? loss : Double.NaN)
                    .n((fields & 8) != 0 ? n : 0);
                encoder.fields().clear()
                    .ppl((fields & 1) != 0).accuracy((fields & 2) != 0).loss((fields & 4) != 0).n((fields & 8) != 0);
                final GradienceEvalEncoder.DoubleMetricsEncoder doubles = encoder.doubleMetricsCount(metrics.doubleCount());
                for (int i = 0; i < metrics.doubleCount(); i++)
                {
                    doubles.next().key(metrics.doubleKey(i)).value(metrics.doubleValue(i));
                }
                final GradienceEvalEncoder.LongMetricsEncoder longs = encoder.longMetricsCount(metrics.longCount());
                for (int i = 0; i < metrics.longCount(); i++)
                {
                    longs.next().key(metrics.longKey(i)).value(metrics.longValue(i));
                }
                encoder.putMetricsExtras(metricsExtras, 0, metricsExtras.length);
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

    // ------------------------------------------------------------------ open-shaped events

    /**
     * {@code run_start} with the run's ConfigSnapshot and optional meta. Allocates.
     */
    public boolean runStart(final Map<String, ?> config, final Map<String, ?> meta)
    {
        if (config == null)
        {
            throw new IllegalArgumentException("run_start needs a config");
        }
        return runStartJson(clock.nanoTime(), NO_STEP, JsonValues.toJson(config, false), JsonValues.toJson(meta, true), VarData.EMPTY);
    }

    /**
     * {@code run_start} from JSON text (importers). Empty {@code metaJson}/{@code extrasJson}: absent.
     */
    public boolean runStartJson(final long timestamp, final long step, final byte[] configJson, final byte[] metaJson,
        final byte[] extrasJson)
    {
        final int length = GradienceMessageLengths.runStart(configJson.length, metaJson.length, extrasJson.length);
        final int index = claim(GradienceRunStartEncoder.TEMPLATE_ID, length);
        if (index < 0)
        {
            return false;
        }
        runStartEncoder.wrapAndApplyHeader(buffer, index, header)
            .timestamp(timestamp)
            .run(run)
            .step(step)
            .putConfig(configJson, 0, configJson.length)
            .putMeta(metaJson, 0, metaJson.length)
            .putExtras(extrasJson, 0, extrasJson.length);
        writer.commit(index);
        return true;
    }

    /**
     * {@code metrics} block of a kind ({@code lora_audit}, {@code spectral}, ...). Allocates.
     */
    public boolean metrics(final long step, final String kind, final Map<String, ?> metrics)
    {
        if (metrics == null)
        {
            throw new IllegalArgumentException("metrics needs a metrics object");
        }
        return metricsJson(clock.nanoTime(), step, symbol(kind), JsonValues.toJson(metrics, false), VarData.EMPTY);
    }

    /**
     * {@code metrics} from JSON text (importers).
     */
    public boolean metricsJson(final long timestamp, final long step, final int kind, final byte[] metricsJson,
        final byte[] extrasJson)
    {
        if (kind == EmitterContext.NO_SYMBOL)
        {
            return context.refuse();
        }
        final int length = GradienceMessageLengths.metrics(metricsJson.length, extrasJson.length);
        final int index = claim(GradienceMetricsEncoder.TEMPLATE_ID, length);
        if (index < 0)
        {
            return false;
        }
        metricsEncoder.wrapAndApplyHeader(buffer, index, header)
            .timestamp(timestamp)
            .run(run)
            .step(step)
            .kind(kind)
            .putMetrics(metricsJson, 0, metricsJson.length)
            .putExtras(extrasJson, 0, extrasJson.length);
        writer.commit(index);
        return true;
    }

    /**
     * {@code alert}. Allocates.
     *
     * @param context optional object, null when absent.
     */
    public boolean alert(final long step, final GradienceSeverity severity, final String code, final String message,
        final Map<String, ?> context)
    {
        return alertJson(clock.nanoTime(), step, severity, VarData.utf8(code), VarData.utf8(message), JsonValues.toJson(context, true), VarData.EMPTY);
    }

    /**
     * {@code alert} from JSON text (importers).
     */
    public boolean alertJson(final long timestamp, final long step, final GradienceSeverity severity, final byte[] code,
        final byte[] message, final byte[] contextJson, final byte[] extrasJson)
    {
        final int length = GradienceMessageLengths.alert(code.length, message.length, contextJson.length, extrasJson.length);
        final int index = claim(GradienceAlertEncoder.TEMPLATE_ID, length);
        if (index < 0)
        {
            return false;
        }
        alertEncoder.wrapAndApplyHeader(buffer, index, header)
            .timestamp(timestamp)
            .run(run)
            .step(step)
            .severity(severity)
            .putCode(code, 0, code.length)
            .putMessage(message, 0, message.length)
            .putContext(contextJson, 0, contextJson.length)
            .putExtras(extrasJson, 0, extrasJson.length);
        writer.commit(index);
        return true;
    }

    /**
     * {@code recommendation}: recommendation objects carry {@code severity, action, message, rationale,
     * confidence, scope, evidence}. Allocates.
     */
    public boolean recommendation(final long step, final List<? extends Map<String, ?>> recommendations)
    {
        if (recommendations == null)
        {
            throw new IllegalArgumentException("recommendation needs a list of recommendations");
        }
        return recommendationJson(clock.nanoTime(), step, JsonValues.toJson(recommendations, false), VarData.EMPTY);
    }

    /**
     * {@code recommendation} from JSON text (importers).
     */
    public boolean recommendationJson(final long timestamp, final long step, final byte[] recommendationsJson,
        final byte[] extrasJson)
    {
        final int length = GradienceMessageLengths.recommendation(recommendationsJson.length, extrasJson.length);
        final int index = claim(GradienceRecommendationEncoder.TEMPLATE_ID, length);
        if (index < 0)
        {
            return false;
        }
        recommendationEncoder.wrapAndApplyHeader(buffer, index, header)
            .timestamp(timestamp)
            .run(run)
            .step(step)
            .putRecommendations(recommendationsJson, 0, recommendationsJson.length)
            .putExtras(extrasJson, 0, extrasJson.length);
        writer.commit(index);
        return true;
    }

    /**
     * {@code run_end}.
     *
     * @param reason optional, null when absent.
     */
    public boolean runEnd(final long step, final GradienceRunStatus status, final String reason)
    {
        return runEnd(clock.nanoTime(), step, status, reason == null ? null : VarData.utf8(reason), NO_EXIT_CODE,
            VarData.EMPTY);
    }

    /**
     * {@code run_end} with the process's exit status, exported as {@code exit_code}.
     *
     * @param reason   optional, null when absent.
     * @param exitCode the exit status, or {@link #NO_EXIT_CODE}.
     */
    public boolean runEnd(final long step, final GradienceRunStatus status, final String reason, final int exitCode)
    {
        return runEnd(clock.nanoTime(), step, status, reason == null ? null : VarData.utf8(reason), exitCode,
            VarData.EMPTY);
    }

    /**
     * {@code run_end} from JSON text (importers).
     *
     * @param reason UTF-8 reason, null when absent.
     */
    public boolean runEndJson(final long timestamp, final long step, final GradienceRunStatus status, final byte[] reason,
        final byte[] extrasJson)
    {
        return runEnd(timestamp, step, status, reason, NO_EXIT_CODE, extrasJson);
    }

    private boolean runEnd(final long timestamp, final long step, final GradienceRunStatus status, final byte[] reason,
        final int exitCode, final byte[] extrasJson)
    {
        final byte[] reasonBytes = reason == null ? VarData.EMPTY : reason;
        final int length = GradienceMessageLengths.runEnd(reasonBytes.length, extrasJson.length);
        final int index = claim(GradienceRunEndEncoder.TEMPLATE_ID, length);
        if (index < 0)
        {
            return false;
        }
        final GradienceRunEndEncoder encoder = runEndEncoder.wrapAndApplyHeader(buffer, index, header)
            .timestamp(timestamp)
            .run(run)
            .step(step)
            .status(status)
            .exitCode(exitCode);
        encoder.fields().clear().reason(reason != null);
        encoder.putReason(reasonBytes, 0, reasonBytes.length)
            .putExtras(extrasJson, 0, extrasJson.length);
        writer.commit(index);
        return true;
    }

    private static byte[] hotExtras(final byte[] json)
    {
        return VarData.orEmpty(json, MAX_HOT_EXTRAS_BYTES, "extra keys of a train_step or eval");
    }
}
