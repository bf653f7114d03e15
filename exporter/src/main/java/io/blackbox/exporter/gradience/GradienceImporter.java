package io.blackbox.exporter.gradience;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.GradienceTrainStepEncoder;
import io.blackbox.exporter.EpochSeconds;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RunFileNames;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an existing Gradience JSONL file into a recording, so that exporting gives back the same records: the
 * same keys with the same values, keys beyond the spec kept. The whole file is checked first ({@link #check}):
 * by the spec, and for what is valid but could not be recorded as it is; a file with any problem imports nothing.
 */
public final class GradienceImporter implements AutoCloseable
{
    /**
     * The longest record, in bytes, a recorder with the default ring takes: Agrona's ring holds records of up to an
     * eighth of its capacity ({@code RecordWriter.maxRecordLength()} says what an open recorder takes).
     */
    public static final int DEFAULT_MAX_RECORD_LENGTH = Recorder.Context.DEFAULT_RING_CAPACITY / 8;

    private static final Set<String> ENVELOPE = Set.copyOf(GradienceWire.ENVELOPE);
    private static final Set<String> EVAL_FROZEN =
        Set.of(GradienceWire.PPL, GradienceWire.ACCURACY, GradienceWire.LOSS, GradienceWire.N);
    private static final Set<String> RUN_START_PAYLOAD = Set.of(GradienceWire.CONFIG, GradienceWire.META);
    private static final Set<String> EVAL_PAYLOAD = Set.of(GradienceWire.SPLIT, GradienceWire.METRICS);
    private static final Set<String> METRICS_PAYLOAD = Set.of(GradienceWire.KIND, GradienceWire.METRICS);
    private static final Set<String> ALERT_PAYLOAD =
        Set.of(GradienceWire.SEVERITY, GradienceWire.CODE, GradienceWire.MESSAGE, GradienceWire.CONTEXT);
    private static final Set<String> RECOMMENDATION_PAYLOAD = Set.of(GradienceWire.RECOMMENDATIONS);
    private static final Set<String> RUN_END_PAYLOAD = Set.of(GradienceWire.STATUS, GradienceWire.REASON);
    private static final int MAX_GROUPED_METRICS = 64;
    private static final int MAX_LR_GROUPS = GradienceTrainStepEncoder.LrGroupsEncoder.countMaxValue();

    // More than the fixed part of any Gradience record (header, block, var data lengths, a train_step's groups at
    // their fullest). The rest of a record, and each symbol it defines, is JSON or text re-written from the line,
    // never longer than the whole line re-written.
    private static final int MAX_FIXED_RECORD_BYTES =
        GradienceEmitter.trainStepMessageLength(MAX_LR_GROUPS, MAX_GROUPED_METRICS, MAX_GROUPED_METRICS) + 256;
    private static final byte[] EMPTY = new byte[0];

    /** Writes open-shaped values back as JSON with NaN/Infinity as bare tokens, as they were read. */
    private static final ObjectMapper WRITER = new ObjectMapper(JsonFactory.builder()
        .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
        .build());

    /**
     * What an import did.
     *
     * @param problems the file's problems; when not empty nothing was imported.
     * @param records  records imported.
     * @param runs     distinct run ids.
     */
    public record Result(List<Problem> problems, long records, int runs)
    {
    }

    private final Recorder recorder;
    private final Map<String, GradienceEmitter> emitters = new HashMap<>();

    /**
     * @param recorder the recording to import into.
     */
    public GradienceImporter(final Recorder recorder)
    {
        this.recorder = recorder;
    }

    /**
     * Check {@code file} for a recording with the default ring: {@link #check(Path, int)} with
     * {@link #DEFAULT_MAX_RECORD_LENGTH}.
     *
     * @param file the file to import.
     * @return every problem in file order; empty when {@link #importFile} can record every line.
     */
    public static List<Problem> check(final Path file)
    {
        return check(file, DEFAULT_MAX_RECORD_LENGTH);
    }

    /**
     * Check {@code file} before anything is written: it must be valid by the spec ({@link GradienceValidator}), and
     * each record must be recordable as it is. Anything that would stop an import half-way (a record too large for
     * the ring, too many learning rates) or change the data (a number out of the recorded range, a string UTF-8
     * cannot hold) is a problem here.
     *
     * @param file            the file to import.
     * @param maxRecordLength the longest record the recording takes, in bytes.
     * @return every problem in file order; empty when {@link #importFile} can record every line.
     */
    public static List<Problem> check(final Path file, final int maxRecordLength)
    {
        final List<Problem> problems = new ArrayList<>();
        final GradienceValidator validator = new GradienceValidator();
        final String name = file.toString();
        JsonLinesReader.read(file, (line, record, bytes, length) ->
        {
            final int before = problems.size();
            validator.validate(name, line, record, problems);
            if (problems.size() == before)
            {
                checkRecordable(name, line, record, timestamp(record, bytes, length), maxRecordLength, problems);
            }
        }, problems::add);
        return problems;
    }

    /**
     * The checks of a record that is valid by the spec against what the record layout can hold.
     */
    private static void checkRecordable(final String file, final long line, final ObjectNode record,
        final BigDecimal ts, final int maxRecordLength, final List<Problem> out)
    {
        try
        {
            if (null == ts)
            {
                throw new ArithmeticException("not finite");
            }
            EpochSeconds.toEpochNanos(ts);
        }
        catch (final ArithmeticException ex)
        {
            out.add(new Problem(file, line, GradienceWire.TS, "not a Unix time in seconds that fits in 64-bit nanoseconds"));
        }

        final String event = record.get(GradienceWire.EVENT).textValue();
        final boolean hot = GradienceWire.EVENT_TRAIN_STEP.equals(event) || GradienceWire.EVENT_EVAL.equals(event);
        // The whole record bounds its extra keys and its var data: cheap, and exact enough for limits no real
        // producer nears.
        final int jsonLength = json(record).length;
        if (hot && jsonLength > GradienceEmitter.MAX_HOT_EXTRAS_BYTES)
        {
            out.add(new Problem(file, line, null, event + " too large to record: its extra keys take more than " +
                GradienceEmitter.MAX_HOT_EXTRAS_BYTES + " bytes of JSON"));
        }
        else if (jsonLength > maxRecordLength - MAX_FIXED_RECORD_BYTES)
        {
            out.add(new Problem(file, line, null, event + " too large to record: " + jsonLength +
                " bytes of JSON, more than the " + Math.max(0, maxRecordLength - MAX_FIXED_RECORD_BYTES) +
                " a record of the recording holds"));
        }

        final JsonNode step = record.get(GradienceWire.STEP);
        if (!step.isNull() && (!step.canConvertToLong() || step.longValue() == GradienceEmitter.NO_STEP))
        {
            out.add(new Problem(file, line, GradienceWire.STEP, "out of the 64-bit range a step is recorded in"));
        }

        final JsonNode lr = record.get(GradienceWire.LR);
        if (GradienceWire.EVENT_TRAIN_STEP.equals(event) && null != lr && lr.size() > MAX_LR_GROUPS)
        {
            out.add(new Problem(file, line, GradienceWire.LR, lr.size() + " learning rates, more than the " + MAX_LR_GROUPS +
                " parameter groups a train_step records"));
        }

        final JsonNode n = GradienceWire.EVENT_EVAL.equals(event) ?
            record.get(GradienceWire.METRICS).get(GradienceWire.N) : null;
        if (null != n && !n.canConvertToLong())
        {
            out.add(new Problem(file, line, GradienceWire.METRICS + "." + GradienceWire.N, "out of the 64-bit range n is recorded in"));
        }

        final String unpaired = unpairedSurrogate(record, "");
        if (null != unpaired)
        {
            out.add(new Problem(file, line, unpaired, "holds half of a UTF-16 surrogate pair (U+D800 to U+DFFF " +
                "alone), which UTF-8, and so a recording, cannot hold"));
        }
        else
        {
            // Export writes each run to a file named after it; a run id too long for a file name could not come back.
            try
            {
                RunFileNames.encode(record.get(GradienceWire.RUN_ID).textValue());
            }
            catch (final IllegalArgumentException ex)
            {
                out.add(new Problem(file, line, GradienceWire.RUN_ID, "cannot be exported: " + ex.getMessage()));
            }
        }
    }

    /**
     * The path of the first string value holding a surrogate without its pair, which JSON's escapes allow and
     * Python writes for such strings; the recorder would store it as {@code '?'}. (Jackson refuses such keys.)
     *
     * @return the path, {@code path} itself for a string node, or null when there is none.
     */
    private static String unpairedSurrogate(final JsonNode node, final String path)
    {
        if (node.isTextual())
        {
            return hasUnpairedSurrogate(node.textValue()) ? path : null;
        }
        if (node.isObject())
        {
            for (final Map.Entry<String, JsonNode> field : node.properties())
            {
                final String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                final String found = unpairedSurrogate(field.getValue(), fieldPath);
                if (null != found)
                {
                    return found;
                }
            }
        }
        else if (node.isArray())
        {
            for (int i = 0; i < node.size(); i++)
            {
                final String found = unpairedSurrogate(node.get(i), path + "[" + i + "]");
                if (null != found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    private static boolean hasUnpairedSurrogate(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    /**
     * Record every line of a file that {@link #check(Path)} found no problem in.
     *
     * @return records imported.
     */
    public long importFile(final Path file)
    {
        final long[] count = new long[1];
        final String name = file.toString();
        JsonLinesReader.read(file, (line, record, bytes, length) ->
        {
            importRecord(name, line, record, timestamp(record, bytes, length));
            count[0]++;
        }, problem ->
        {
            throw new IllegalStateException("file changed since it was checked: " + problem);
        });
        return count[0];
    }

    /**
     * @return distinct run ids imported so far.
     */
    public int runs()
    {
        return emitters.size();
    }

    /**
     * Give the lanes of the ring that this importer's emitters (one per run) hold back to the recorder; imports after
     * close still record, through the shared lane.
     */
    @Override
    public void close()
    {
        emitters.values().forEach(GradienceEmitter::close);
    }

    /**
     * A valid record's {@code ts} as written: the nanoseconds of an exported timestamp are more digits than its
     * double holds, and a round trip must give them back.
     */
    private static BigDecimal timestamp(final ObjectNode record, final byte[] line, final int length)
    {
        // Null for NaN and the infinities, which have no decimal; the check reports them.
        return JsonLinesReader.exactNumber(line, length, GradienceWire.TS);
    }

    private void importRecord(final String file, final long line, final ObjectNode record, final BigDecimal exactTs)
    {
        final String runId = record.get(GradienceWire.RUN_ID).textValue();
        final GradienceEmitter emitter = emitters.computeIfAbsent(runId, id -> recorder.emitter(GradienceEmitter::new, id));
        final long ts = EpochSeconds.toEpochNanos(exactTs);
        final JsonNode stepNode = record.get(GradienceWire.STEP);
        final long step = stepNode.isNull() ? GradienceEmitter.NO_STEP : stepNode.longValue();
        final GradienceEvent event = GradienceEvent.fromWireName(record.get(GradienceWire.EVENT).textValue());
        final boolean recorded;
        switch (event)
        {
            case TRAIN_STEP -> recorded = importTrainStep(emitter, ts, step, record);
            case EVAL -> recorded = importEval(emitter, ts, step, record);
            case RUN_START -> recorded = emitter.runStartJson(ts, step, json(record.get(GradienceWire.CONFIG)),
                optionalJson(record.get(GradienceWire.META)), extras(record, RUN_START_PAYLOAD));
            case METRICS -> recorded = emitter.metricsJson(ts, step,
                emitter.symbol(record.get(GradienceWire.KIND).textValue()), json(record.get(GradienceWire.METRICS)),
                extras(record, METRICS_PAYLOAD));
            case ALERT -> recorded = emitter.alertJson(ts, step,
                GradienceWire.severity(record.get(GradienceWire.SEVERITY).textValue()),
                utf8(record.get(GradienceWire.CODE).textValue()), utf8(record.get(GradienceWire.MESSAGE).textValue()),
                optionalJson(record.get(GradienceWire.CONTEXT)), extras(record, ALERT_PAYLOAD));
            case RECOMMENDATION -> recorded = emitter.recommendationJson(ts, step,
                json(record.get(GradienceWire.RECOMMENDATIONS)), extras(record, RECOMMENDATION_PAYLOAD));
            case RUN_END -> recorded = emitter.runEndJson(ts, step,
                GradienceWire.status(record.get(GradienceWire.STATUS).textValue()),
                record.has(GradienceWire.REASON) ? utf8(record.get(GradienceWire.REASON).textValue()) : null,
                extras(record, RUN_END_PAYLOAD));
            default -> throw new IllegalStateException(file + ":" + line + ": event: unknown");
        }
        if (!recorded)
        {
            // The importer's recorder blocks for ring space, so a refusal is the recorder's state, not a full ring.
            throw new IllegalStateException(file + ":" + line + ": not recorded: " + (recorder.isStorageFull() ?
                "the file system of the recording is full" : "the recorder refused it (closed, or failed: " +
                recorder.failure() + ")") + "; the records before this line are in the recording");
        }
    }

    private static boolean importTrainStep(final GradienceEmitter emitter, final long ts, final long step,
        final ObjectNode record)
    {
        final GradienceEmitter.TrainStep trainStep = emitter.trainStep(step).timestamp(ts);
        final ObjectNode extras = WRITER.createObjectNode();
        int grouped = 0;
        for (final Map.Entry<String, JsonNode> field : record.properties())
        {
            final String key = field.getKey();
            final JsonNode value = field.getValue();
            if (ENVELOPE.contains(key))
            {
                continue;
            }
            if (GradienceWire.LOSS.equals(key))
            {
                trainStep.loss(value.doubleValue());
            }
            else if (GradienceWire.LR.equals(key))
            {
                if (value.isArray())
                {
                    final double[] lrs = new double[value.size()];
                    for (int i = 0; i < lrs.length; i++)
                    {
                        lrs[i] = value.get(i).doubleValue();
                    }
                    trainStep.lr(lrs);
                }
                else
                {
                    trainStep.lr(value.doubleValue());
                }
            }
            else if (grouped < MAX_GROUPED_METRICS && isFloat(value))
            {
                trainStep.metric(emitter.symbol(key), value.doubleValue());
                grouped++;
            }
            else if (grouped < MAX_GROUPED_METRICS && value.canConvertToLong() && value.isIntegralNumber())
            {
                trainStep.metric(emitter.symbol(key), value.longValue());
                grouped++;
            }
            else
            {
                extras.set(key, value);
            }
        }
        return trainStep.extrasJson(extras.isEmpty() ? EMPTY : json(extras)).commit();
    }

    private static boolean importEval(final GradienceEmitter emitter, final long ts, final long step,
        final ObjectNode record)
    {
        final GradienceEmitter.Eval eval = emitter.eval(step, record.get(GradienceWire.SPLIT).textValue()).timestamp(ts);
        final ObjectNode metricsExtras = WRITER.createObjectNode();
        int grouped = 0;
        for (final Map.Entry<String, JsonNode> metric : record.get(GradienceWire.METRICS).properties())
        {
            final String key = metric.getKey();
            final JsonNode value = metric.getValue();
            if (EVAL_FROZEN.contains(key) && value.isNumber())
            {
                switch (key)
                {
                    case GradienceWire.PPL -> eval.ppl(value.doubleValue());
                    case GradienceWire.ACCURACY -> eval.accuracy(value.doubleValue());
                    case GradienceWire.LOSS -> eval.loss(value.doubleValue());
                    default -> eval.n(value.longValue());
                }
            }
            else if (grouped < MAX_GROUPED_METRICS && isFloat(value))
            {
                eval.metric(emitter.symbol(key), value.doubleValue());
                grouped++;
            }
            else if (grouped < MAX_GROUPED_METRICS && value.canConvertToLong() && value.isIntegralNumber())
            {
                eval.metric(emitter.symbol(key), value.longValue());
                grouped++;
            }
            else
            {
                metricsExtras.set(key, value);
            }
        }
        return eval
            .metricsExtrasJson(metricsExtras.isEmpty() ? EMPTY : json(metricsExtras))
            .extrasJson(extras(record, EVAL_PAYLOAD))
            .commit();
    }

    private static boolean isFloat(final JsonNode value)
    {
        return value.isFloatingPointNumber() && !value.isBigDecimal();
    }

    private static byte[] extras(final ObjectNode record, final Set<String> payload)
    {
        ObjectNode extras = null;
        for (final Map.Entry<String, JsonNode> field : record.properties())
        {
            if (!ENVELOPE.contains(field.getKey()) && !payload.contains(field.getKey()))
            {
                if (extras == null)
                {
                    extras = WRITER.createObjectNode();
                }
                extras.set(field.getKey(), field.getValue());
            }
        }
        return extras == null ? EMPTY : json(extras);
    }

    private static byte[] optionalJson(final JsonNode node)
    {
        return node == null ? EMPTY : json(node);
    }

    private static byte[] json(final JsonNode node)
    {
        try
        {
            return WRITER.writeValueAsBytes(node);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] utf8(final String value)
    {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
