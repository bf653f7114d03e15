package io.blackbox.exporter.esper;

import io.blackbox.exporter.PythonFloats;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The untyped values Esper payloads carry in their {@code dict[str, Any]} fields, and the JSON text of any wire value
 * as Python's {@code json.dumps} writes it with its defaults: {@code ", "} and {@code ": "} separators,
 * {@code ensure_ascii} (every character outside ASCII as a lower-case {@code \}{@code uXXXX}), floats as
 * {@code repr} ({@link PythonFloats}), {@code NaN} and {@code Infinity} bare. A wire value is null, a
 * {@link Boolean}, a {@link String}, an {@link Integer}, {@link Long} or {@link BigInteger}, a {@link Double}, a
 * {@link List} of wire values, or a {@link Map} from strings to wire values (written in its iteration order).
 */
public final class EsperValues
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private EsperValues()
    {
    }

    /**
     * An unmodifiable deep copy, keeping the order of keys and any null values (a JSON object may hold null, which
     * {@link Map#copyOf} refuses).
     *
     * @param map a map of wire values.
     * @param <V> the type of its values.
     * @return the copy.
     */
    @SuppressWarnings("unchecked")
    static <V> Map<String, V> freezeMap(final Map<String, ? extends V> map)
    {
        final Map<String, V> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        map.forEach((key, value) -> copy.put(key, (V)freeze(value)));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * An unmodifiable deep copy of a list of wire values, keeping nulls.
     *
     * @param list a list of wire values.
     * @param <V> the type of its elements.
     * @return the copy.
     */
    @SuppressWarnings("unchecked")
    static <V> List<V> freezeList(final List<? extends V> list)
    {
        final List<V> copy = new ArrayList<>(list.size());
        list.forEach(value -> copy.add((V)freeze(value)));
        return Collections.unmodifiableList(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object freeze(final Object value)
    {
        if (value instanceof Map)
        {
            return freezeMap((Map<String, Object>)value);
        }
        if (value instanceof List)
        {
            return freezeList((List<Object>)value);
        }
        return value;
    }

    /**
     * A value as a problem message names it: {@code null}, {@code true}, a number as written, {@code a string},
     * {@code a list}, {@code an object}. Strings are not quoted: their text came from the file.
     *
     * @param value a wire value.
     * @return its description.
     */
    static String describe(final Object value)
    {
        if (null == value)
        {
            return "null";
        }
        if (value instanceof Boolean)
        {
            return value.toString();
        }
        if (value instanceof Double)
        {
            return PythonFloats.toString((Double)value);
        }
        if (value instanceof Number)
        {
            return value.toString();
        }
        if (value instanceof String)
        {
            return "a string";
        }
        if (value instanceof List)
        {
            return "a list";
        }
        if (value instanceof Map)
        {
            return "an object";
        }
        return value.getClass().getSimpleName();
    }

    /**
     * Append a wire value as Python's {@code json.dumps} writes it.
     *
     * @param out   where the text goes.
     * @param value a wire value.
     * @throws IllegalArgumentException if the value is not a wire value.
     */
    public static void appendJson(final StringBuilder out, final Object value)
    {
        if (null == value)
        {
            out.append("null");
        }
        else if (value instanceof String)
        {
            appendString(out, (String)value);
        }
        else if (value instanceof Double)
        {
            out.append(PythonFloats.toString((Double)value));
        }
        else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger ||
            value instanceof Boolean)
        {
            out.append(value);
        }
        else if (value instanceof Map)
        {
            out.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> entry : ((Map<?, ?>)value).entrySet())
            {
                if (!first)
                {
                    out.append(", ");
                }
                first = false;
                appendString(out, (String)entry.getKey());
                out.append(": ");
                appendJson(out, entry.getValue());
            }
            out.append('}');
        }
        else if (value instanceof List)
        {
            out.append('[');
            boolean first = true;
            for (final Object element : (List<?>)value)
            {
                if (!first)
                {
                    out.append(", ");
                }
                first = false;
                appendJson(out, element);
            }
            out.append(']');
        }
        else
        {
            throw new IllegalArgumentException("not a wire value: " + value.getClass().getName());
        }
    }

    /**
     * @return whether {@code text} is printable ASCII without a quote or backslash: written as it is.
     */
    private static boolean isPlainAscii(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < ' ' || c > '~' || '"' == c || '\\' == c)
            {
                return false;
            }
        }
        return true;
    }

    private static void appendString(final StringBuilder out, final String text)
    {
        if (isPlainAscii(text))
        {
            // Most strings (keys, ids, enum names) need no escape: one copy, not a switch a character.
            out.append('"').append(text).append('"');
            return;
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                default:
                    if (c < ' ' || c > '~')
                    {
                        // ensure_ascii: Python escapes DEL (0x7f) and everything above, each UTF-16 unit alone.
                        out.append("\\u").append(HEX[c >>> 12]).append(HEX[(c >>> 8) & 0xF])
                            .append(HEX[(c >>> 4) & 0xF]).append(HEX[c & 0xF]);
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
