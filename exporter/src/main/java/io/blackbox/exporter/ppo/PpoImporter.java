package io.blackbox.exporter.ppo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.PpoDataMode;
import io.blackbox.codecs.PpoTelemetryVersion;
import io.blackbox.codecs.ppo.PpoMessageLengths;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordCheck;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RunFileNames;
import io.blackbox.exporter.family.FamilyImporter;
import io.blackbox.recorder.EmitterContext;
import io.blackbox.recorder.NumericMetrics;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.ppo.PpoEmitter;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a PPO NDJSON file (townlet's, or an export) into a recording, so that export gives back the same records: the
 * same keys with the same values in the same number forms. The file is checked whole first ({@link #check}): by the
 * spec ({@link PpoValidator}), then for what the record layout cannot hold; a file with any problem imports nothing.
 * <p>
 * A PPO line names no run: the run is the file's name without {@code .jsonl}, read back as the export encodes run
 * ids into names ({@link RunFileNames#decode}), so {@code ROOT/ppo/<run>.jsonl} imports as run {@code <run>}. Each
 * 1.1 record keeps its {@code log_stream_offset}. Extra keys keep their values and forms (a float stays a float, an
 * integer an integer, other values as JSON); in the export they follow the spec's keys in that order of kinds: floats,
 * integers, others (townlet writes floats only, so its files come back byte for byte).
 */
public final class PpoImporter
{
    private static final String JSONL = ".jsonl";
    private static final Set<String> SPEC_KEYS = specKeys();
    /** Writes the other extra values back as JSON with NaN/Infinity as bare tokens, as they were read. */
    private static final ObjectMapper WRITER = new ObjectMapper(JsonFactory.builder()
        .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
        .build());

    private PpoImporter()
    {
    }

    /**
     * Check a file before anything is written.
     *
     * @param file            the file.
     * @param maxRecordLength the longest record the recording takes, in bytes.
     * @return every problem in file order; empty when {@link #importFile} records every line.
     */
    public static List<Problem> check(final Path file, final int maxRecordLength)
    {
        final List<Problem> problems = new ArrayList<>(new PpoValidator().validate(file));
        if (!problems.isEmpty())
        {
            return problems;
        }
        final String name = file.toString();
        try
        {
            runId(file);
        }
        catch (final IllegalArgumentException ex)
        {
            problems.add(Problem.ofFile(name, "the file's name is not a run id this family's export writes (" +
                ex.getMessage() + ")"));
            return problems;
        }
        JsonLinesReader.read(file, (line, record) -> checkRecordable(name, line, record, maxRecordLength, problems),
            problems::add);
        return problems;
    }

    private static void checkRecordable(final String file, final long line, final ObjectNode record,
        final int maxRecordLength, final List<Problem> out)
    {
        final RecordCheck check = new RecordCheck(file, line, out);
        int health = 0;
        for (final String key : PpoWire.HEALTH_KEYS)
        {
            health += record.has(key) ? 1 : 0;
        }
        if (health != 0 && health != PpoWire.HEALTH_KEYS.size())
        {
            check.problem(PpoWire.HEALTH_KEYS.get(0), "the four health keys " + PpoWire.HEALTH_KEYS +
                " come together; this record has " + health + " of them");
        }
        final Extras extras = extras(record);
        if (extras.floats > NumericMetrics.CAPACITY || extras.integers > NumericMetrics.CAPACITY)
        {
            check.problem(null, "more than " + NumericMetrics.CAPACITY + " extra float keys or integer keys " +
                "on one line (" + extras.floats + " floats, " + extras.integers + " integers)");
            return;
        }
        final int length = PpoMessageLengths.epoch(extras.floats, extras.integers, extras.json.length);
        if (extras.json.length > PpoEmitter.MAX_EXTRAS_BYTES || length > maxRecordLength)
        {
            check.problem(null, "the record would take " + length + " bytes, more than the " + maxRecordLength +
                " a record of this recording takes");
        }
    }

    /**
     * @param file a file {@link #check} found no problem in.
     * @return the run its records belong to.
     */
    static String runId(final Path file)
    {
        final String name = file.getFileName().toString();
        final String stem = name.endsWith(JSONL) ? name.substring(0, name.length() - JSONL.length()) : name;
        return RunFileNames.decode(stem);
    }

    /**
     * Import a file that {@link #check} found no problem in.
     *
     * @param recorder the recording.
     * @param file     the file.
     * @return what was imported.
     */
    public static FamilyImporter.Imported importFile(final Recorder recorder, final Path file)
    {
        final String name = file.toString();
        final long[] records = new long[1];
        try (PpoEmitter emitter = recorder.emitter(PpoEmitter::new, runId(file)))
        {
            JsonLinesReader.read(file, (line, record) ->
            {
                if (!importRecord(emitter, record))
                {
                    throw new RecordingException(name + ":" + line + ": not recorded (the recorder refused it: " +
                        "closed, or out of space)");
                }
                records[0]++;
            }, problem ->
            {
                throw new RecordingException("changed while importing: " + problem);
            });
        }
        catch (final UncheckedIOException ex)
        {
            throw new RecordingException(name + ": " + ex.getCause().getMessage());
        }
        return new FamilyImporter.Imported(records[0], 1);
    }

    private static boolean importRecord(final PpoEmitter emitter, final ObjectNode record)
    {
        final boolean v11 = record.get(PpoWire.TELEMETRY_VERSION).doubleValue() == PpoWire.VERSION_1_1;
        final PpoEmitter.Epoch e = emitter.epoch()
            .telemetryVersion(v11 ? PpoTelemetryVersion.V1_1 : PpoTelemetryVersion.V1_0)
            .epoch(number(record, PpoWire.EPOCH))
            .updates(number(record, PpoWire.UPDATES))
            .transitions(number(record, PpoWire.TRANSITIONS))
            .losses(number(record, PpoWire.LOSS_POLICY), number(record, PpoWire.LOSS_VALUE),
                number(record, PpoWire.LOSS_ENTROPY), number(record, PpoWire.LOSS_TOTAL))
            .clipFraction(number(record, PpoWire.CLIP_FRACTION))
            .advantages(number(record, PpoWire.ADV_MEAN), number(record, PpoWire.ADV_STD))
            .gradNorm(number(record, PpoWire.GRAD_NORM))
            .klDivergence(number(record, PpoWire.KL_DIVERGENCE))
            .lr(number(record, PpoWire.LR))
            .steps(number(record, PpoWire.STEPS));
        if (record.has(PpoWire.ADV_ZERO_STD_BATCHES))
        {
            e.health(number(record, PpoWire.ADV_ZERO_STD_BATCHES), number(record, PpoWire.ADV_MIN_STD),
                number(record, PpoWire.CLIP_TRIGGERED_MINIBATCHES), number(record, PpoWire.CLIP_FRACTION_MAX));
        }
        if (v11)
        {
            e.epochDurationSec(number(record, PpoWire.EPOCH_DURATION_SEC))
                .dataMode(dataMode(record.get(PpoWire.DATA_MODE).textValue()))
                .cycleId(number(record, PpoWire.CYCLE_ID))
                .batchEntropy(number(record, PpoWire.BATCH_ENTROPY_MEAN), number(record, PpoWire.BATCH_ENTROPY_STD))
                .gradNormMax(number(record, PpoWire.GRAD_NORM_MAX))
                .klDivergenceMax(number(record, PpoWire.KL_DIVERGENCE_MAX))
                .rewardAdvantageCorr(number(record, PpoWire.REWARD_ADVANTAGE_CORR))
                .rolloutTicks(number(record, PpoWire.ROLLOUT_TICKS))
                .logStreamOffset(record.get(PpoWire.LOG_STREAM_OFFSET).longValue());
        }
        final List<Map.Entry<String, JsonNode>> others = new ArrayList<>();
        for (final Map.Entry<String, JsonNode> member : record.properties())
        {
            final String key = member.getKey();
            final JsonNode value = member.getValue();
            if (SPEC_KEYS.contains(key))
            {
                continue;
            }
            if (value.isFloatingPointNumber())
            {
                e.metric(symbol(emitter, key), value.doubleValue());
            }
            else if (value.isIntegralNumber() && value.canConvertToLong())
            {
                e.metric(symbol(emitter, key), value.longValue());
            }
            else
            {
                others.add(member);
            }
        }
        if (!others.isEmpty())
        {
            final ObjectNode object = WRITER.createObjectNode();
            for (final Map.Entry<String, JsonNode> member : others)
            {
                object.set(member.getKey(), member.getValue());
            }
            e.extrasJson(json(object));
        }
        return e.commit();
    }

    private static int symbol(final PpoEmitter emitter, final String key)
    {
        final int symbol = emitter.symbol(key);
        if (symbol == EmitterContext.NO_SYMBOL)
        {
            throw new RecordingException("key \"" + key + "\" could not be recorded (the recorder refused it)");
        }
        return symbol;
    }

    private static double number(final ObjectNode record, final String key)
    {
        return record.get(key).doubleValue();
    }

    private static PpoDataMode dataMode(final String name)
    {
        return switch (name)
        {
            case PpoWire.DATA_MODE_REPLAY -> PpoDataMode.REPLAY;
            case PpoWire.DATA_MODE_ROLLOUT -> PpoDataMode.ROLLOUT;
            case PpoWire.DATA_MODE_MIXED -> PpoDataMode.MIXED;
            default -> throw new RecordingException(PpoWire.DATA_MODE + ": unknown value \"" + name + "\"");
        };
    }

    private record Extras(int floats, int integers, byte[] json)
    {
    }

    private static Extras extras(final ObjectNode record)
    {
        int floats = 0;
        int integers = 0;
        final ObjectNode others = WRITER.createObjectNode();
        for (final Map.Entry<String, JsonNode> member : record.properties())
        {
            if (SPEC_KEYS.contains(member.getKey()))
            {
                continue;
            }
            final JsonNode value = member.getValue();
            if (value.isFloatingPointNumber())
            {
                floats++;
            }
            else if (value.isIntegralNumber() && value.canConvertToLong())
            {
                integers++;
            }
            else
            {
                others.set(member.getKey(), value);
            }
        }
        return new Extras(floats, integers, others.isEmpty() ? new byte[0] : json(others));
    }

    private static byte[] json(final ObjectNode object)
    {
        try
        {
            return WRITER.writeValueAsBytes(object);
        }
        catch (final com.fasterxml.jackson.core.JsonProcessingException ex)
        {
            throw new RecordingException("extra keys: " + ex.getOriginalMessage());
        }
    }

    private static Set<String> specKeys()
    {
        final Set<String> keys = new HashSet<>(PpoWire.KEYS_1_0);
        keys.addAll(PpoWire.HEALTH_KEYS);
        keys.addAll(PpoWire.KEYS_1_1);
        return Set.copyOf(keys);
    }
}
