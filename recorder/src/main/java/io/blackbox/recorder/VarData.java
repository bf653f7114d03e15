package io.blackbox.recorder;

import java.nio.charset.StandardCharsets;

/**
 * What an emitter puts in a record's variable-length data: UTF-8 text and JSON, where length 0 means absent.
 */
public final class VarData
{
    /**
     * An absent value.
     */
    public static final byte[] EMPTY = new byte[0];

    private VarData()
    {
    }

    /**
     * @param value a required text field.
     * @return its UTF-8 bytes.
     * @throws IllegalArgumentException when {@code value} is null.
     */
    public static byte[] utf8(final String value)
    {
        if (value == null)
        {
            throw new IllegalArgumentException("a required text field is null");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param json      JSON text for a var data field with a short length, or null when absent.
     * @param maxLength the longest the field's length encoding takes.
     * @param what      what the field holds, for the message.
     * @return {@code json}, or {@link #EMPTY} for null.
     * @throws IllegalArgumentException when {@code json} is longer than {@code maxLength}.
     */
    public static byte[] orEmpty(final byte[] json, final int maxLength, final String what)
    {
        if (json == null)
        {
            return EMPTY;
        }
        if (json.length > maxLength)
        {
            throw new IllegalArgumentException(what + " take " + json.length + " bytes of JSON, more than " + maxLength);
        }
        return json;
    }
}
