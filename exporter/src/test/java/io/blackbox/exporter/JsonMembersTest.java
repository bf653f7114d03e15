package io.blackbox.exporter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recorded JSON text copied into an exported line stays on that line: a line break between tokens (valid JSON
 * whitespace, as a pretty-printer writes it) would otherwise split the JSON Lines file's line in two.
 */
class JsonMembersTest
{
    private static final String PRETTY = "{\r\n  \"lr\" : 0.001,\n  \"layers\" : [ 1,\n 2 ],\n  \"note\" : \"a\\nb\"\n}";
    private static final String ONE_LINE = "{    \"lr\" : 0.001,   \"layers\" : [ 1,  2 ],   \"note\" : \"a\\nb\" }";

    @Test
    void shouldWriteAValueWithLineBreaksOnOneLineKeepingEveryOtherByte() throws IOException
    {
        assertEquals("{\"config\":" + ONE_LINE + "}", written(PRETTY, AddedMembers.none()));
    }

    @Test
    void shouldWriteAnObjectWithAddedMembersOnOneLine() throws IOException
    {
        final AddedMembers rank = AddedMembers.builder().add(AddedMembers.RANK, 3).build();
        final String line = written(PRETTY, rank);

        assertEquals("{\"config\":" + ONE_LINE.substring(0, ONE_LINE.length() - 1) + ",\"rank\":3}}", line);
    }

    @Test
    void shouldStillRefuseALineBreakInsideAString()
    {
        final RecordingException refused = assertThrows(RecordingException.class,
            () -> written("{\"note\":\"a\nb\"}", AddedMembers.none()));

        assertTrue(refused.getMessage().startsWith("config: not valid JSON"), refused.getMessage());
    }

    private static String written(final String json, final AddedMembers added) throws IOException
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(json.getBytes(StandardCharsets.UTF_8));
        final StringWriter out = new StringWriter();
        try (JsonGenerator g = JsonMembers.FACTORY.createGenerator(out))
        {
            g.writeStartObject();
            g.writeFieldName("config");
            added.writeObject(g, new JsonMembers(), "config", buffer, 0, buffer.capacity());
            g.writeEndObject();
        }
        return out.toString();
    }
}
