package io.blackbox.exporter.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.family.FamilyImporter;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.agent.AgentEmitter;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an agent telemetry file back into a recording, so that export gives the same records: each line's envelope,
 * payload and tags as they were (no redaction is run again: a file already on disk is what it is). The run is each
 * line's {@code run_id}, so a file may hold several runs. A file with any problem ({@link AgentValidator}) imports
 * nothing.
 */
public final class AgentImporter
{
    private AgentImporter()
    {
    }

    /**
     * @return the file's problems; empty when {@link #importFile} records every line.
     */
    public static List<Problem> check(final Path file)
    {
        return new AgentValidator().validate(file);
    }

    /**
     * Import a file that {@link #check} found no problem in.
     */
    public static FamilyImporter.Imported importFile(final Recorder recorder, final Path file)
    {
        final Map<String, AgentEmitter> emitters = new HashMap<>();
        final long[] records = { 0 };
        try
        {
            JsonLinesReader.read(file, (line, record) ->
            {
                final String runId = record.get(AgentWire.RUN_ID).textValue();
                final AgentEmitter emitter = emitters.computeIfAbsent(runId,
                    run -> recorder.emitter(AgentEmitter::new, run));
                final Instant time = Instant.parse(record.get(AgentWire.TIMESTAMP).textValue());
                if (!emitter.importEvent(time.getEpochSecond() * 1_000_000_000L + time.getNano(),
                    record.get(AgentWire.CYCLE).longValue(), record.get(AgentWire.SOURCE).textValue(),
                    record.get(AgentWire.EVENT).textValue(), json(record, AgentWire.PAYLOAD),
                    json(record, AgentWire.TAGS)))
                {
                    throw new RecordingException(file + ":" + line + ": not recorded (the recorder refused it: " +
                        "closed, or out of space)");
                }
                records[0]++;
            }, problem ->
            {
                throw new RecordingException("changed while importing: " + problem);
            });
        }
        finally
        {
            emitters.values().forEach(AgentEmitter::close);
        }
        return new FamilyImporter.Imported(records[0], emitters.size());
    }

    private static byte[] json(final ObjectNode record, final String key)
    {
        try
        {
            return JsonLinesReader.MAPPER.writeValueAsBytes(record.get(key));
        }
        catch (final JsonProcessingException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
