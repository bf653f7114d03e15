package io.blackbox.exporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.io.IOException;

/**
 * The checks a family's export makes before it reads a part of a record, so that a record that cannot be decoded
 * fails with a {@link RecordingException} naming the field rather than with whatever reading past it would throw: a
 * block, a repeating group, a var data length, a symbol. Shared by every family's {@link FamilyExport}.
 */
public final class RecordDecoding
{
    private RecordDecoding()
    {
    }

    /**
     * A record of an older schema version has a shorter block: its fields added since read as their null values
     * (SBE's acting version and block length). What cannot be decoded is a block shorter than its own version's, or
     * longer than the record.
     *
     * @param header      the record's header, wrapped.
     * @param event       the record's name, for the message.
     * @param blockLength the block length of the record's version.
     * @param offset      where the record starts.
     * @param end         where it ends.
     */
    public static void requireBlock(final MessageHeaderDecoder header, final String event, final int blockLength,
        final int offset, final int end)
    {
        final int actingBlockLength = header.blockLength();
        if (actingBlockLength < blockLength)
        {
            throw new RecordingException(event + ": block length " + actingBlockLength + " is shorter than its " +
                blockLength + " bytes of fields (schema version " + header.version() + ")");
        }
        if (actingBlockLength > end - offset - MessageHeaderDecoder.ENCODED_LENGTH)
        {
            throw new RecordingException(event + ": block length " + actingBlockLength + " runs past its record (" +
                (end - offset) + " bytes)");
        }
    }

    /**
     * @param group        the group's name, for the message.
     * @param count        its entries, as the record says.
     * @param entryLength  the length of an entry, as the record says.
     * @param fieldsLength the length of an entry's fields in this schema.
     * @param limit        where the group's entries start.
     * @param end          where the record ends.
     */
    public static void requireGroup(final String group, final int count, final int entryLength,
        final int fieldsLength, final int limit, final int end)
    {
        if (entryLength < fieldsLength)
        {
            throw new RecordingException(group + ": entry length " + entryLength + " is shorter than its " +
                fieldsLength + " bytes of fields");
        }
        if ((long)count * entryLength > end - limit)
        {
            throw new RecordingException(group + ": " + count + " entries of " + entryLength + " bytes run past the " +
                "record (" + Math.max(0, end - limit) + " bytes left)");
        }
    }

    /**
     * @param field      the var data field, for the message.
     * @param length     as the decoder read it: a uint32 length of 2 GiB or more reads as negative.
     * @param dataOffset where the data would start.
     * @param end        where the record ends.
     * @return the length, within the record.
     */
    public static int checkLength(final String field, final int length, final int dataOffset, final int end)
    {
        if (length < 0 || length > end - dataOffset)
        {
            throw new RecordingException(field + ": length " + Integer.toUnsignedString(length) +
                " runs past the record (" + Math.max(0, end - dataOffset) + " bytes left)");
        }
        return length;
    }

    /**
     * @param symbols the session's symbols.
     * @param symbol  a symbol a record carries.
     * @param field   the field that carries it, for the message.
     * @return its string.
     */
    public static String symbol(final Symbols symbols, final int symbol, final String field)
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
     * A var data field holding a JSON object (a payload, tags, open-shaped values).
     *
     * @param field  the field, for the message.
     * @param buffer holding the record.
     * @param offset where the text starts.
     * @param length its length, checked by {@link #checkLength}.
     * @return the object.
     * @throws RecordingException naming the field when the text is not one JSON object.
     */
    public static ObjectNode jsonObject(final String field, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        final JsonNode node;
        try
        {
            node = JsonLinesReader.MAPPER.readTree(bytes);
        }
        catch (final IOException ex)
        {
            throw new RecordingException(field + ": not JSON (" +
                String.valueOf(ex.getMessage()).lines().findFirst().orElse("") + ")");
        }
        if (null == node || !node.isObject())
        {
            throw new RecordingException(field + ": not a JSON object");
        }
        return (ObjectNode)node;
    }
}
