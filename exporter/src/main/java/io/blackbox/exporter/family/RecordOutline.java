package io.blackbox.exporter.family;

import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.Symbols;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;

import java.nio.ByteOrder;
import java.util.function.IntFunction;

/**
 * What {@code summary --recording} and {@code print}'s filters read of a record without decoding it: its run, its kind
 * of event and its time, each at a fixed offset of the record's block. A family declares, per template, where they are
 * (the generated decoders' {@code ...EncodingOffset()} give the offsets, so the table follows the schema); nothing in the
 * record's groups or variable-length data is read.
 * <pre>
 *   record: | message header (8) | block: ... timestamp (int64) ... run (Symbol, int32) ... event? ... | groups, data |
 *                                          ^ timestampOffset        ^ runOffset          ^ eventOffset (agent, esper)
 * </pre>
 */
public final class RecordOutline
{
    /**
     * One record's outline, filled in by {@link #read}; one instance is reused from record to record.
     */
    public static final class Outline
    {
        private String run;
        private String event;
        private long timestampNanos;

        /**
         * @return the record's run id.
         */
        public String run()
        {
            return run;
        }

        /**
         * @return the kind of event, as the family's files name it ({@code train_step}, {@code REWARD_COMPUTED}).
         */
        public String event()
        {
            return event;
        }

        /**
         * @return the record's time, in epoch nanoseconds.
         */
        public long timestampNanos()
        {
            return timestampNanos;
        }
    }

    private enum EventSource
    {
        /** The template is one kind of event. */
        FIXED,
        /** The event's name is a Symbol in the block. */
        SYMBOL,
        /** The event is a uint8 code in the block, named by a function. */
        CODE
    }

    private record Template(String event, int timestampOffset, int runOffset, EventSource source, int eventOffset,
        IntFunction<String> codeNames, int minBlockLength)
    {
    }

    private final Int2ObjectHashMap<Template> templates = new Int2ObjectHashMap<>();

    /**
     * A template that is one kind of event.
     *
     * @param templateId      the SBE template id.
     * @param event           its event's name.
     * @param timestampOffset of its epoch-nanosecond timestamp in the block.
     * @param runOffset       of its run Symbol in the block.
     * @return this.
     */
    public RecordOutline event(final int templateId, final String event, final int timestampOffset, final int runOffset)
    {
        return add(templateId, new Template(event, timestampOffset, runOffset, EventSource.FIXED, 0, null,
            Math.max(timestampOffset + Long.BYTES, runOffset + Integer.BYTES)));
    }

    /**
     * A template whose event's name is a Symbol of the block (the agent's {@code eventName}).
     *
     * @return this.
     */
    public RecordOutline symbolEvent(final int templateId, final int timestampOffset, final int runOffset,
        final int eventOffset)
    {
        return add(templateId, new Template(null, timestampOffset, runOffset, EventSource.SYMBOL, eventOffset, null,
            Math.max(Math.max(timestampOffset + Long.BYTES, runOffset + Integer.BYTES), eventOffset + Integer.BYTES)));
    }

    /**
     * A template whose event is a one-byte code of the block (Esper's {@code eventType}).
     *
     * @param names the event's name by its code; null for a code it does not know.
     * @return this.
     */
    public RecordOutline codeEvent(final int templateId, final int timestampOffset, final int runOffset,
        final int eventOffset, final IntFunction<String> names)
    {
        return add(templateId, new Template(null, timestampOffset, runOffset, EventSource.CODE, eventOffset, names,
            Math.max(Math.max(timestampOffset + Long.BYTES, runOffset + Integer.BYTES), eventOffset + 1)));
    }

    private RecordOutline add(final int templateId, final Template template)
    {
        if (null != templates.put(templateId, template))
        {
            throw new IllegalArgumentException("template " + templateId + " declared twice");
        }
        return this;
    }

    /**
     * @return whether the outline knows {@code templateId}.
     */
    public boolean knows(final int templateId)
    {
        return templates.containsKey(templateId);
    }

    /**
     * Read a record's outline.
     *
     * @param templateId of the record.
     * @param buffer     holding it.
     * @param offset     of its message header.
     * @param length     of the message, header included.
     * @param symbols    the session's symbols.
     * @param into       filled in.
     * @throws RecordingException when the template is not declared, the block is too short for the fields, a symbol is
     *                            undefined or a code unknown: the record is damage, as in an export.
     */
    public void read(final int templateId, final DirectBuffer buffer, final int offset, final int length,
        final Symbols symbols, final Outline into)
    {
        final Template template = templates.get(templateId);
        if (null == template)
        {
            throw new RecordingException("template " + templateId + " has no outline");
        }
        final int blockLength = buffer.getShort(offset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (blockLength < template.minBlockLength ||
            blockLength > length - MessageHeaderDecoder.ENCODED_LENGTH)
        {
            throw new RecordingException("template " + templateId + ": block length " + blockLength + " cannot hold " +
                "its " + template.minBlockLength + " bytes of outline in a record of " + length + " bytes");
        }
        final int block = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        into.timestampNanos = buffer.getLong(block + template.timestampOffset, ByteOrder.LITTLE_ENDIAN);
        into.run = symbols.get(buffer.getInt(block + template.runOffset, ByteOrder.LITTLE_ENDIAN));
        switch (template.source)
        {
            case FIXED -> into.event = template.event;
            case SYMBOL -> into.event = symbols.get(buffer.getInt(block + template.eventOffset, ByteOrder.LITTLE_ENDIAN));
            case CODE ->
            {
                final int code = buffer.getByte(block + template.eventOffset) & 0xFF;
                final String name = template.codeNames.apply(code);
                if (null == name)
                {
                    throw new RecordingException("template " + templateId + ": unknown event code " + code);
                }
                into.event = name;
            }
            default -> throw new IllegalStateException(template.source.name());
        }
    }
}
