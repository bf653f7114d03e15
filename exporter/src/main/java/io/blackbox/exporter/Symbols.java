package io.blackbox.exporter;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * The strings a recording session's records refer to by symbol, as its StringDefinition records defined them.
 */
public final class Symbols
{
    private final Int2ObjectHashMap<String> values = new Int2ObjectHashMap<>();

    void clear()
    {
        values.clear();
    }

    void define(final int symbol, final String value)
    {
        values.put(symbol, value);
    }

    /**
     * @throws RecordingException when the session never defined {@code symbol}.
     */
    public String get(final int symbol)
    {
        final String value = values.get(symbol);
        if (value == null)
        {
            throw new RecordingException("undefined symbol " + symbol);
        }
        return value;
    }
}
