package io.blackbox.exporter.esper;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.EsperSeverity;
import io.blackbox.codecs.esper.EsperMessageLengths;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RunFileNames;
import io.blackbox.exporter.family.FamilyImporter;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.esper.EsperEmitter;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Reads an Esper JSON Lines file (esper-lite's, or an export) into a recording, so that export gives back the same
 * events: every line is recorded as an {@code EsperEvent} with its payload as it was written, key order and keys
 * beyond the spec kept (the sample's {@code max_batches}, {@code proof_baseline_*}), numbers in their forms. The file
 * is checked whole first ({@link #check}): every line must be a typed event ({@link EsperEvents}), its envelope
 * without keys the record cannot hold, its severity one of the original's; a file with any problem imports nothing.
 * <p>
 * A line names no run: the run is the file's name without {@code .jsonl} ({@link RunFileNames#decode}), so
 * {@code ROOT/esper/<run>.jsonl} imports as run {@code <run>}. Timestamps with another offset than UTC come back as the
 * same instant written in UTC ({@code +00:00}), as the original writes them.
 */
public final class EsperImporter
{
    private static final String JSONL = ".jsonl";
    /** Writes a payload back as JSON with NaN/Infinity as bare tokens, as it was read. */
    private static final ObjectMapper WRITER = new ObjectMapper(JsonFactory.builder()
        .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
        .build());

    private EsperImporter()
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
        final List<Problem> problems = new ArrayList<>();
        EsperEvents.read(file, event ->
        {
        }, problems::add);
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
        JsonLinesReader.read(file, (line, record) ->
        {
            for (final Iterator<String> keys = record.fieldNames(); keys.hasNext(); )
            {
                final String key = keys.next();
                if (!EsperWire.ENVELOPE_KEYS.contains(key))
                {
                    problems.add(new Problem(name, line, key, "an envelope key beyond the spec: a recording holds " +
                        "only the spec's envelope (keys beyond the spec are kept inside data)"));
                }
            }
            final String severity = record.path(EsperWire.SEVERITY).asText(EsperWire.DEFAULT_SEVERITY);
            if (null == severity(severity))
            {
                problems.add(new Problem(name, line, EsperWire.SEVERITY, "not one of debug, info, warning, error, " +
                    "critical: " + severity));
            }
            final int length = EsperMessageLengths.event(payload(record).length,
                record.path(EsperWire.MESSAGE).asText("").getBytes(StandardCharsets.UTF_8).length);
            if (length > maxRecordLength)
            {
                problems.add(new Problem(name, line, null, "the event would take " + length + " bytes, more than " +
                    "the " + maxRecordLength + " a record of this recording takes"));
            }
        }, problems::add);
        return problems;
    }

    /**
     * @param file a file {@link #check} found no problem in.
     * @return the run its events belong to.
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
        try (EsperEmitter emitter = recorder.emitter(EsperEmitter::new, runId(file)))
        {
            JsonLinesReader.read(file, (line, record) ->
            {
                if (!importEvent(emitter, record))
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

    private static boolean importEvent(final EsperEmitter emitter, final ObjectNode record)
    {
        final EsperEventType type = EsperEventType.ofWireName(record.get(EsperWire.EVENT_TYPE).asText());
        final UUID id = UUID.fromString(record.get(EsperWire.EVENT_ID).asText());
        final Instant timestamp = TelemetryEvent.parseTimestamp(record.get(EsperWire.TIMESTAMP).asText());
        final EsperEmitter.Event event = emitter.eventJson(EsperTypedEvents.code(type), payload(record))
            .eventId(id.getMostSignificantBits(), id.getLeastSignificantBits())
            .timestamp(Math.addExact(Math.multiplyExact(timestamp.getEpochSecond(), 1_000_000_000L),
                timestamp.getNano()))
            .severity(severity(record.path(EsperWire.SEVERITY).asText(EsperWire.DEFAULT_SEVERITY)))
            .message(record.path(EsperWire.MESSAGE).asText(EsperWire.DEFAULT_MESSAGE))
            .groupId(emitter.symbol(record.path(EsperWire.GROUP_ID).asText(EsperWire.DEFAULT_GROUP_ID)));
        final JsonNode seedId = record.get(EsperWire.SEED_ID);
        if (null != seedId && !seedId.isNull())
        {
            event.seedId(emitter.symbol(seedId.asText()));
        }
        final JsonNode slotId = record.get(EsperWire.SLOT_ID);
        if (null != slotId && !slotId.isNull())
        {
            event.slotId(emitter.symbol(slotId.asText()));
        }
        final JsonNode epoch = record.get(EsperWire.EPOCH);
        if (null != epoch && !epoch.isNull())
        {
            event.epoch(epoch.longValue());
        }
        return event.commit();
    }

    private static byte[] payload(final ObjectNode record)
    {
        try
        {
            return WRITER.writeValueAsBytes(record.get(EsperWire.DATA));
        }
        catch (final JsonProcessingException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static EsperSeverity severity(final String wire)
    {
        for (final EsperSeverity severity : EsperSeverity.values())
        {
            if (EsperSeverity.NULL_VAL != severity && severity.name().toLowerCase(Locale.ROOT).equals(wire))
            {
                return severity;
            }
        }
        return null;
    }
}
