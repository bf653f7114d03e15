package io.blackbox.recorder;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.io.ExpandableDirectBufferOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * Serialises the open-shaped values a producer hands over (config dictionaries, metric blocks, alert context,
 * recommendation lists) to the UTF-8 JSON text records carry. Off the hot path: these events allocate.
 * <p>
 * Accepts {@link Map} (keys by {@code toString}, order kept), {@link Iterable}, arrays, {@link CharSequence},
 * {@link Number}, {@link Boolean}, {@link Enum} (by name) and null. NaN and infinities are written as the bare
 * tokens Python's json module writes, so a diverged loss survives the trip.
 */
public final class JsonValues
{
    /**
     * Shared factory: non-finite floats as bare NaN/Infinity tokens, as Python producers write them; doubles
     * written by the Schubfach algorithm (shortest text that reads back as the same double), several times
     * faster than {@code Double.toString} on Java 17.
     */
    public static final JsonFactory FACTORY = JsonFactory.builder()
        .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
        .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
        .build();

    private static final byte[] EMPTY = new byte[0];

    private JsonValues()
    {
    }

    /**
     * @return the JSON text of {@code value}; an empty array when {@code value} is null and {@code nullIsAbsent}.
     * @throws IllegalArgumentException naming the path of a value of an unsupported type.
     */
    public static byte[] toJson(final Object value, final boolean nullIsAbsent)
    {
        if (value == null && nullIsAbsent)
        {
            return EMPTY;
        }
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final ExpandableDirectBufferOutputStream out = new ExpandableDirectBufferOutputStream(buffer);
        write(value, out);
        final byte[] bytes = new byte[out.position()];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    /**
     * Write the JSON text of {@code value} to {@code out}.
     */
    public static void write(final Object value, final OutputStream out)
    {
        try (JsonGenerator generator = FACTORY.createGenerator(out))
        {
            writeValue(generator, value, "$");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void writeValue(final JsonGenerator generator, final Object value, final String path)
        throws IOException
    {
        if (value == null)
        {
            generator.writeNull();
        }
        else if (value instanceof Map<?, ?> map)
        {
            generator.writeStartObject();
            for (final Map.Entry<?, ?> entry : map.entrySet())
            {
                final String key = String.valueOf(entry.getKey());
                generator.writeFieldName(key);
                writeValue(generator, entry.getValue(), path + "." + key);
            }
            generator.writeEndObject();
        }
        else if (value instanceof Iterable<?> iterable)
        {
            generator.writeStartArray();
            int i = 0;
            for (final Object element : iterable)
            {
                writeValue(generator, element, path + "[" + i++ + "]");
            }
            generator.writeEndArray();
        }
        else if (value instanceof CharSequence text)
        {
            generator.writeString(text.toString());
        }
        else if (value instanceof Boolean bool)
        {
            generator.writeBoolean(bool);
        }
        else if (value instanceof Double || value instanceof Float)
        {
            generator.writeNumber(((Number)value).doubleValue());
        }
        else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)
        {
            generator.writeNumber(((Number)value).longValue());
        }
        else if (value instanceof BigInteger big)
        {
            generator.writeNumber(big);
        }
        else if (value instanceof BigDecimal big)
        {
            generator.writeNumber(big);
        }
        else if (value instanceof Enum<?> constant)
        {
            generator.writeString(constant.name());
        }
        else if (value instanceof double[] doubles)
        {
            generator.writeArray(doubles, 0, doubles.length);
        }
        else if (value instanceof long[] longs)
        {
            generator.writeArray(longs, 0, longs.length);
        }
        else if (value instanceof int[] ints)
        {
            generator.writeArray(ints, 0, ints.length);
        }
        else if (value instanceof Object[] array)
        {
            generator.writeStartArray();
            for (int i = 0; i < array.length; i++)
            {
                writeValue(generator, array[i], path + "[" + i + "]");
            }
            generator.writeEndArray();
        }
        else
        {
            throw new IllegalArgumentException(
                "cannot record a value of type " + value.getClass().getName() + " at " + path);
        }
    }
}
