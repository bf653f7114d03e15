package io.blackbox.exporter.agent;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.blackbox.codecs.AgentEventDecoder;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.exporter.AddedMembers;
import io.blackbox.exporter.JsonMembers;
import io.blackbox.exporter.RecordDecoding;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.RunJsonLines;
import io.blackbox.exporter.RunLinesExport;
import io.blackbox.exporter.Symbols;
import io.blackbox.recorder.agent.AgentEmitter;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The agent export: each event a line of {@code ROOT/logs/telemetry/<run_id>.jsonl}, the envelope's keys in the spec's
 * order ({@code schema_version} {@code "0.1"}, {@code timestamp} to the millisecond with {@code Z}, {@code source},
 * {@code run_id}, {@code cycle}, {@code event}, {@code payload}, {@code tags}). A run id's {@code /}-separated parts
 * are folders (the spec's own example, {@code 2025-10-06T12-30-00Z/refactor-config-loader}, is one); a part that could
 * leave the directory ({@code ..}, {@code .}, empty, a leading {@code /}, control characters) is percent-encoded, so
 * nothing is ever written outside {@code ROOT/logs/telemetry} ({@link io.blackbox.exporter.RunFileNames#encodePath}).
 * <p>
 * A session recorded with a rank ({@code Recorder.Context.rank}) adds {@code rank}, {@code world_size},
 * {@code local_rank} (when known) and {@value #TAG_HOST} (when known) to every event's {@code tags}, the spec's
 * key/value pairs for filtering, as decimal strings (tags are strings): after the recorded tags, and only those they
 * lack.
 */
public final class AgentExport extends RunLinesExport
{
    public static final int FIRST_TEMPLATE_ID = 30;
    public static final int LAST_TEMPLATE_ID = 49;

    // Tags a session with a rank adds (the spec names no tag; these are the names a filter would look for).
    /** Tag: the recording host's name. */
    public static final String TAG_HOST = "host";

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final AgentEventDecoder decoder = new AgentEventDecoder();
    private final JsonMembers json = new JsonMembers();
    private final AgentWire.TimeFormat time = new AgentWire.TimeFormat();
    private AddedMembers sessionTags = AddedMembers.none();

    /**
     * @param root the export root.
     * @param live whether files are written in place, growing by whole lines.
     */
    public AgentExport(final Path root, final boolean live)
    {
        this(new RunJsonLines(root.resolve(AgentWire.DIRECTORY), live, RunJsonLines.Naming.FOLDERS));
    }

    /**
     * @param lines where the runs' lines go.
     */
    AgentExport(final RunJsonLines lines)
    {
        super(lines);
    }

    @Override
    public void onSessionStart(final RecordingReader.Session session)
    {
        // Tag values are strings (AgentValidator): the numbers as their decimal text.
        sessionTags = AddedMembers.ofRank(session, TAG_HOST, true);
    }

    @Override
    public void onSessionEnd(final RecordingReader.Session session)
    {
        sessionTags = AddedMembers.none();
    }

    public void onRecord(final int templateId, final DirectBuffer buffer, final int offset, final int length,
        final Symbols symbols)
    {
        if (templateId != AgentEventDecoder.TEMPLATE_ID)
        {
            throw new RecordingException("unknown agent template " + templateId);
        }
        header.wrap(buffer, offset);
        final int end = offset + length;
        RecordDecoding.requireBlock(header, "event", AgentEventDecoder.BLOCK_LENGTH, offset, end);
        final AgentEventDecoder d = decoder.wrapAndApplyHeader(buffer, offset, header);
        final String runId = RecordDecoding.symbol(symbols, d.run(), "run");
        final String source = RecordDecoding.symbol(symbols, d.source(), "source");
        final String event = RecordDecoding.symbol(symbols, d.eventName(), "eventName");
        final long cycle = d.cycle();
        final long timestamp = d.timestamp();
        final int payloadOffset = d.limit() + AgentEventDecoder.payloadHeaderLength();
        final int payloadLength = RecordDecoding.checkLength("payload", (int)d.payloadLength(), payloadOffset, end);
        d.skipPayload();
        final int tagsOffset = d.limit() + AgentEventDecoder.tagsHeaderLength();
        final int tagsLength = RecordDecoding.checkLength("tags", (int)d.tagsLength(), tagsOffset, end);
        if (0 == payloadLength || 0 == tagsLength)
        {
            throw new RecordingException((0 == payloadLength ? "payload" : "tags") + ": not a JSON object");
        }
        final JsonGenerator g = lines.beginLine(runId);
        try
        {
            g.writeStartObject();
            g.writeStringField(AgentWire.SCHEMA_VERSION, AgentEmitter.SCHEMA_VERSION);
            g.writeStringField(AgentWire.TIMESTAMP, time.format(timestamp));
            g.writeStringField(AgentWire.SOURCE, source);
            g.writeStringField(AgentWire.RUN_ID, runId);
            g.writeNumberField(AgentWire.CYCLE, cycle);
            g.writeStringField(AgentWire.EVENT, event);
            // Copied token by token, checked as they go: a line is one compact object whatever the record held, and
            // a damaged value is refused (the line is dropped).
            g.writeFieldName(AgentWire.PAYLOAD);
            json.writeValue(g, "payload", buffer, payloadOffset, payloadLength, JsonToken.START_OBJECT);
            g.writeFieldName(AgentWire.TAGS);
            sessionTags.writeObject(g, json, "tags", buffer, tagsOffset, tagsLength);
            g.writeEndObject();
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
}
