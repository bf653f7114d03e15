package io.blackbox.exporter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Members an export adds to a JSON object a record carries, each only when the object lacks its key (the producer's
 * own value wins), after the object's own members: what a recorder session says of itself (its rank, its host), in
 * the place a family's spec has for it. Made once per session, with each member's compact JSON text; per record the
 * object's top-level keys are scanned, checked exactly as {@link JsonMembers#writeValue} checks a value (the same
 * parser limits), and the object's text is written as recorded with the missing members before its closing brace.
 * <p>
 * Without members ({@link #isEmpty()}) every call is {@link JsonMembers#writeValue}'s, so an export of a session
 * without them writes the bytes it wrote before there were any.
 */
public final class AddedMembers
{
    /** The most members one object may be given: the keys present are a bit set in an int. */
    public static final int MAX_MEMBERS = 31;
    /** {@link #ofRank}'s keys: the session's rank in its job, the job's processes, the rank on its host. */
    public static final String RANK = "rank";
    public static final String WORLD_SIZE = "world_size";
    public static final String LOCAL_RANK = "local_rank";

    private static final int NOT_AN_OBJECT = -1;

    // JsonMembers' parser, so an object is refused here exactly as there.
    private static final JsonFactory FACTORY = JsonMembers.FACTORY;

    private final String[] keys;
    private final String[] members;
    private final String wholeObject;
    private byte[] scratch = new byte[1024];
    private boolean objectHasMembers;
    private int closingBrace;

    private AddedMembers(final List<String> keys, final List<String> members)
    {
        this.keys = keys.toArray(new String[0]);
        this.members = members.toArray(new String[0]);
        this.wholeObject = "{" + String.join(",", members) + "}";
    }

    /**
     * @return no members: every object is written as recorded.
     */
    public static AddedMembers none()
    {
        return new AddedMembers(List.of(), List.of());
    }

    /**
     * @return the members a session with a rank adds ({@value #RANK}, {@value #WORLD_SIZE}, {@value #LOCAL_RANK} when
     * known, the host under {@code hostKey} when known), none for a session without one.
     * @param hostKey        the host's key in the family's object.
     * @param decimalStrings whether numbers are written as their decimal text (an object of strings).
     */
    public static AddedMembers ofRank(final RecordingReader.Session session, final String hostKey,
        final boolean decimalStrings)
    {
        if (!session.hasRank())
        {
            return none();
        }
        final Builder members = builder();
        addNumber(members, RANK, session.rank(), decimalStrings);
        addNumber(members, WORLD_SIZE, session.worldSize(), decimalStrings);
        if (RecordingReader.Session.NO_RANK != session.localRank())
        {
            addNumber(members, LOCAL_RANK, session.localRank(), decimalStrings);
        }
        if (!session.host().isEmpty())
        {
            members.add(hostKey, session.host());
        }
        return members.build();
    }

    private static void addNumber(final Builder members, final String key, final int value,
        final boolean decimalStrings)
    {
        if (decimalStrings)
        {
            members.add(key, Integer.toString(value));
        }
        else
        {
            members.add(key, value);
        }
    }

    /**
     * @return a builder of the members, in the order they are to be written.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * @return whether there is nothing to add.
     */
    public boolean isEmpty()
    {
        return 0 == keys.length;
    }

    /**
     * Write a record's JSON object as the value of the field {@code g} has just named, with each member it lacks
     * after its own; checked as {@link JsonMembers#writeValue} checks it, and refused the same way.
     *
     * @param json   writes and refuses the value when there is nothing to add, or when it is not a valid object.
     * @param field  the record's field, for the message.
     * @param length the JSON text's length: at least 1 (an absent object is the caller's to handle).
     */
    public void writeObject(final JsonGenerator g, final JsonMembers json, final String field,
        final DirectBuffer buffer, final int offset, final int length) throws IOException
    {
        final int present = isEmpty() ? NOT_AN_OBJECT : scanKeys(buffer, offset, length);
        if (NOT_AN_OBJECT == present)
        {
            // JsonMembers writes it, or refuses it with the message any other record's value would get.
            json.writeValue(g, field, buffer, offset, length, JsonToken.START_OBJECT);
            return;
        }
        // The recorded text as it is up to its closing brace (whitespace kept, on one line), the members, the brace
        // and the rest.
        JsonMembers.lineBreaksToSpaces(scratch, length);
        g.writeRawValue(new String(scratch, 0, closingBrace, StandardCharsets.UTF_8));
        boolean separate = objectHasMembers;
        for (int i = 0; i < keys.length; i++)
        {
            if (0 == (present & (1 << i)))
            {
                if (separate)
                {
                    g.writeRaw(',');
                }
                g.writeRaw(members[i]);
                separate = true;
            }
        }
        if (closingBrace == length - 1)
        {
            g.writeRaw('}');
        }
        else
        {
            g.writeRaw(new String(scratch, closingBrace, length - closingBrace, StandardCharsets.UTF_8));
        }
    }

    /**
     * Write an object of every member as the value of the field {@code g} has just named: the record had none.
     */
    public void writeAll(final JsonGenerator g) throws IOException
    {
        g.writeRawValue(wholeObject);
    }

    /**
     * @param key a key.
     * @return whether the JSON object in the buffer has {@code key} at its top level; false for an empty text or one
     *     that is not a valid object (its own writing refuses that).
     */
    public boolean objectHasKey(final String key, final DirectBuffer buffer, final int offset, final int length)
        throws IOException
    {
        if (0 == length)
        {
            return false;
        }
        try (JsonParser p = FACTORY.createParser(copy(buffer, offset, length), 0, length))
        {
            if (p.nextToken() != JsonToken.START_OBJECT)
            {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME)
            {
                if (key.equals(p.currentName()))
                {
                    return true;
                }
                p.nextToken();
                p.skipChildren();
            }
            return false;
        }
        catch (final JsonProcessingException ex)
        {
            return false;
        }
    }

    /**
     * Read the object's top-level keys, checking the whole text as {@link JsonMembers#writeValue} does; note where its
     * closing brace is and whether it has members.
     *
     * @return the members' bits whose keys the object has, or {@link #NOT_AN_OBJECT}.
     */
    private int scanKeys(final DirectBuffer buffer, final int offset, final int length) throws IOException
    {
        final byte[] text = copy(buffer, offset, length);
        int present = 0;
        objectHasMembers = false;
        try (JsonParser p = FACTORY.createParser(text, 0, length))
        {
            if (p.nextToken() != JsonToken.START_OBJECT)
            {
                return NOT_AN_OBJECT;
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME)
            {
                objectHasMembers = true;
                final String name = p.currentName();
                for (int i = 0; i < keys.length; i++)
                {
                    if (keys[i].equals(name))
                    {
                        present |= 1 << i;
                    }
                }
                p.nextToken();
                p.skipChildren();
            }
            if (token != JsonToken.END_OBJECT || p.nextToken() != null)
            {
                return NOT_AN_OBJECT;
            }
        }
        catch (final JsonProcessingException ex)
        {
            return NOT_AN_OBJECT;
        }
        // One object and nothing after it but whitespace: its last other byte is its closing brace.
        int last = length - 1;
        while (last > 0 && isJsonWhitespace(text[last]))
        {
            last--;
        }
        if (text[last] != '}')
        {
            return NOT_AN_OBJECT;
        }
        closingBrace = last;
        return present;
    }

    private static boolean isJsonWhitespace(final byte b)
    {
        return ' ' == b || '\t' == b || '\n' == b || '\r' == b;
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

    /**
     * The members, in the order they are to be written.
     */
    public static final class Builder
    {
        private final List<String> keys = new ArrayList<>();
        private final List<String> members = new ArrayList<>();

        private Builder()
        {
        }

        /**
         * @param key   the member's key.
         * @param value its value, a number.
         */
        public Builder add(final String key, final long value)
        {
            return addMember(key, Long.toString(value));
        }

        /**
         * @param key   the member's key.
         * @param value its value, a string.
         */
        public Builder add(final String key, final String value)
        {
            return addMember(key, quoted(value));
        }

        /**
         * @return the members.
         */
        public AddedMembers build()
        {
            return new AddedMembers(keys, members);
        }

        private Builder addMember(final String key, final String valueJson)
        {
            if (keys.contains(key))
            {
                throw new IllegalArgumentException("key given twice: " + key);
            }
            if (keys.size() == MAX_MEMBERS)
            {
                throw new IllegalArgumentException("more than " + MAX_MEMBERS + " members");
            }
            keys.add(key);
            // As the importers write JSON text (the shared mapper), so an import of the export writes the same bytes.
            members.add(quoted(key) + ":" + valueJson);
            return this;
        }

        private static String quoted(final String text)
        {
            try
            {
                return JsonLinesReader.MAPPER.writeValueAsString(text);
            }
            catch (final JsonProcessingException ex)
            {
                throw new IllegalStateException(ex);
            }
        }
    }
}
