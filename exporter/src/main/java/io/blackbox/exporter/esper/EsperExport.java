package io.blackbox.exporter.esper;

import com.fasterxml.jackson.core.JsonGenerator;
import io.blackbox.codecs.EsperEpochCompletedDecoder;
import io.blackbox.codecs.EsperEventCode;
import io.blackbox.codecs.EsperEventDecoder;
import io.blackbox.codecs.EsperPpoUpdateDecoder;
import io.blackbox.codecs.EsperPpoUpdateFieldsDecoder;
import io.blackbox.codecs.EsperRewardComputedDecoder;
import io.blackbox.codecs.EsperSeverity;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.RecordDecoding;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.RunJsonLines;
import io.blackbox.exporter.RunLinesExport;
import io.blackbox.exporter.Symbols;
import io.blackbox.recorder.EmitterContext;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The Esper export: each record a line of {@code ROOT/esper/<run>.jsonl}, one {@code TelemetryEvent} as esper-lite's
 * {@code json.dumps} writes it (envelope keys in the original's order, {@code ", "} and {@code ": "}, Python floats,
 * bare NaN and Infinity, timestamps to the microsecond with {@code +00:00}).
 * <p>
 * Every payload is read into its typed form before it is written ({@link EsperEventType#readPayload}), so a record
 * whose payload does not make its type (a required key missing, a wrong type: a producer's mistake through
 * {@code EsperEmitter.event}) is refused as damage naming the key, and nothing of it is written. The three fixed
 * records are written from the typed payload ({@link EsperPayload#toMap()}: every field of the payload, defaults
 * included, as the original's dataclass writes them); an {@code EsperEvent} record's payload is written as it was
 * recorded, its key order and keys beyond the spec kept (an imported file's extra keys go through).
 * <p>
 * A session recorded with a rank ({@code Recorder.Context.rank}) writes it into each {@code TRAINING_STARTED}
 * payload that lacks {@code world_size}, {@code rank} or {@code local_rank} (the last when known): after the recorded
 * keys, as an {@code EsperEvent}'s payload keeps its recorded order; a recorded value wins, unless it is the spec's
 * defaults (world size 1, rank 0, local rank 0) in a session of a job of several ranks: a payload made by
 * {@code TrainingStarted.toMap()} always has the three, the defaults when its producer gave none.
 */
public final class EsperExport extends RunLinesExport
{
    public static final int FIRST_TEMPLATE_ID = 90;
    public static final int LAST_TEMPLATE_ID = 119;

    private static final int NANOS_PER_MICRO = 1000;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final EsperRewardComputedDecoder reward = new EsperRewardComputedDecoder();
    private final EsperPpoUpdateDecoder ppoUpdate = new EsperPpoUpdateDecoder();
    private final EsperEpochCompletedDecoder epochCompleted = new EsperEpochCompletedDecoder();
    private final EsperEventDecoder event = new EsperEventDecoder();
    private final StringBuilder line = new StringBuilder(1024);
    private char[] chars = new char[4096];
    // TRAINING_STARTED's keys this session gives, in the spec's order; empty without a rank.
    private Map<String, Object> sessionRank = Map.of();

    /**
     * @param root the export root; files go to {@code root/esper/}.
     * @param live whether files are written in place, growing by whole lines.
     */
    public EsperExport(final Path root, final boolean live)
    {
        this(new RunJsonLines(root.resolve(EsperWire.FAMILY), live));
    }

    /**
     * @param lines where the runs' lines go.
     */
    EsperExport(final RunJsonLines lines)
    {
        super(lines);
    }

    @Override
    public void onSessionStart(final RecordingReader.Session session)
    {
        sessionRank = Map.of();
        if (session.hasRank())
        {
            final Map<String, Object> rank = new LinkedHashMap<>(4);
            rank.put(EsperWire.WORLD_SIZE, session.worldSize());
            rank.put(EsperWire.RANK, session.rank());
            if (RecordingReader.Session.NO_RANK != session.localRank())
            {
                rank.put(EsperWire.LOCAL_RANK, session.localRank());
            }
            sessionRank = rank;
        }
    }

    @Override
    public void onSessionEnd(final RecordingReader.Session session)
    {
        sessionRank = Map.of();
    }

    public void onRecord(final int templateId, final DirectBuffer buffer, final int offset, final int length,
        final Symbols symbols)
    {
        header.wrap(buffer, offset);
        final int end = offset + length;
        final String runId;
        final Map<String, Object> envelope;
        try
        {
            switch (templateId)
            {
                case EsperRewardComputedDecoder.TEMPLATE_ID:
                    RecordDecoding.requireBlock(header, "rewardComputed", EsperRewardComputedDecoder.BLOCK_LENGTH,
                        offset, end);
                    reward.wrapAndApplyHeader(buffer, offset, header);
                    runId = RecordDecoding.symbol(symbols, reward.run(), "run");
                    envelope = rewardComputed(buffer, end, symbols);
                    break;

                case EsperPpoUpdateDecoder.TEMPLATE_ID:
                    RecordDecoding.requireBlock(header, "ppoUpdate", EsperPpoUpdateDecoder.BLOCK_LENGTH, offset, end);
                    ppoUpdate.wrapAndApplyHeader(buffer, offset, header);
                    runId = RecordDecoding.symbol(symbols, ppoUpdate.run(), "run");
                    envelope = ppoUpdate(buffer, end, symbols);
                    break;

                case EsperEpochCompletedDecoder.TEMPLATE_ID:
                    RecordDecoding.requireBlock(header, "epochCompleted", EsperEpochCompletedDecoder.BLOCK_LENGTH,
                        offset, end);
                    epochCompleted.wrapAndApplyHeader(buffer, offset, header);
                    runId = RecordDecoding.symbol(symbols, epochCompleted.run(), "run");
                    envelope = epochCompleted(buffer, end, symbols);
                    break;

                case EsperEventDecoder.TEMPLATE_ID:
                    RecordDecoding.requireBlock(header, "event", EsperEventDecoder.BLOCK_LENGTH, offset, end);
                    event.wrapAndApplyHeader(buffer, offset, header);
                    runId = RecordDecoding.symbol(symbols, event.run(), "run");
                    envelope = event(buffer, end, symbols);
                    break;

                default:
                    throw new RecordingException("unknown esper template " + templateId);
            }
        }
        catch (final EsperFormatException ex)
        {
            throw new RecordingException(ex.getMessage());
        }
        line.setLength(0);
        EsperValues.appendJson(line, envelope);
        if (chars.length < line.length())
        {
            chars = new char[Math.max(line.length(), 2 * chars.length)];
        }
        line.getChars(0, line.length(), chars, 0); // no String of the line: the generator takes the chars
        final JsonGenerator g = lines.beginLine(runId);
        try
        {
            g.writeRaw(chars, 0, line.length());
            lines.endLine();
        }
        catch (final IOException ex)
        {
            lines.discardLine();
            throw new UncheckedIOException(ex);
        }
        catch (final RuntimeException ex)
        {
            lines.discardLine();
            throw ex;
        }
    }

    private Map<String, Object> rewardComputed(final DirectBuffer buffer, final int end, final Symbols symbols)
    {
        final EsperRewardComputedDecoder d = reward;
        final Map<String, Object> data = new LinkedHashMap<>(32);
        data.put(EsperWire.ENV_ID, d.envId());
        data.put(EsperWire.TOTAL_REWARD, d.totalReward());
        data.put(EsperWire.ACTION_NAME, RecordDecoding.symbol(symbols, d.actionName(), "actionName"));
        data.put(EsperWire.VALUE_ESTIMATE, d.valueEstimate());
        data.put(EsperWire.ACTION_CONFIDENCE, d.actionConfidence());
        data.put(EsperWire.BASE_ACC_DELTA, d.baseAccDelta());
        data.put(EsperWire.BOUNDED_ATTRIBUTION, d.boundedAttribution());
        data.put(EsperWire.SEED_CONTRIBUTION, d.seedContribution());
        data.put(EsperWire.COMPUTE_RENT, d.computeRent());
        data.put(EsperWire.ALPHA_SHOCK, d.alphaShock());
        data.put(EsperWire.RATIO_PENALTY, d.ratioPenalty());
        data.put(EsperWire.STAGE_BONUS, d.stageBonus());
        data.put(EsperWire.FOSSILIZE_TERMINAL_BONUS, d.fossilizeTerminalBonus());
        data.put(EsperWire.BLENDING_WARNING, d.blendingWarning());
        data.put(EsperWire.HOLDING_WARNING, d.holdingWarning());
        data.put(EsperWire.VAL_ACC, d.valAcc());
        data.put(EsperWire.HOST_ACCURACY, d.hostAccuracy());
        data.put(EsperWire.DECISION_ENTROPY, d.decisionEntropy());
        data.put(EsperWire.AB_GROUP, optionalSymbol(symbols, d.abGroup(), "abGroup"));
        data.put(EsperWire.ACTION_SLOT, optionalSymbol(symbols, d.actionSlot(), "actionSlot"));
        final Map<String, Object> envelope = envelope(d.eventIdHigh(), d.eventIdLow(), EsperEventType.REWARD_COMPUTED,
            d.timestamp(), d.seedId(), d.slotId(), d.epoch(), d.groupId(), d.severityRaw(), symbols);
        final int structuresOffset = d.limit() + EsperRewardComputedDecoder.structuresHeaderLength();
        final Map<String, Object> structures = jsonObject("structures", buffer, structuresOffset,
            RecordDecoding.checkLength("structures", d.structuresLength(), structuresOffset, end));
        d.skipStructures();
        if (null != structures)
        {
            data.putAll(structures);
        }
        return finish(envelope, EsperEventType.REWARD_COMPUTED, data, message(d.limit(),
            EsperRewardComputedDecoder.messageHeaderLength(), d.messageLength(), buffer, end));
    }

    private Map<String, Object> ppoUpdate(final DirectBuffer buffer, final int end, final Symbols symbols)
    {
        final EsperPpoUpdateDecoder d = ppoUpdate;
        final EsperPpoUpdateFieldsDecoder fields = d.fields();
        final Map<String, Object> data = new LinkedHashMap<>(64);
        data.put(EsperWire.POLICY_LOSS, d.policyLoss());
        data.put(EsperWire.VALUE_LOSS, d.valueLoss());
        data.put(EsperWire.ENTROPY, d.entropy());
        data.put(EsperWire.GRAD_NORM, d.gradNorm());
        data.put(EsperWire.KL_DIVERGENCE, d.klDivergence());
        data.put(EsperWire.CLIP_FRACTION, d.clipFraction());
        data.put(EsperWire.NAN_GRAD_COUNT, d.nanGradCount());
        data.put(EsperWire.EXPLAINED_VARIANCE, fields.explainedVariance() ? d.explainedVariance() : null);
        data.put(EsperWire.ENTROPY_LOSS, d.entropyLoss());
        data.put(EsperWire.ADVANTAGE_MEAN, d.advantageMean());
        data.put(EsperWire.ADVANTAGE_STD, d.advantageStd());
        data.put(EsperWire.RATIO_MEAN, d.ratioMean());
        data.put(EsperWire.RATIO_MIN, d.ratioMin());
        data.put(EsperWire.RATIO_MAX, d.ratioMax());
        data.put(EsperWire.RATIO_STD, d.ratioStd());
        data.put(EsperWire.LR, fields.lr() ? d.lr() : null);
        data.put(EsperWire.ENTROPY_COEF, fields.entropyCoef() ? d.entropyCoef() : null);
        data.put(EsperWire.INF_GRAD_COUNT, d.infGradCount());
        data.put(EsperWire.DEAD_LAYERS, d.deadLayers());
        data.put(EsperWire.EXPLODING_LAYERS, d.explodingLayers());
        data.put(EsperWire.ENTROPY_COLLAPSED, fields.entropyCollapsed());
        data.put(EsperWire.LOSS_SCALE, fields.lossScale() ? d.lossScale() : null);
        data.put(EsperWire.AMP_OVERFLOW_DETECTED, fields.ampOverflowDetected());
        data.put(EsperWire.UPDATE_SKIPPED, fields.updateSkipped());
        data.put(EsperWire.UPDATE_TIME_MS, d.updateTimeMs());
        data.put(EsperWire.EARLY_STOP_EPOCH, fields.earlyStopEpoch() ? d.earlyStopEpoch() : null);
        data.put(EsperWire.INNER_EPOCH, d.innerEpoch());
        data.put(EsperWire.BATCH, d.batch());
        data.put(EsperWire.SKIPPED, fields.skipped());
        final Map<String, Object> envelope = envelope(d.eventIdHigh(), d.eventIdLow(),
            EsperEventType.PPO_UPDATE_COMPLETED, d.timestamp(), d.seedId(), d.slotId(), d.epoch(), d.groupId(),
            d.severityRaw(), symbols);
        final int mapsOffset = d.limit() + EsperPpoUpdateDecoder.mapsHeaderLength();
        final Map<String, Object> maps = jsonObject("maps", buffer, mapsOffset,
            RecordDecoding.checkLength("maps", d.mapsLength(), mapsOffset, end));
        d.skipMaps();
        if (null != maps)
        {
            data.putAll(maps);
        }
        return finish(envelope, EsperEventType.PPO_UPDATE_COMPLETED, data, message(d.limit(),
            EsperPpoUpdateDecoder.messageHeaderLength(), d.messageLength(), buffer, end));
    }

    private Map<String, Object> epochCompleted(final DirectBuffer buffer, final int end, final Symbols symbols)
    {
        final EsperEpochCompletedDecoder d = epochCompleted;
        final Map<String, Object> data = new LinkedHashMap<>(8);
        data.put(EsperWire.ENV_ID, d.envId());
        data.put(EsperWire.VAL_ACCURACY, d.valAccuracy());
        data.put(EsperWire.VAL_LOSS, d.valLoss());
        data.put(EsperWire.INNER_EPOCH, d.innerEpoch());
        final Map<String, Object> envelope = envelope(d.eventIdHigh(), d.eventIdLow(), EsperEventType.EPOCH_COMPLETED,
            d.timestamp(), d.seedId(), d.slotId(), d.epoch(), d.groupId(), d.severityRaw(), symbols);
        final int seedsOffset = d.limit() + EsperEpochCompletedDecoder.seedsHeaderLength();
        final Map<String, Object> seeds = jsonObject("seeds", buffer, seedsOffset,
            RecordDecoding.checkLength("seeds", d.seedsLength(), seedsOffset, end));
        d.skipSeeds();
        data.put(EsperWire.SEEDS, seeds);
        return finish(envelope, EsperEventType.EPOCH_COMPLETED, data, message(d.limit(),
            EsperEpochCompletedDecoder.messageHeaderLength(), d.messageLength(), buffer, end));
    }

    private Map<String, Object> event(final DirectBuffer buffer, final int end, final Symbols symbols)
    {
        final EsperEventDecoder d = event;
        final short code = d.eventTypeRaw();
        final EsperEventCode eventCode = EsperEventCode.get(code);
        if (EsperEventCode.NULL_VAL == eventCode)
        {
            throw new RecordingException("eventType: unknown value " + code);
        }
        final EsperEventType type = EsperEventType.valueOf(eventCode.name());
        final Map<String, Object> envelope = envelope(d.eventIdHigh(), d.eventIdLow(), type, d.timestamp(),
            d.seedId(), d.slotId(), d.epoch(), d.groupId(), d.severityRaw(), symbols);
        final int payloadOffset = d.limit() + EsperEventDecoder.payloadHeaderLength();
        final Map<String, Object> payload = jsonObject("payload", buffer, payloadOffset,
            RecordDecoding.checkLength("payload", d.payloadLength(), payloadOffset, end));
        d.skipPayload();
        if (null == payload)
        {
            throw new RecordingException("payload: missing, required by " + type.name());
        }
        final String message = message(d.limit(), EsperEventDecoder.messageHeaderLength(), d.messageLength(),
            buffer, end);
        try
        {
            type.readPayload(payload); // only to refuse a payload that does not make its type
        }
        catch (final EsperFormatException ex)
        {
            throw new RecordingException(ex.under(EsperWire.DATA).getMessage());
        }
        if (EsperEventType.TRAINING_STARTED == type)
        {
            addSessionRank(payload);
        }
        envelope.put(EsperWire.MESSAGE, message);
        envelope.put(EsperWire.DATA, payload);
        envelope.put(EsperWire.SEVERITY, envelope.remove(EsperWire.SEVERITY));
        return envelope;
    }

    /**
     * Put the session's rank keys the recorded payload lacks after its own keys: the producer's values win, except the
     * spec's defaults in a job of more than one rank. A typed payload ({@code TrainingStarted.toMap()}) always has the
     * three keys, 1, 0 and 0 when its producer gave none; a session that says it is one of several ranks contradicts
     * "world_size 1", so there the defaults are what the producer did not say, and the session's values replace them
     * in place.
     */
    private void addSessionRank(final Map<String, Object> payload)
    {
        if (sessionRank.isEmpty())
        {
            return;
        }
        if ((Integer)sessionRank.get(EsperWire.WORLD_SIZE) > 1 && isNumber(payload.get(EsperWire.WORLD_SIZE), 1) &&
            isNumber(payload.get(EsperWire.RANK), 0) &&
            (!payload.containsKey(EsperWire.LOCAL_RANK) || isNumber(payload.get(EsperWire.LOCAL_RANK), 0)))
        {
            payload.put(EsperWire.WORLD_SIZE, sessionRank.get(EsperWire.WORLD_SIZE));
            payload.put(EsperWire.RANK, sessionRank.get(EsperWire.RANK));
            if (payload.containsKey(EsperWire.LOCAL_RANK) && sessionRank.containsKey(EsperWire.LOCAL_RANK))
            {
                payload.put(EsperWire.LOCAL_RANK, sessionRank.get(EsperWire.LOCAL_RANK));
            }
        }
        for (final Map.Entry<String, Object> key : sessionRank.entrySet())
        {
            if (!payload.containsKey(key.getKey()))
            {
                payload.put(key.getKey(), key.getValue());
            }
        }
    }

    private static boolean isNumber(final Object value, final long expected)
    {
        return value instanceof Number number && !(value instanceof Double) && !(value instanceof Float) &&
            number.longValue() == expected;
    }

    /**
     * The envelope's keys up to {@code group_id}, and {@code severity}; {@link #finish} puts message and data before
     * the severity, in the original's order.
     */
    private static Map<String, Object> envelope(final long idHigh, final long idLow, final EsperEventType type,
        final long timestampNanos, final int seedId, final int slotId, final long epoch, final int groupId,
        final short severityCode, final Symbols symbols)
    {
        final Map<String, Object> map = new LinkedHashMap<>(16);
        map.put(EsperWire.EVENT_ID, new UUID(idHigh, idLow).toString());
        map.put(EsperWire.EVENT_TYPE, type.name());
        map.put(EsperWire.TIMESTAMP, TelemetryEvent.formatTimestamp(Instant.ofEpochSecond(
            Math.floorDiv(timestampNanos, 1_000_000_000L),
            Math.floorMod(timestampNanos, 1_000_000_000L) / NANOS_PER_MICRO * NANOS_PER_MICRO)));
        map.put(EsperWire.SEED_ID, optionalSymbol(symbols, seedId, "seedId"));
        map.put(EsperWire.SLOT_ID, optionalSymbol(symbols, slotId, "slotId"));
        map.put(EsperWire.EPOCH, EsperEventDecoder.epochNullValue() == epoch ? null :
            (epoch == (int)epoch ? (Object)(int)epoch : (Object)epoch));
        map.put(EsperWire.GROUP_ID, EmitterContext.NO_SYMBOL == groupId ? EsperWire.DEFAULT_GROUP_ID :
            RecordDecoding.symbol(symbols, groupId, "groupId"));
        final EsperSeverity severity = EsperSeverity.get(severityCode);
        if (EsperSeverity.NULL_VAL == severity)
        {
            throw new RecordingException("severity: unknown value " + severityCode);
        }
        map.put(EsperWire.SEVERITY, severity.name().toLowerCase(Locale.ROOT));
        return map;
    }

    /**
     * Read the payload into its typed form (refusing what does not make it) and put the typed payload's wire form,
     * with the message, into the envelope.
     */
    private static Map<String, Object> finish(final Map<String, Object> envelope, final EsperEventType type,
        final Map<String, Object> data, final String message)
    {
        final EsperPayload payload;
        try
        {
            payload = type.readPayload(data);
        }
        catch (final EsperFormatException ex)
        {
            throw new RecordingException(ex.under(EsperWire.DATA).getMessage());
        }
        final Object severity = envelope.remove(EsperWire.SEVERITY);
        envelope.put(EsperWire.MESSAGE, message);
        envelope.put(EsperWire.DATA, payload.toMap());
        envelope.put(EsperWire.SEVERITY, severity);
        return envelope;
    }

    private static String optionalSymbol(final Symbols symbols, final int symbol, final String field)
    {
        return EmitterContext.NO_SYMBOL == symbol ? null : RecordDecoding.symbol(symbols, symbol, field);
    }

    /**
     * @return the var data's JSON object as wire values, null when it is empty (absent).
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonObject(final String field, final DirectBuffer buffer, final int offset,
        final int length)
    {
        return 0 == length ? null : JsonLinesReader.MAPPER.convertValue(
            RecordDecoding.jsonObject(field, buffer, offset, length), Map.class);
    }

    private static String message(final int limit, final int headerLength, final long length,
        final DirectBuffer buffer, final int end)
    {
        final int offset = limit + headerLength;
        final int checked = RecordDecoding.checkLength("message", (int)length, offset, end);
        return buffer.getStringWithoutLengthUtf8(offset, checked);
    }
}
