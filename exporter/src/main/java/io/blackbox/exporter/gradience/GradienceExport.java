package io.blackbox.exporter.gradience;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.blackbox.codecs.GradienceAlertDecoder;
import io.blackbox.codecs.GradienceEvalDecoder;
import io.blackbox.codecs.GradienceMetricsDecoder;
import io.blackbox.codecs.GradienceRecommendationDecoder;
import io.blackbox.codecs.GradienceRunEndDecoder;
import io.blackbox.codecs.GradienceRunStartDecoder;
import io.blackbox.codecs.GradienceTrainStepDecoder;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.codecs.RunStatus;
import io.blackbox.codecs.Severity;
import io.blackbox.exporter.EpochSeconds;
import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.JsonLinesWriter;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RunFileNames;
import io.blackbox.exporter.Symbols;
import io.blackbox.recorder.JsonValues;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes Gradience records as {@code gradience.vnext.telemetry/v1} JSONL, one file per run:
 * {@code ROOT/gradience/<run_id>.jsonl} (the run id encoded by {@link RunFileNames} so it is always a plain file
 * name inside the directory). Keys come in the spec's order: envelope, then the event's payload, then any keys
 * a producer added beyond the spec.
 */
public final class GradienceExport implements FamilyExport
{
    public static final String FAMILY = "gradience";
    public static final int FIRST_TEMPLATE_ID = 10;
    public static final int LAST_TEMPLATE_ID = 29;

    private final Path directory;
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

    private String lastRunId;
    private JsonLinesWriter lastFile;

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
    }

    private JsonGenerator begin(final String event, final long timestamp, final int run, final long step,
        final Symbols symbols) throws IOException
    {
        final String runId = symbols.get(run);
        JsonLinesWriter file = lastFile;
        if (!runId.equals(lastRunId))
        {
            file = files.get(runId);
            if (file == null)
            {
                file = new JsonLinesWriter(directory.resolve(RunFileNames.encode(runId) + ".jsonl"));
                files.put(runId, file);
                order.add(file);
            }
            lastRunId = runId;
            lastFile = file;
        }
        final JsonGenerator g = file.generator();
        g.writeStartObject();
        g.writeStringField("schema", GradienceValidator.SCHEMA);
        g.writeFieldName("ts");
        g.writeNumber(number, 0, EpochSeconds.format(timestamp, number));
        g.writeStringField("run_id", runId);
        g.writeStringField("event", event);
        g.writeFieldName("step");
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
    }

    private void writeTrainStep(final DirectBuffer buffer, final int offset, final Symbols symbols) throws IOException
    {
        final GradienceTrainStepDecoder d = trainStep.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin("train_step", d.timestamp(), d.run(), d.step(), symbols);
        final boolean hasLoss = d.fields().loss();
        final boolean hasLr = d.fields().lr();
        final boolean lrPerGroup = d.fields().lrPerGroup();
        if (hasLoss)
        {
            g.writeNumberField("loss", d.loss());
        }
        final double lr = d.lr();
        final GradienceTrainStepDecoder.LrGroupsDecoder lrGroups = d.lrGroups();
        if (hasLr)
        {
            g.writeFieldName("lr");
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
        else
        {
            while (lrGroups.hasNext())
            {
                lrGroups.next();
            }
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
        final JsonGenerator g = begin("eval", d.timestamp(), d.run(), d.step(), symbols);
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
        final JsonGenerator g = begin("run_start", d.timestamp(), d.run(), d.step(), symbols);
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
        final JsonGenerator g = begin("metrics", d.timestamp(), d.run(), d.step(), symbols);
        g.writeStringField("kind", symbols.get(d.kind()));
        g.writeFieldName("metrics");
        g.writeRawValue(d.metrics());
        writeExtras(g, d.extras());
        end(g);
    }

    private void writeAlert(final DirectBuffer buffer, final int offset, final Symbols symbols) throws IOException
    {
        final GradienceAlertDecoder d = alert.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin("alert", d.timestamp(), d.run(), d.step(), symbols);
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
        final JsonGenerator g = begin("recommendation", d.timestamp(), d.run(), d.step(), symbols);
        g.writeFieldName("recommendations");
        g.writeRawValue(d.recommendations());
        writeExtras(g, d.extras());
        end(g);
    }

    private void writeRunEnd(final DirectBuffer buffer, final int offset, final Symbols symbols) throws IOException
    {
        final GradienceRunEndDecoder d = runEnd.wrapAndApplyHeader(buffer, offset, header);
        final JsonGenerator g = begin("run_end", d.timestamp(), d.run(), d.step(), symbols);
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

    private static String severity(final Severity severity)
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

    private static String status(final RunStatus status)
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
