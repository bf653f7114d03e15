package io.blackbox.exporter.gradience;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import io.blackbox.codecs.GradienceAlertDecoder;
import io.blackbox.codecs.GradienceEvalDecoder;
import io.blackbox.codecs.GradienceMetricsDecoder;
import io.blackbox.codecs.GradienceRecommendationDecoder;
import io.blackbox.codecs.GradienceRunEndDecoder;
import io.blackbox.codecs.GradienceRunStartDecoder;
import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.codecs.GradienceTrainStepDecoder;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.exporter.AddedMembers;
import io.blackbox.exporter.EpochSeconds;
import io.blackbox.exporter.JsonMembers;
import io.blackbox.exporter.LineKeys;
import io.blackbox.exporter.RecordDecoding;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.RunFileNames;
import io.blackbox.exporter.RunJsonLines;
import io.blackbox.exporter.RunLinesExport;
import io.blackbox.exporter.Symbols;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes Gradience records as {@code gradience.vnext.telemetry/v1} JSONL, one file per run:
 * {@code ROOT/gradience/<run_id>.jsonl} (the run id encoded by {@link RunFileNames} so it is always a plain file
 * name inside the directory). Keys come in the spec's order: envelope, then the event's payload, then any keys
 * a producer added beyond the spec.
 * <p>
 * Each record is decoded once, straight into its line, and checked as it goes (lengths within the record, symbols
 * defined, enum values known, JSON values parse and have the spec's shape, no key twice): a record that does not
 * decode is refused part-way with a {@link RecordingException} naming the field, and its line is dropped whole.
 * <p>
 * Records of an older schema version decode with their own block length and version (SBE's acting version): a
 * field added since reads as its null value and is not written.
 * <p>
 * A session recorded with a rank ({@code Recorder.Context.rank}) adds {@code rank}, {@code world_size},
 * {@code local_rank} (when known) and {@value #META_HOSTNAME} (when known) to each {@code run_start}'s
 * {@code meta}, the spec's place for environment info, after the recorded keys and only those the recorded meta
 * lacks; a {@code meta} is made when the record has none.
 */
public final class GradienceExport extends RunLinesExport
{
    public static final String FAMILY = "gradience";
    public static final int FIRST_TEMPLATE_ID = 10;
    public static final int LAST_TEMPLATE_ID = 29;

    // Keys and values every line repeats, encoded once (ASCII, nothing to escape): Jackson copies their bytes instead
    // of encoding the characters for every line. Run ids and other recorded text still go through the generator.
    private static final SerializedString SCHEMA_KEY = new SerializedString(GradienceWire.SCHEMA);
    private static final SerializedString SCHEMA_VALUE = new SerializedString(GradienceWire.SCHEMA_ID);
    private static final SerializedString TS_KEY = new SerializedString(GradienceWire.TS);
    private static final SerializedString RUN_ID_KEY = new SerializedString(GradienceWire.RUN_ID);
    private static final SerializedString EVENT_KEY = new SerializedString(GradienceWire.EVENT);
    private static final SerializedString STEP_KEY = new SerializedString(GradienceWire.STEP);
    private static final SerializedString LOSS_KEY = new SerializedString(GradienceWire.LOSS);
    private static final SerializedString LR_KEY = new SerializedString(GradienceWire.LR);
    private static final SerializedString TRAIN_STEP = new SerializedString(GradienceWire.EVENT_TRAIN_STEP);
    private static final SerializedString EVAL = new SerializedString(GradienceWire.EVENT_EVAL);
    private static final SerializedString RUN_START = new SerializedString(GradienceWire.EVENT_RUN_START);
    private static final SerializedString METRICS = new SerializedString(GradienceWire.EVENT_METRICS);
    private static final SerializedString ALERT = new SerializedString(GradienceWire.EVENT_ALERT);
    private static final SerializedString RECOMMENDATION = new SerializedString(GradienceWire.EVENT_RECOMMENDATION);
    private static final SerializedString RUN_END = new SerializedString(GradienceWire.EVENT_RUN_END);

    // Keys of run_start's meta a session with a rank adds (meta's contents are the producer's; the spec names none).
    /** {@code run_start}'s {@code meta}: the recording host's name. */
    public static final String META_HOSTNAME = "hostname";

    private final JsonMembers json = new JsonMembers();
    private AddedMembers sessionMeta = AddedMembers.none();
    private final LineKeys lineKeys = new LineKeys(GradienceWire.ENVELOPE.toArray(new String[0]));
    private final LineKeys metricKeys = new LineKeys();
    private final char[] number = new char[EpochSeconds.MAX_LENGTH];

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final GradienceRunStartDecoder runStart = new GradienceRunStartDecoder();
    private final GradienceTrainStepDecoder trainStep = new GradienceTrainStepDecoder();
    private final GradienceEvalDecoder eval = new GradienceEvalDecoder();
    private final GradienceMetricsDecoder metrics = new GradienceMetricsDecoder();
    private final GradienceAlertDecoder alert = new GradienceAlertDecoder();
    private final GradienceRecommendationDecoder recommendation = new GradienceRecommendationDecoder();
    private final GradienceRunEndDecoder runEnd = new GradienceRunEndDecoder();

    /**
     * @param root the export root; files go to {@code root/gradience/}.
     */
    public GradienceExport(final Path root)
    {
        this(root, false);
    }

    /**
     * @param root the export root; files go to {@code root/gradience/}.
     * @param live whether files are written in place, growing by whole lines ({@link io.blackbox.exporter.JsonLinesWriter#live}).
     */
    public GradienceExport(final Path root, final boolean live)
    {
        this(new RunJsonLines(root.resolve(FAMILY), live));
    }

    /**
     * @param lines where the runs' lines go.
     */
    GradienceExport(final RunJsonLines lines)
    {
        super(lines);
    }

    @Override
    public void onSessionStart(final RecordingReader.Session session)
    {
        sessionMeta = AddedMembers.ofRank(session, META_HOSTNAME, false);
    }

    @Override
    public void onSessionEnd(final RecordingReader.Session session)
    {
        sessionMeta = AddedMembers.none();
    }

    public void onRecord(final int templateId, final DirectBuffer buffer, final int offset, final int length,
        final Symbols symbols)
    {
        header.wrap(buffer, offset);
        final int end = offset + length;
        try
        {
            switch (templateId)
            {
                case GradienceTrainStepDecoder.TEMPLATE_ID -> writeTrainStep(buffer, offset, end, symbols);
                case GradienceEvalDecoder.TEMPLATE_ID -> writeEval(buffer, offset, end, symbols);
                case GradienceRunStartDecoder.TEMPLATE_ID -> writeRunStart(buffer, offset, end, symbols);
                case GradienceMetricsDecoder.TEMPLATE_ID -> writeMetrics(buffer, offset, end, symbols);
                case GradienceAlertDecoder.TEMPLATE_ID -> writeAlert(buffer, offset, end, symbols);
                case GradienceRecommendationDecoder.TEMPLATE_ID -> writeRecommendation(buffer, offset, end, symbols);
                case GradienceRunEndDecoder.TEMPLATE_ID -> writeRunEnd(buffer, offset, end, symbols);
                default -> throw new RecordingException("unknown gradience template " + templateId);
            }
        }
        catch (final IndexOutOfBoundsException ex)
        {
            // Every length is checked before it is read: this is a check missing, still a record that does not decode.
            lines.discardLine();
            throw new RecordingException("template " + templateId + " runs past its record (" + length + " bytes; " +
                ex.getMessage() + ")");
        }
        catch (final IOException ex)
        {
            lines.discardLine();
            throw new UncheckedIOException(ex);
        }
        catch (final RuntimeException ex)
        {
            // A RecordingException names the field; whatever failed, the file keeps whole lines only.
            lines.discardLine();
            throw ex;
        }
    }

    private void writeTrainStep(final DirectBuffer buffer, final int offset, final int end, final Symbols symbols)
        throws IOException
    {
        RecordDecoding.requireBlock(header, GradienceWire.EVENT_TRAIN_STEP, GradienceTrainStepDecoder.BLOCK_LENGTH, offset, end);
        final GradienceTrainStepDecoder d = trainStep.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin(TRAIN_STEP, d.timestamp(), d.run(), d.step(), symbols);
        final boolean hasLoss = d.fields().loss();
        final boolean hasLr = d.fields().lr();
        final boolean lrPerGroup = d.fields().lrPerGroup();
        if (hasLoss)
        {
            lineKeys.add(GradienceWire.LOSS);
            g.writeFieldName(LOSS_KEY);
            g.writeNumber(d.loss());
        }
        final double lr = d.lr();
        final GradienceTrainStepDecoder.LrGroupsDecoder lrGroups = d.lrGroups();
        RecordDecoding.requireGroup("lrGroups", lrGroups.count(), lrGroups.actingBlockLength(),
            GradienceTrainStepDecoder.LrGroupsDecoder.sbeBlockLength(), d.limit(), end);
        if (hasLr)
        {
            lineKeys.add(GradienceWire.LR);
            g.writeFieldName(LR_KEY);
            if (lrPerGroup)
            {
                g.writeStartArray();
                while (lrGroups.hasNext())
                {
                    g.writeNumber(lrGroups.next().lr());
                }
                g.writeEndArray();
            }
            else
            {
                g.writeNumber(lr);
            }
        }
        // Unless written, the lr groups are skipped: the metric groups start where they end.
        while (lrGroups.hasNext())
        {
            lrGroups.next();
        }
        final GradienceTrainStepDecoder.DoubleMetricsDecoder doubles = d.doubleMetrics();
        RecordDecoding.requireGroup("doubleMetrics", doubles.count(), doubles.actingBlockLength(),
            GradienceTrainStepDecoder.DoubleMetricsDecoder.sbeBlockLength(), d.limit(), end);
        while (doubles.hasNext())
        {
            doubles.next();
            g.writeNumberField(key(symbols, doubles.key(), "doubleMetrics key", lineKeys), doubles.value());
        }
        final GradienceTrainStepDecoder.LongMetricsDecoder longs = d.longMetrics();
        RecordDecoding.requireGroup("longMetrics", longs.count(), longs.actingBlockLength(),
            GradienceTrainStepDecoder.LongMetricsDecoder.sbeBlockLength(), d.limit(), end);
        while (longs.hasNext())
        {
            longs.next();
            g.writeNumberField(key(symbols, longs.key(), "longMetrics key", lineKeys), longs.value());
        }
        final int extrasOffset = d.limit() + GradienceTrainStepDecoder.extrasHeaderLength();
        final int extrasLength = RecordDecoding.checkLength("extras", d.extrasLength(), extrasOffset, end);
        json.copyMembers(g, "extras", buffer, extrasOffset, extrasLength, lineKeys);
        d.skipExtras();
        end(g);
    }

    private void writeEval(final DirectBuffer buffer, final int offset, final int end, final Symbols symbols)
        throws IOException
    {
        RecordDecoding.requireBlock(header, GradienceWire.EVENT_EVAL, GradienceEvalDecoder.BLOCK_LENGTH, offset, end);
        final GradienceEvalDecoder d = eval.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin(EVAL, d.timestamp(), d.run(), d.step(), symbols);
        lineKeys.add(GradienceWire.SPLIT);
        g.writeStringField(GradienceWire.SPLIT, RecordDecoding.symbol(symbols, d.split(), GradienceWire.SPLIT));
        lineKeys.add(GradienceWire.METRICS);
        g.writeFieldName(GradienceWire.METRICS);
        g.writeStartObject();
        metricKeys.reset();
        if (d.fields().ppl())
        {
            metricKeys.add(GradienceWire.PPL);
            g.writeNumberField(GradienceWire.PPL, d.ppl());
        }
        if (d.fields().accuracy())
        {
            metricKeys.add(GradienceWire.ACCURACY);
            g.writeNumberField(GradienceWire.ACCURACY, d.accuracy());
        }
        if (d.fields().loss())
        {
            metricKeys.add(GradienceWire.LOSS);
            g.writeNumberField(GradienceWire.LOSS, d.loss());
        }
        if (d.fields().n())
        {
            metricKeys.add(GradienceWire.N);
            g.writeNumberField(GradienceWire.N, d.n());
        }
        final GradienceEvalDecoder.DoubleMetricsDecoder doubles = d.doubleMetrics();
        RecordDecoding.requireGroup("doubleMetrics", doubles.count(), doubles.actingBlockLength(),
            GradienceEvalDecoder.DoubleMetricsDecoder.sbeBlockLength(), d.limit(), end);
        while (doubles.hasNext())
        {
            doubles.next();
            g.writeNumberField(key(symbols, doubles.key(), "doubleMetrics key", metricKeys), doubles.value());
        }
        final GradienceEvalDecoder.LongMetricsDecoder longs = d.longMetrics();
        RecordDecoding.requireGroup("longMetrics", longs.count(), longs.actingBlockLength(),
            GradienceEvalDecoder.LongMetricsDecoder.sbeBlockLength(), d.limit(), end);
        while (longs.hasNext())
        {
            longs.next();
            g.writeNumberField(key(symbols, longs.key(), "longMetrics key", metricKeys), longs.value());
        }
        final int metricsExtrasOffset = d.limit() + GradienceEvalDecoder.metricsExtrasHeaderLength();
        final int metricsExtrasLength = RecordDecoding.checkLength("metricsExtras", d.metricsExtrasLength(), metricsExtrasOffset, end);
        json.copyMembers(g, "metricsExtras", buffer, metricsExtrasOffset, metricsExtrasLength, metricKeys);
        d.skipMetricsExtras();
        g.writeEndObject();
        final int extrasOffset = d.limit() + GradienceEvalDecoder.extrasHeaderLength();
        final int extrasLength = RecordDecoding.checkLength("extras", d.extrasLength(), extrasOffset, end);
        json.copyMembers(g, "extras", buffer, extrasOffset, extrasLength, lineKeys);
        d.skipExtras();
        end(g);
    }

    private void writeRunStart(final DirectBuffer buffer, final int offset, final int end, final Symbols symbols)
        throws IOException
    {
        RecordDecoding.requireBlock(header, GradienceWire.EVENT_RUN_START, GradienceRunStartDecoder.BLOCK_LENGTH, offset, end);
        final GradienceRunStartDecoder d = runStart.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin(RUN_START, d.timestamp(), d.run(), d.step(), symbols);
        writeJson(g, GradienceWire.CONFIG, buffer, d.limit() + GradienceRunStartDecoder.configHeaderLength(), d.configLength(), end,
            JsonToken.START_OBJECT, true);
        d.skipConfig();
        final int metaOffset = d.limit() + GradienceRunStartDecoder.metaHeaderLength();
        if (sessionMeta.isEmpty())
        {
            writeJson(g, GradienceWire.META, buffer, metaOffset, d.metaLength(), end, JsonToken.START_OBJECT, false);
            d.skipMeta();
        }
        else
        {
            writeMetaWithSession(g, d, buffer, metaOffset, end);
        }
        writeExtras(g, buffer, d.limit() + GradienceRunStartDecoder.extrasHeaderLength(), d.extrasLength(), end);
        d.skipExtras();
        end(g);
    }

    /**
     * Write {@code meta} with the session's keys it lacks (the producer's own values win), after its own; a meta of the
     * session's keys alone when the record has none, unless its extra keys hold a {@code meta} of the producer's.
     */
    private void writeMetaWithSession(final JsonGenerator g, final GradienceRunStartDecoder d, final DirectBuffer buffer,
        final int metaOffset, final int end) throws IOException
    {
        final int metaLength = RecordDecoding.checkLength(GradienceWire.META, d.metaLength(), metaOffset, end);
        d.skipMeta();
        if (0 != metaLength)
        {
            lineKeys.add(GradienceWire.META);
            g.writeFieldName(GradienceWire.META);
            sessionMeta.writeObject(g, json, GradienceWire.META, buffer, metaOffset, metaLength);
            return;
        }
        final int extrasOffset = d.limit() + GradienceRunStartDecoder.extrasHeaderLength();
        final int extrasLength = RecordDecoding.checkLength("extras", d.extrasLength(), extrasOffset, end);
        if (!sessionMeta.objectHasKey(GradienceWire.META, buffer, extrasOffset, extrasLength))
        {
            lineKeys.add(GradienceWire.META);
            g.writeFieldName(GradienceWire.META);
            sessionMeta.writeAll(g);
        }
    }

    private void writeMetrics(final DirectBuffer buffer, final int offset, final int end, final Symbols symbols)
        throws IOException
    {
        RecordDecoding.requireBlock(header, GradienceWire.EVENT_METRICS, GradienceMetricsDecoder.BLOCK_LENGTH, offset, end);
        final GradienceMetricsDecoder d = metrics.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin(METRICS, d.timestamp(), d.run(), d.step(), symbols);
        lineKeys.add(GradienceWire.KIND);
        g.writeStringField(GradienceWire.KIND, RecordDecoding.symbol(symbols, d.kind(), GradienceWire.KIND));
        writeJson(g, GradienceWire.METRICS, buffer, d.limit() + GradienceMetricsDecoder.metricsHeaderLength(), d.metricsLength(), end,
            JsonToken.START_OBJECT, true);
        d.skipMetrics();
        writeExtras(g, buffer, d.limit() + GradienceMetricsDecoder.extrasHeaderLength(), d.extrasLength(), end);
        d.skipExtras();
        end(g);
    }

    private void writeAlert(final DirectBuffer buffer, final int offset, final int end, final Symbols symbols)
        throws IOException
    {
        RecordDecoding.requireBlock(header, GradienceWire.EVENT_ALERT, GradienceAlertDecoder.BLOCK_LENGTH, offset, end);
        final GradienceAlertDecoder d = alert.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin(ALERT, d.timestamp(), d.run(), d.step(), symbols);
        lineKeys.add(GradienceWire.SEVERITY);
        g.writeStringField(GradienceWire.SEVERITY, severity(d.severityRaw()));
        RecordDecoding.checkLength(GradienceWire.CODE, d.codeLength(), d.limit() + GradienceAlertDecoder.codeHeaderLength(), end);
        lineKeys.add(GradienceWire.CODE);
        g.writeStringField(GradienceWire.CODE, d.code());
        RecordDecoding.checkLength(GradienceWire.MESSAGE, d.messageLength(), d.limit() + GradienceAlertDecoder.messageHeaderLength(), end);
        lineKeys.add(GradienceWire.MESSAGE);
        g.writeStringField(GradienceWire.MESSAGE, d.message());
        writeJson(g, GradienceWire.CONTEXT, buffer, d.limit() + GradienceAlertDecoder.contextHeaderLength(), d.contextLength(), end,
            JsonToken.START_OBJECT, false);
        d.skipContext();
        writeExtras(g, buffer, d.limit() + GradienceAlertDecoder.extrasHeaderLength(), d.extrasLength(), end);
        d.skipExtras();
        end(g);
    }

    private void writeRecommendation(final DirectBuffer buffer, final int offset, final int end, final Symbols symbols)
        throws IOException
    {
        RecordDecoding.requireBlock(header, GradienceWire.EVENT_RECOMMENDATION, GradienceRecommendationDecoder.BLOCK_LENGTH, offset, end);
        final GradienceRecommendationDecoder d = recommendation.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin(RECOMMENDATION, d.timestamp(), d.run(), d.step(), symbols);
        writeJson(g, GradienceWire.RECOMMENDATIONS, buffer, d.limit() + GradienceRecommendationDecoder.recommendationsHeaderLength(),
            d.recommendationsLength(), end, JsonToken.START_ARRAY, true);
        d.skipRecommendations();
        writeExtras(g, buffer, d.limit() + GradienceRecommendationDecoder.extrasHeaderLength(), d.extrasLength(), end);
        d.skipExtras();
        end(g);
    }

    private void writeRunEnd(final DirectBuffer buffer, final int offset, final int end, final Symbols symbols)
        throws IOException
    {
        // Version 0 records end their block where exitCode begins.
        RecordDecoding.requireBlock(header, GradienceWire.EVENT_RUN_END, header.version() < GradienceRunEndDecoder.exitCodeSinceVersion() ?
            GradienceRunEndDecoder.exitCodeEncodingOffset() : GradienceRunEndDecoder.BLOCK_LENGTH, offset, end);
        final GradienceRunEndDecoder d = runEnd.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin(RUN_END, d.timestamp(), d.run(), d.step(), symbols);
        lineKeys.add(GradienceWire.STATUS);
        g.writeStringField(GradienceWire.STATUS, status(d.statusRaw()));
        final boolean hasReason = d.fields().reason();
        RecordDecoding.checkLength(GradienceWire.REASON, d.reasonLength(), d.limit() + GradienceRunEndDecoder.reasonHeaderLength(), end);
        final String reason = d.reason();
        if (hasReason)
        {
            lineKeys.add(GradienceWire.REASON);
            g.writeStringField(GradienceWire.REASON, reason);
        }
        final int exitCode = d.exitCode(); // the null value in a record of a version before exitCode
        if (exitCode != GradienceRunEndDecoder.exitCodeNullValue())
        {
            lineKeys.add(GradienceWire.EXTENSION_EXIT_CODE);
            g.writeNumberField(GradienceWire.EXTENSION_EXIT_CODE, exitCode);
        }
        writeExtras(g, buffer, d.limit() + GradienceRunEndDecoder.extrasHeaderLength(), d.extrasLength(), end);
        d.skipExtras();
        end(g);
    }

    private JsonGenerator begin(final SerializedString event, final long timestamp, final int run, final long step,
        final Symbols symbols) throws IOException
    {
        final String runId = RecordDecoding.symbol(symbols, run, "run");
        final JsonGenerator g = lines.beginLine(runId);
        lineKeys.reset();
        g.writeStartObject();
        g.writeFieldName(SCHEMA_KEY);
        g.writeString(SCHEMA_VALUE);
        g.writeFieldName(TS_KEY);
        g.writeNumber(number, 0, EpochSeconds.format(timestamp, number));
        g.writeFieldName(RUN_ID_KEY);
        g.writeString(runId);
        g.writeFieldName(EVENT_KEY);
        g.writeString(event);
        g.writeFieldName(STEP_KEY);
        if (step == GradienceTrainStepDecoder.stepNullValue())
        {
            g.writeNull();
        }
        else
        {
            g.writeNumber(step);
        }
        return g;
    }

    private void end(final JsonGenerator g) throws IOException
    {
        g.writeEndObject();
        lines.endLine();
    }

    /**
     * Write a var data field's JSON value as the line's key of the same name; nothing when it is absent (length 0).
     *
     * @param dataOffset where the data starts.
     * @param length     its length as the decoder read it.
     */
    private void writeJson(final JsonGenerator g, final String field, final DirectBuffer buffer, final int dataOffset,
        final int length, final int end, final JsonToken shape, final boolean required) throws IOException
    {
        if (RecordDecoding.checkLength(field, length, dataOffset, end) == 0)
        {
            if (required)
            {
                throw new RecordingException(field + ": missing (length 0)");
            }
            return;
        }
        lineKeys.add(field);
        g.writeFieldName(field);
        json.writeValue(g, field, buffer, dataOffset, length, shape);
    }

    private void writeExtras(final JsonGenerator g, final DirectBuffer buffer, final int offset, final int length,
        final int end) throws IOException
    {
        json.copyMembers(g, "extras", buffer, offset, RecordDecoding.checkLength("extras", length, offset, end), lineKeys);
    }

    /**
     * @return the symbol's string, a key not yet in {@code keys}.
     */
    private static String key(final Symbols symbols, final int symbol, final String field, final LineKeys keys)
    {
        final String key = RecordDecoding.symbol(symbols, symbol, field);
        keys.add(key);
        return key;
    }

    private static String severity(final short severity)
    {
        if (severity < GradienceSeverity.INFO.value() || severity > GradienceSeverity.CRITICAL.value())
        {
            throw new RecordingException("severity: unknown value " + severity);
        }
        return switch (GradienceSeverity.get(severity))
        {
            case INFO -> GradienceWire.SEVERITY_INFO;
            case WARNING -> GradienceWire.SEVERITY_WARNING;
            case ERROR -> GradienceWire.SEVERITY_ERROR;
            case CRITICAL -> GradienceWire.SEVERITY_CRITICAL;
            default -> throw new RecordingException("severity: unknown value " + severity);
        };
    }

    private static String status(final short status)
    {
        if (status < GradienceRunStatus.OK.value() || status > GradienceRunStatus.ERROR.value())
        {
            throw new RecordingException("status: unknown value " + status);
        }
        return switch (GradienceRunStatus.get(status))
        {
            case OK -> GradienceWire.STATUS_OK;
            case ABORTED -> GradienceWire.STATUS_ABORTED;
            case ERROR -> GradienceWire.STATUS_ERROR;
            default -> throw new RecordingException("status: unknown value " + status);
        };
    }
}
