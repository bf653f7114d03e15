package io.blackbox.exporter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * Recorded text (a run id, a key) put into a message or a line of output: JSON-quoted and ASCII-escaped, because it is
 * data and may hold control characters.
 */
public final class QuotedText
{
    private static final ObjectWriter QUOTING_WRITER =
        JsonLinesReader.MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    private QuotedText()
    {
    }

    /**
     * @param text any text.
     * @return it as a JSON string literal with everything outside printable ASCII escaped.
     */
    public static String quote(final String text)
    {
        try
        {
            return json(text);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot quote a string", ex);
        }
    }

    /**
     * @param value any value Jackson writes (a string, a number, a node).
     * @return its JSON text with everything outside printable ASCII escaped.
     * @throws JsonProcessingException when Jackson cannot write it.
     */
    public static String json(final Object value) throws JsonProcessingException
    {
        // JSON leaves DEL unescaped; it is a control character all the same.
        return QUOTING_WRITER.writeValueAsString(value).replace(String.valueOf((char)0x7F), "\\u007F");
    }
}
