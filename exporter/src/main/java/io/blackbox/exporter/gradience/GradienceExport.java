package io.blackbox.exporter.gradience;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.blackbox.codecs.GradienceAlertDecoder;
import io.blackbox.codecs.GradienceEvalDecoder;
import io.blackbox.codecs.GradienceMetricsDecoder;
import io.blackbox.codecs.GradienceRecommendationDecoder;
import io.blackbox.codecs.GradienceRunEndDecoder;
import io.blackbox.codecs.GradienceRunStartDecoder;
import io.blackbox.codecs.GradienceTrainStepDecoder;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.exporter.EpochSeconds;
import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.JsonLinesWriter;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RunFileNames;
import io.blackbox.exporter.Symbols;
import io.blackbox.recorder.JsonValues;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes Gradience records as {@code gradience.vnext.telemetry/v1} JSONL, one file per run:
 * {@code ROOT/gradience/<run_id>.jsonl} (the run id encoded by {@link RunFileNames} so it is always a plain file
 * name inside the directory). Keys come in the spec's order: envelope, then the event's payload, then any keys
 * a producer added beyond the spec.
 * <p>
 * Each record is checked whole before its line is begun (lengths within the record, symbols defined, enum values
 * known, JSON values parse and have the spec's shape), so a record that does not decode is refused with a
 * {@link RecordingException} naming the field, and no line is ever left half-written.
 */
public final class GradienceExport implements FamilyExport
{
    public static final String FAMILY = "gradience";
    public static final int FIRST_TEMPLATE_ID = 10;
    public static final int LAST_TEMPLATE_ID = 29;

    // JSON values are checked with the limits of the reader that reads the export back, one level shallower (a value
    // sits inside its record's object), and with keys given twice refused, so that every line written reads back.
    private static final JsonFactory CHECK_FACTORY = JsonLinesReader.MAPPER.getFactory().rebuild()
        .streamReadConstraints(JsonLinesReader.MAPPER.getFactory().streamReadConstraints().rebuild()
            .maxNestingDepth(JsonLinesReader.MAX_NESTING_DEPTH - 1)
            .build())
        .build();

    private final Path directory;
    // Keys and values every line repeats, encoded once (ASCII, nothing to escape): Jackson copies their bytes instead
    // of encoding the characters for every line. Run ids and other recorded text still go through the generator.
    private static final SerializedString SCHEMA_KEY = new SerializedString("schema");
    private static final SerializedString SCHEMA_VALUE = new SerializedString(GradienceValidator.SCHEMA);
    private static final SerializedString TS_KEY = new SerializedString("ts");
    private static final SerializedString RUN_ID_KEY = new SerializedString("run_id");
    private static final SerializedString EVENT_KEY = new SerializedString("event");
    private static final SerializedString STEP_KEY = new SerializedString("step");
    private static final SerializedString LOSS_KEY = new SerializedString("loss");
    private static final SerializedString LR_KEY = new SerializedString("lr");
    private static final SerializedString TRAIN_STEP = new SerializedString("train_step");
    private static final SerializedString EVAL = new SerializedString("eval");
    private static final SerializedString RUN_START = new SerializedString("run_start");
    private static final SerializedString METRICS = new SerializedString("metrics");
    private static final SerializedString ALERT = new SerializedString("alert");
    private static final SerializedString RECOMMENDATION = new SerializedString("recommendation");
    private static final SerializedString RUN_END = new SerializedString("run_end");

    private final Map<String, JsonLinesWriter> files = new HashMap<>();
    private final List<JsonLinesWriter> order = new ArrayList<>();
    private final char[] number = new char[EpochSeconds.MAX_LENGTH];

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final GradienceRunStartDecoder runStart = new GradienceRunStartDecoder();
    private final GradienceTrainStepDecoder trainStep = new GradienceTrainStepDecoder();
    private final GradienceEvalDecoder eval = new GradienceEvalDecoder();
    private final GradienceMetricsDecoder metrics = new GradienceMetricsDecoder();
    private final GradienceAlertDecoder alert = new GradienceAlertDecoder();
    private final GradienceRecommendationDecoder recommendation = new GradienceRecommendationDecoder();
    private final GradienceRunEndDecoder runEnd = new GradienceRunEndDecoder();

    private final UnsafeBuffer varData = new UnsafeBuffer(0, 0);
    private final KeyNames lineKeys = new KeyNames();
    private final KeyNames metricKeys = new KeyNames();
    private byte[] jsonScratch = new byte[1024];

    private String lastRunId;
    private JsonLinesWriter lastFile;
    /** The file a line is being written to, between {@link #begin} and {@link #end}. */
    private JsonLinesWriter writing;

    /**
     * @param root the export root; files go to {@code root/gradience/}.
     */
    public GradienceExport(final Path root)
    {
        this.directory = root.resolve(FAMILY);
    }

    public String family()
    {
        return FAMILY;
    }

    public boolean handles(final int templateId)
    {
        return templateId >= FIRST_TEMPLATE_ID && templateId <= LAST_TEMPLATE_ID;
    }

    public void onRecord(final int templateId, final DirectBuffer buffer, final int offset, final int length,
        final Symbols symbols)
    {
        header.wrap(buffer, offset);
        final int end = offset + length;
        switch (templateId)
        {
            case GradienceTrainStepDecoder.TEMPLATE_ID -> checkTrainStep(buffer, offset, end, symbols);
            case GradienceEvalDecoder.TEMPLATE_ID -> checkEval(buffer, offset, end, symbols);
            case GradienceRunStartDecoder.TEMPLATE_ID -> checkRunStart(buffer, offset, end, symbols);
            case GradienceMetricsDecoder.TEMPLATE_ID -> checkMetrics(buffer, offset, end, symbols);
            case GradienceAlertDecoder.TEMPLATE_ID -> checkAlert(buffer, offset, end, symbols);
            case GradienceRecommendationDecoder.TEMPLATE_ID -> checkRecommendation(buffer, offset, end, symbols);
            case GradienceRunEndDecoder.TEMPLATE_ID -> checkRunEnd(buffer, offset, end, symbols);
            default -> throw new RecordingException("unknown gradience template " + templateId);
        }

        header.wrap(buffer, offset);
        try
        {
            switch (templateId)
            {
                case GradienceTrainStepDecoder.TEMPLATE_ID -> writeTrainStep(buffer, offset, symbols);
                case GradienceEvalDecoder.TEMPLATE_ID -> writeEval(buffer, offset, symbols);
                case GradienceRunStartDecoder.TEMPLATE_ID -> writeRunStart(buffer, offset, symbols);
                case GradienceMetricsDecoder.TEMPLATE_ID -> writeMetrics(buffer, offset, symbols);
                case GradienceAlertDecoder.TEMPLATE_ID -> writeAlert(buffer, offset, symbols);
                case GradienceRecommendationDecoder.TEMPLATE_ID -> writeRecommendation(buffer, offset, symbols);
                case GradienceRunEndDecoder.TEMPLATE_ID -> writeRunEnd(buffer, offset, symbols);
                default -> throw new RecordingException("unknown gradience template " + templateId);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final RuntimeException ex)
        {
            // The check above missed something: drop the half-written line, so the file keeps whole lines only.
            if (writing != null)
            {
                writing.discardLine();
                writing = null;
                throw new RecordingException("template " + templateId + " failed half-way through its line (" +
                    ex.getMessage() + "); the line was dropped");
            }
            throw ex;
        }
    }

    // Checks: everything the write methods read, read first without writing, so a bad record fails before its line.

    private void checkTrainStep(final DirectBuffer buffer, final int offset, final int end, final Symbols symbols)
    {
        requireBlockLength("train_step", GradienceTrainStepDecoder.BLOCK_LENGTH);
        final GradienceTrainStepDecoder d = trainStep.wrapAndApplyHeader(buffer, offset, header);
        checkSymbol(symbols, d.run(), "run");
        lineKeys.resetToEnvelope();
        if (d.fields().loss())
        {
            lineKeys.add("loss");
        }
        if (d.fields().lr())
        {
            lineKeys.add("lr");
        }
        final GradienceTrainStepDecoder.LrGroupsDecoder lrGroups = d.lrGroups();
        requireGroupBlockLength("lrGroups", lrGroups.actingBlockLength(),
            GradienceTrainStepDecoder.LrGroupsDecoder.sbeBlockLength());
        while (lrGroups.hasNext())
        {
            lrGroups.next().lr();
        }
        final GradienceTrainStepDecoder.DoubleMetricsDecoder doubles = d.doubleMetrics();
        requireGroupBlockLength("doubleMetrics", doubles.actingBlockLength(),
            GradienceTrainStepDecoder.DoubleMetricsDecoder.sbeBlockLength());
        while (doubles.hasNext())
        {
            lineKeys.add(checkSymbol(symbols, doubles.next().key(), "doubleMetrics key"));
        }
        final GradienceTrainStepDecoder.LongMetricsDecoder longs = d.longMetrics();
        requireGroupBlockLength("longMetrics", longs.actingBlockLength(),
            GradienceTrainStepDecoder.LongMetricsDecoder.sbeBlockLength());
        while (longs.hasNext())
        {
            lineKeys.add(checkSymbol(symbols, longs.next().key(), "longMetrics key"));
        }
        checkLength("extras", d.extrasLength(), d.limit() + GradienceTrainStepDecoder.extrasHeaderLength(), end);
        d.wrapExtras(varData);
        checkJson("extras", varData, JsonToken.START_OBJECT, false, lineKeys);
        requireWithin("train_step", d.limit(), end);
    }

    private void checkEval(final DirectBuffer buffer, final int offset, final int end, final Symbols symbols)
    {
        requireBlockLength("eval", GradienceEvalDecoder.BLOCK_LENGTH);
        final GradienceEvalDecoder d = eval.wrapAndApplyHeader(buffer, offset, header);
        checkSymbol(symbols, d.run(), "run");
        checkSymbol(symbols, d.split(), "split");
        lineKeys.resetToEnvelope();
        lineKeys.add("split");
        lineKeys.add("metrics");
        metricKeys.reset();
        if (d.fields().ppl())
        {
            metricKeys.add("ppl");
        }
        if (d.fields().accuracy())
        {
            metricKeys.add("accuracy");
        }
        if (d.fields().loss())
        {
            metricKeys.add("loss");
        }
        if (d.fields().n())
        {
            metricKeys.add("n");
        }
        final GradienceEvalDecoder.DoubleMetricsDecoder doubles = d.doubleMetrics();
        requireGroupBlockLength("doubleMetrics", doubles.actingBlockLength(),
            GradienceEvalDecoder.DoubleMetricsDecoder.sbeBlockLength());
        while (doubles.hasNext())
        {
            metricKeys.add(checkSymbol(symbols, doubles.next().key(), "doubleMetrics key"));
        }
        final GradienceEvalDecoder.LongMetricsDecoder longs = d.longMetrics();
        requireGroupBlockLength("longMetrics", longs.actingBlockLength(),
            GradienceEvalDecoder.LongMetricsDecoder.sbeBlockLength());
        while (longs.hasNext())
        {
            metricKeys.add(checkSymbol(symbols, longs.next().key(), "longMetrics key"));
        }
        checkLength("metricsExtras", d.metricsExtrasLength(),
            d.limit() + GradienceEvalDecoder.metricsExtrasHeaderLength(), end);
        d.wrapMetricsExtras(varData);
        checkJson("metricsExtras", varData, JsonToken.START_OBJECT, false, metricKeys);
        checkLength("extras", d.extrasLength(), d.limit() + GradienceEvalDecoder.extrasHeaderLength(), end);
        d.wrapExtras(varData);
        checkJson("extras", varData, JsonToken.START_OBJECT, false, lineKeys);
        requireWithin("eval", d.limit(), end);
    }

    private void checkRunStart(final DirectBuffer buffer, final int offset, final int end, final Symbols symbols)
    {
        requireBlockLength("run_start", GradienceRunStartDecoder.BLOCK_LENGTH);
        final GradienceRunStartDecoder d = runStart.wrapAndApplyHeader(buffer, offset, header);
        checkSymbol(symbols, d.run(), "run");
        lineKeys.resetToEnvelope();
        lineKeys.add("config");
        checkLength("config", d.configLength(), d.limit() + GradienceRunStartDecoder.configHeaderLength(), end);
        d.wrapConfig(varData);
        checkJson("config", varData, JsonToken.START_OBJECT, true, null);
        checkLength("meta", d.metaLength(), d.limit() + GradienceRunStartDecoder.metaHeaderLength(), end);
        d.wrapMeta(varData);
        if (varData.capacity() > 0)
        {
            lineKeys.add("meta");
        }
        checkJson("meta", varData, JsonToken.START_OBJECT, false, null);
        checkLength("extras", d.extrasLength(), d.limit() + GradienceRunStartDecoder.extrasHeaderLength(), end);
        d.wrapExtras(varData);
        checkJson("extras", varData, JsonToken.START_OBJECT, false, lineKeys);
        requireWithin("run_start", d.limit(), end);
    }

    private void checkMetrics(final DirectBuffer buffer, final int offset, final int end, final Symbols symbols)
    {
        requireBlockLength("metrics", GradienceMetricsDecoder.BLOCK_LENGTH);
        final GradienceMetricsDecoder d = metrics.wrapAndApplyHeader(buffer, offset, header);
        checkSymbol(symbols, d.run(), "run");
        checkSymbol(symbols, d.kind(), "kind");
        lineKeys.resetToEnvelope();
        lineKeys.add("kind");
        lineKeys.add("metrics");
        checkLength("metrics", d.metricsLength(), d.limit() + GradienceMetricsDecoder.metricsHeaderLength(), end);
        d.wrapMetrics(varData);
        checkJson("metrics", varData, JsonToken.START_OBJECT, true, null);
        checkLength("extras", d.extrasLength(), d.limit() + GradienceMetricsDecoder.extrasHeaderLength(), end);
        d.wrapExtras(varData);
        checkJson("extras", varData, JsonToken.START_OBJECT, false, lineKeys);
        requireWithin("metrics", d.limit(), end);
    }

    private void checkAlert(final DirectBuffer buffer, final int offset, final int end, final Symbols symbols)
    {
        requireBlockLength("alert", GradienceAlertDecoder.BLOCK_LENGTH);
        final GradienceAlertDecoder d = alert.wrapAndApplyHeader(buffer, offset, header);
        checkSymbol(symbols, d.run(), "run");
        final short severity = d.severityRaw();
        if (severity < GradienceSeverity.INFO.value() || severity > GradienceSeverity.CRITICAL.value())
        {
            throw new RecordingException("severity: unknown value " + severity);
        }
        checkLength("code", d.codeLength(), d.limit() + GradienceAlertDecoder.codeHeaderLength(), end);
        d.wrapCode(varData);
        checkLength("message", d.messageLength(), d.limit() + GradienceAlertDecoder.messageHeaderLength(), end);
        d.wrapMessage(varData);
        lineKeys.resetToEnvelope();
        lineKeys.add("severity");
        lineKeys.add("code");
        lineKeys.add("message");
        checkLength("context", d.contextLength(), d.limit() + GradienceAlertDecoder.contextHeaderLength(), end);
        d.wrapContext(varData);
        if (varData.capacity() > 0)
        {
            lineKeys.add("context");
        }
        checkJson("context", varData, JsonToken.START_OBJECT, false, null);
        checkLength("extras", d.extrasLength(), d.limit() + GradienceAlertDecoder.extrasHeaderLength(), end);
        d.wrapExtras(varData);
        checkJson("extras", varData, JsonToken.START_OBJECT, false, lineKeys);
        requireWithin("alert", d.limit(), end);
    }

    private void checkRecommendation(final DirectBuffer buffer, final int offset, final int end, final Symbols symbols)
    {
        requireBlockLength("recommendation", GradienceRecommendationDecoder.BLOCK_LENGTH);
        final GradienceRecommendationDecoder d = recommendation.wrapAndApplyHeader(buffer, offset, header);
        checkSymbol(symbols, d.run(), "run");
        checkLength("recommendations", d.recommendationsLength(),
            d.limit() + GradienceRecommendationDecoder.recommendationsHeaderLength(), end);
        d.wrapRecommendations(varData);
        checkJson("recommendations", varData, JsonToken.START_ARRAY, true, null);
        lineKeys.resetToEnvelope();
        lineKeys.add("recommendations");
        checkLength("extras", d.extrasLength(), d.limit() + GradienceRecommendationDecoder.extrasHeaderLength(), end);
        d.wrapExtras(varData);
        checkJson("extras", varData, JsonToken.START_OBJECT, false, lineKeys);
        requireWithin("recommendation", d.limit(), end);
    }

    private void checkRunEnd(final DirectBuffer buffer, final int offset, final int end, final Symbols symbols)
    {
        requireBlockLength("run_end", GradienceRunEndDecoder.BLOCK_LENGTH);
        final GradienceRunEndDecoder d = runEnd.wrapAndApplyHeader(buffer, offset, header);
        checkSymbol(symbols, d.run(), "run");
        final short status = d.statusRaw();
        if (status < GradienceRunStatus.OK.value() || status > GradienceRunStatus.ERROR.value())
        {
            throw new RecordingException("status: unknown value " + status);
        }
        lineKeys.resetToEnvelope();
        lineKeys.add("status");
        if (d.fields().reason())
        {
            lineKeys.add("reason");
        }
        checkLength("reason", d.reasonLength(), d.limit() + GradienceRunEndDecoder.reasonHeaderLength(), end);
        d.wrapReason(varData);
        checkLength("extras", d.extrasLength(), d.limit() + GradienceRunEndDecoder.extrasHeaderLength(), end);
        d.wrapExtras(varData);
        checkJson("extras", varData, JsonToken.START_OBJECT, false, lineKeys);
        requireWithin("run_end", d.limit(), end);
    }

    private void requireBlockLength(final String event, final int blockLength)
    {
        if (header.blockLength() < blockLength)
        {
            throw new RecordingException(event + ": block length " + header.blockLength() + " is shorter than its " +
                blockLength + " bytes of fields");
        }
    }

    private static void requireGroupBlockLength(final String group, final int actual, final int expected)
    {
        if (actual < expected)
        {
            throw new RecordingException(group + ": entry length " + actual + " is shorter than its " + expected +
                " bytes of fields");
        }
    }

    /**
     * @param length     as the decoder read it: a uint32 length of 2 GiB or more reads as negative.
     * @param dataOffset where the data would start.
     */
    private static void checkLength(final String field, final int length, final int dataOffset, final int end)
    {
        if (length < 0 || length > end - dataOffset)
        {
            throw new RecordingException(field + ": length " + Integer.toUnsignedString(length) +
                " runs past the record (" + Math.max(0, end - dataOffset) + " bytes left)");
        }
    }

    private static void requireWithin(final String event, final int limit, final int end)
    {
        if (limit > end)
        {
            throw new RecordingException(event + ": its groups and data run " + (limit - end) + " bytes past the record");
        }
    }

    private static String checkSymbol(final Symbols symbols, final int symbol, final String field)
    {
        try
        {
            return symbols.get(symbol);
        }
        catch (final RecordingException ex)
        {
            throw new RecordingException(field + ": " + ex.getMessage() + " (its definition is missing or damaged)");
        }
    }

    /**
     * Check that {@code value} is one JSON value of the spec's shape, as the write methods will copy it.
     *
     * @param names the keys of the object the value's members are copied into (extra keys), or null for a value
     *              written whole.
     */
    private void checkJson(final String field, final DirectBuffer value, final JsonToken shape, final boolean required,
        final KeyNames names)
    {
        final int length = value.capacity();
        if (length == 0)
        {
            if (required)
            {
                throw new RecordingException(field + ": missing (length 0)");
            }
            return;
        }
        if (jsonScratch.length < length)
        {
            jsonScratch = new byte[Math.max(length, 2 * jsonScratch.length)];
        }
        value.getBytes(0, jsonScratch, 0, length);
        try (JsonParser p = CHECK_FACTORY.createParser(jsonScratch, 0, length))
        {
            if (p.nextToken() != shape)
            {
                throw new RecordingException(field + ": not a JSON " + (shape == JsonToken.START_ARRAY ? "array" : "object"));
            }
            if (null == names)
            {
                p.skipChildren();
            }
            else
            {
                while (p.nextToken() == JsonToken.FIELD_NAME)
                {
                    names.add(p.currentName());
                    p.nextToken();
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null)
            {
                throw new RecordingException(field + ": more than one JSON value");
            }
        }
        catch (final JsonProcessingException ex)
        {
            final String message = String.valueOf(ex.getOriginalMessage()).replaceAll("\\s+", " ");
            final String where = ex.getLocation() == null ? "" : " at byte " + ex.getLocation().getByteOffset();
            throw new RecordingException(field + ": not valid JSON" + where + " (" + message + ")");
        }
        catch (final IOException ex)
        {
            throw new RecordingException(field + ": not valid JSON (" + ex.getMessage() + ")");
        }
    }

    private JsonGenerator begin(final SerializedString event, final long timestamp, final int run, final long step,
        final Symbols symbols) throws IOException
    {
        final String runId = symbols.get(run);
        JsonLinesWriter file = lastFile;
        if (!runId.equals(lastRunId))
        {
            file = files.get(runId);
            if (file == null)
            {
                final String stem;
                try
                {
                    stem = RunFileNames.encode(runId);
                }
                catch (final IllegalArgumentException ex)
                {
                    // Too long for a file name, or not Unicode: a recorder takes any run id; this one cannot be a file.
                    throw new RecordingException("run: " + ex.getMessage());
                }
                file = new JsonLinesWriter(directory.resolve(stem + ".jsonl"));
                files.put(runId, file);
                order.add(file);
            }
            lastRunId = runId;
            lastFile = file;
        }
        final JsonGenerator g = file.generator();
        writing = file;
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
        lastFile.endLine();
        writing = null;
    }

    private void writeTrainStep(final DirectBuffer buffer, final int offset, final Symbols symbols) throws IOException
    {
        final GradienceTrainStepDecoder d = trainStep.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin(TRAIN_STEP, d.timestamp(), d.run(), d.step(), symbols);
        final boolean hasLoss = d.fields().loss();
        final boolean hasLr = d.fields().lr();
        final boolean lrPerGroup = d.fields().lrPerGroup();
        if (hasLoss)
        {
            g.writeFieldName(LOSS_KEY);
            g.writeNumber(d.loss());
        }
        final double lr = d.lr();
        final GradienceTrainStepDecoder.LrGroupsDecoder lrGroups = d.lrGroups();
        if (hasLr)
        {
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
        for (final GradienceTrainStepDecoder.DoubleMetricsDecoder m : d.doubleMetrics())
        {
            g.writeNumberField(symbols.get(m.key()), m.value());
        }
        for (final GradienceTrainStepDecoder.LongMetricsDecoder m : d.longMetrics())
        {
            g.writeNumberField(symbols.get(m.key()), m.value());
        }
        writeExtras(g, d.buffer(), d.limit() + GradienceTrainStepDecoder.extrasHeaderLength(), d.extrasLength());
        d.skipExtras();
        end(g);
    }

    private void writeEval(final DirectBuffer buffer, final int offset, final Symbols symbols) throws IOException
    {
        final GradienceEvalDecoder d = eval.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin(EVAL, d.timestamp(), d.run(), d.step(), symbols);
        g.writeStringField("split", symbols.get(d.split()));
        g.writeFieldName("metrics");
        g.writeStartObject();
        if (d.fields().ppl())
        {
            g.writeNumberField("ppl", d.ppl());
        }
        if (d.fields().accuracy())
        {
            g.writeNumberField("accuracy", d.accuracy());
        }
        if (d.fields().loss())
        {
            g.writeNumberField("loss", d.loss());
        }
        if (d.fields().n())
        {
            g.writeNumberField("n", d.n());
        }
        for (final GradienceEvalDecoder.DoubleMetricsDecoder m : d.doubleMetrics())
        {
            g.writeNumberField(symbols.get(m.key()), m.value());
        }
        for (final GradienceEvalDecoder.LongMetricsDecoder m : d.longMetrics())
        {
            g.writeNumberField(symbols.get(m.key()), m.value());
        }
        writeExtras(g, d.buffer(), d.limit() + GradienceEvalDecoder.metricsExtrasHeaderLength(), d.metricsExtrasLength());
        d.skipMetricsExtras();
        g.writeEndObject();
        writeExtras(g, d.buffer(), d.limit() + GradienceEvalDecoder.extrasHeaderLength(), d.extrasLength());
        d.skipExtras();
        end(g);
    }

    private void writeRunStart(final DirectBuffer buffer, final int offset, final Symbols symbols) throws IOException
    {
        final GradienceRunStartDecoder d = runStart.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin(RUN_START, d.timestamp(), d.run(), d.step(), symbols);
        g.writeFieldName("config");
        g.writeRawValue(d.config());
        final String meta = d.meta();
        if (!meta.isEmpty())
        {
            g.writeFieldName("meta");
            g.writeRawValue(meta);
        }
        writeExtras(g, d.extras());
        end(g);
    }

    private void writeMetrics(final DirectBuffer buffer, final int offset, final Symbols symbols) throws IOException
    {
        final GradienceMetricsDecoder d = metrics.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin(METRICS, d.timestamp(), d.run(), d.step(), symbols);
        g.writeStringField("kind", symbols.get(d.kind()));
        g.writeFieldName("metrics");
        g.writeRawValue(d.metrics());
        writeExtras(g, d.extras());
        end(g);
    }

    private void writeAlert(final DirectBuffer buffer, final int offset, final Symbols symbols) throws IOException
    {
        final GradienceAlertDecoder d = alert.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin(ALERT, d.timestamp(), d.run(), d.step(), symbols);
        g.writeStringField("severity", severity(d.severity()));
        g.writeStringField("code", d.code());
        g.writeStringField("message", d.message());
        final String context = d.context();
        if (!context.isEmpty())
        {
            g.writeFieldName("context");
            g.writeRawValue(context);
        }
        writeExtras(g, d.extras());
        end(g);
    }

    private void writeRecommendation(final DirectBuffer buffer, final int offset, final Symbols symbols) throws IOException
    {
        final GradienceRecommendationDecoder d = recommendation.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin(RECOMMENDATION, d.timestamp(), d.run(), d.step(), symbols);
        g.writeFieldName("recommendations");
        g.writeRawValue(d.recommendations());
        writeExtras(g, d.extras());
        end(g);
    }

    private void writeRunEnd(final DirectBuffer buffer, final int offset, final Symbols symbols) throws IOException
    {
        final GradienceRunEndDecoder d = runEnd.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin(RUN_END, d.timestamp(), d.run(), d.step(), symbols);
        g.writeStringField("status", status(d.status()));
        final boolean hasReason = d.fields().reason();
        final String reason = d.reason();
        if (hasReason)
        {
            g.writeStringField("reason", reason);
        }
        writeExtras(g, d.extras());
        end(g);
    }

    private static String severity(final GradienceSeverity severity)
    {
        return switch (severity)
        {
            case INFO -> "info";
            case WARNING -> "warning";
            case ERROR -> "error";
            case CRITICAL -> "critical";
            default -> throw new RecordingException("unknown alert severity");
        };
    }

    private static String status(final GradienceRunStatus status)
    {
        return switch (status)
        {
            case OK -> "ok";
            case ABORTED -> "aborted";
            case ERROR -> "error";
            default -> throw new RecordingException("unknown run_end status");
        };
    }

    private static void writeExtras(final JsonGenerator g, final String extras) throws IOException
    {
        if (!extras.isEmpty())
        {
            final byte[] bytes = extras.getBytes(StandardCharsets.UTF_8);
            copyFields(g, bytes, 0, bytes.length);
        }
    }

    private static void writeExtras(final JsonGenerator g, final DirectBuffer buffer, final int offset, final int length)
        throws IOException
    {
        if (length > 0)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            copyFields(g, bytes, 0, length);
        }
    }

    /**
     * Copy the members of a JSON object into the object {@code g} is writing.
     */
    private static void copyFields(final JsonGenerator g, final byte[] json, final int offset, final int length)
        throws IOException
    {
        try (JsonParser p = JsonValues.FACTORY.createParser(json, offset, length))
        {
            p.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature());
            if (p.nextToken() != JsonToken.START_OBJECT)
            {
                throw new RecordingException("extra keys are not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME)
            {
                g.writeFieldName(p.currentName());
                p.nextToken();
                g.copyCurrentStructure(p);
            }
        }
    }

    /**
     * The keys of one object of a line, gathered while a record is checked, so that a record that would write a key
     * twice (a metric named like a field, a key both in a group and in the extra keys) is refused before its line:
     * the export's reader refuses duplicate keys. A list, not a set: records have few keys, and it allocates nothing.
     */
    private static final class KeyNames
    {
        private static final String[] ENVELOPE = { "schema", "ts", "run_id", "event", "step" };

        private String[] names = new String[32];
        private int count;

        void reset()
        {
            count = 0;
        }

        void resetToEnvelope()
        {
            count = 0;
            for (final String name : ENVELOPE)
            {
                names[count++] = name;
            }
        }

        void add(final String name)
        {
            for (int i = 0; i < count; i++)
            {
                if (names[i].equals(name))
                {
                    throw new RecordingException("key \"" + name.replaceAll("\\p{Cntrl}", "?") + "\" would be written " +
                        "twice in the record's line");
                }
            }
            if (count == names.length)
            {
                names = Arrays.copyOf(names, 2 * count);
            }
            names[count++] = name;
        }
    }

    public List<ExportedFile> commit() throws IOException
    {
        final List<ExportedFile> written = new ArrayList<>(order.size());
        for (final JsonLinesWriter file : order)
        {
            file.commit();
            written.add(new ExportedFile(file.target(), file.lines()));
        }
        return written;
    }

    public void close()
    {
        for (final JsonLinesWriter file : order)
        {
            file.close();
        }
    }
}
