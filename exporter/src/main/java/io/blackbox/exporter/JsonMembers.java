package io.blackbox.exporter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes JSON text a record carries (open-shaped values, extra keys) into an exported line, checked as it goes: one
 * JSON value of the expected shape, on one line (a line break between tokens becomes a space), within the limits of
 * the reader that reads the export back ({@link JsonLinesReader}, one level shallower: the value sits inside its
 * line's object), keys given twice refused. A value that fails throws a {@link RecordingException} naming the field,
 * part-way through the line: the caller drops the line ({@link RunJsonLines#discardLine()}).
 */
public final class JsonMembers
{
    /** The parser of a record's JSON text; {@link AddedMembers} checks with it too, so both refuse alike. */
    static final JsonFactory FACTORY = JsonLinesReader.MAPPER.getFactory().rebuild()
        .streamReadConstraints(JsonLinesReader.MAPPER.getFactory().streamReadConstraints().rebuild()
            .maxNestingDepth(JsonLinesReader.MAX_NESTING_DEPTH - 1)
            .build())
        .build();

    private byte[] scratch = new byte[1024];

    /**
     * Write one JSON value, as it is, as the value of the field {@code g} has just named.
     *
     * @param field  the record's field, for the message.
     * @param shape  {@link JsonToken#START_OBJECT} or {@link JsonToken#START_ARRAY}.
     * @param length the JSON text's length: at least 1 (an absent value is the caller's to handle).
     */
    public void writeValue(final JsonGenerator g, final String field, final DirectBuffer buffer, final int offset,
        final int length, final JsonToken shape) throws IOException
    {
        final byte[] json = copy(buffer, offset, length);
        try (JsonParser p = FACTORY.createParser(json, 0, length))
        {
            requireShape(field, p.nextToken(), shape);
            p.skipChildren();
            requireEnd(field, p);
        }
        catch (final JsonProcessingException ex)
        {
            throw notJson(field, ex);
        }
        lineBreaksToSpaces(json, length);
        g.writeRawValue(new String(json, 0, length, StandardCharsets.UTF_8));
    }

    /**
     * Valid JSON text may hold line breaks between its tokens, never inside a string (the parser refuses an
     * unescaped control character there); copied as they are they would split a JSON line in two. Each becomes a
     * space, its place in the grammar: every other byte is kept.
     *
     * @param json JSON text that parsed.
     */
    static void lineBreaksToSpaces(final byte[] json, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (json[i] == '\n' || json[i] == '\r')
            {
                json[i] = ' ';
            }
        }
    }

    /**
     * Copy the members of a JSON object into the object {@code g} is writing; nothing for length 0.
     *
     * @param field the record's field, for the message.
     * @param keys  the keys of the object written to: each member's key is added, so one already there is refused.
     */
    public void copyMembers(final JsonGenerator g, final String field, final DirectBuffer buffer, final int offset,
        final int length, final LineKeys keys) throws IOException
    {
        if (length == 0)
        {
            return;
        }
        final byte[] json = copy(buffer, offset, length);
        try (JsonParser p = FACTORY.createParser(json, 0, length))
        {
            requireShape(field, p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME)
            {
                final String name = p.currentName();
                keys.add(name);
                g.writeFieldName(name);
                p.nextToken();
                g.copyCurrentStructure(p);
            }
            requireEnd(field, p);
        }
        catch (final JsonProcessingException ex)
        {
            throw notJson(field, ex);
        }
    }

    private byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        if (scratch.length < length)
        {
            scratch = new byte[Math.max(length, 2 * scratch.length)];
        }
        buffer.getBytes(offset, scratch, 0, length);
        return scratch;
    }

    private static void requireShape(final String field, final JsonToken token, final JsonToken shape)
    {
        if (token != shape)
        {
            throw new RecordingException(field + ": not a JSON " + (shape == JsonToken.START_ARRAY ? "array" : "object"));
        }
    }

    private static void requireEnd(final String field, final JsonParser p) throws IOException
    {
        if (p.nextToken() != null)
        {
            throw new RecordingException(field + ": more than one JSON value");
        }
    }

    private static RecordingException notJson(final String field, final JsonProcessingException ex)
    {
        final String message = String.valueOf(ex.getOriginalMessage()).replaceAll("\\s+", " ");
        final String where = ex.getLocation() == null ? "" : " at byte " + ex.getLocation().getByteOffset();
        return new RecordingException(field + ": not valid JSON" + where + " (" + message + ")");
    }
}
