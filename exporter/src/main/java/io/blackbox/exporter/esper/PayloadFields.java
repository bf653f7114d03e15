package io.blackbox.exporter.esper;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the keys of one payload (or the envelope) from a map, as the spec's {@code from_dict} does but with types:
 * a missing required key, {@code null} where the spec has no {@code | None}, or a value of the wrong type throws an
 * {@link EsperFormatException} naming the key and the payload; unknown keys are never looked at; a list is what a
 * tuple is read from (JSON has no tuples).
 * <p>
 * Types, stricter than Python's, which checks none: an integer field takes a JSON integer only (not {@code 2.5}, not
 * {@code true}); a float field takes any number, integers included, as Python's {@code float} annotation does; a
 * string field takes a string; a boolean field {@code true} or {@code false}.
 */
final class PayloadFields
{
    private final String owner;
    private final Map<String, ?> map;

    /**
     * @param owner the payload's (or envelope's) name, for messages.
     * @param map   the keys to read.
     */
    PayloadFields(final String owner, final Map<String, ?> map)
    {
        if (null == map)
        {
            throw new EsperFormatException("", owner + " needs an object, found null");
        }
        this.owner = owner;
        this.map = map;
    }

    int requiredInt(final String key)
    {
        return toInt(key, required(key));
    }

    long requiredLong(final String key)
    {
        return toLong(key, required(key));
    }

    double requiredDouble(final String key)
    {
        return toDouble(key, required(key));
    }

    String requiredString(final String key)
    {
        return toString(key, required(key));
    }

    List<String> requiredStrings(final String key)
    {
        return toStrings(key, required(key));
    }

    List<Map<String, Object>> requiredObjects(final String key)
    {
        return toObjects(key, required(key));
    }

    int optionalInt(final String key, final int absent)
    {
        return map.containsKey(key) ? toInt(key, map.get(key)) : absent;
    }

    double optionalDouble(final String key, final double absent)
    {
        return map.containsKey(key) ? toDouble(key, map.get(key)) : absent;
    }

    Double optionalNullableDouble(final String key, final double absent)
    {
        if (!map.containsKey(key))
        {
            return absent;
        }
        final Object value = map.get(key);
        return null == value ? null : toDouble(key, value);
    }

    boolean optionalBoolean(final String key, final boolean absent)
    {
        if (!map.containsKey(key))
        {
            return absent;
        }
        final Object value = map.get(key);
        if (value instanceof Boolean)
        {
            return (Boolean)value;
        }
        throw wrongType(key, "true or false", value);
    }

    String optionalString(final String key, final String absent)
    {
        return map.containsKey(key) ? toString(key, map.get(key)) : absent;
    }

    Integer nullableInt(final String key)
    {
        final Object value = map.get(key);
        return null == value ? null : toInt(key, value);
    }

    Double nullableDouble(final String key)
    {
        final Object value = map.get(key);
        return null == value ? null : toDouble(key, value);
    }

    String nullableString(final String key)
    {
        final Object value = map.get(key);
        return null == value ? null : toString(key, value);
    }

    List<Double> nullableDoubles(final String key)
    {
        final Object value = map.get(key);
        if (null == value)
        {
            return null;
        }
        final List<?> list = toList(key, value);
        final List<Double> doubles = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++)
        {
            doubles.add(toDouble(key + "[" + i + "]", list.get(i)));
        }
        return List.copyOf(doubles);
    }

    Map<String, Double> nullableDoubleMap(final String key)
    {
        final Object value = map.get(key);
        if (null == value)
        {
            return null;
        }
        final Map<String, Double> doubles = new LinkedHashMap<>();
        toObject(key, value).forEach((name, v) -> doubles.put(name, toDouble(key + "." + name, v)));
        return Collections.unmodifiableMap(doubles);
    }

    Map<String, Integer> nullableIntMap(final String key)
    {
        final Object value = map.get(key);
        if (null == value)
        {
            return null;
        }
        final Map<String, Integer> ints = new LinkedHashMap<>();
        toObject(key, value).forEach((name, v) -> ints.put(name, toInt(key + "." + name, v)));
        return Collections.unmodifiableMap(ints);
    }

    Map<String, Map<String, Object>> nullableObjectMap(final String key)
    {
        final Object value = map.get(key);
        if (null == value)
        {
            return null;
        }
        final Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
        toObject(key, value).forEach((name, v) -> objects.put(name, toObject(key + "." + name, v)));
        return EsperValues.freezeMap(objects);
    }

    List<Map<String, Object>> nullableObjects(final String key)
    {
        final Object value = map.get(key);
        return null == value ? null : toObjects(key, value);
    }

    private Object required(final String key)
    {
        if (!map.containsKey(key))
        {
            throw new EsperFormatException(key, "missing, required by " + owner);
        }
        return map.get(key);
    }

    private long toLong(final String key, final Object value)
    {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)
        {
            return ((Number)value).longValue();
        }
        if (value instanceof BigInteger)
        {
            throw new EsperFormatException(key, owner + " needs an integer of 64 bits, found " + value);
        }
        throw wrongType(key, "an integer", value);
    }

    private int toInt(final String key, final Object value)
    {
        final long number = toLong(key, value);
        if (number != (int)number)
        {
            throw new EsperFormatException(key, owner + " needs an integer of 32 bits, found " + number);
        }
        return (int)number;
    }

    private double toDouble(final String key, final Object value)
    {
        if (value instanceof Number)
        {
            return ((Number)value).doubleValue();
        }
        throw wrongType(key, "a number", value);
    }

    private String toString(final String key, final Object value)
    {
        if (value instanceof String)
        {
            return (String)value;
        }
        throw wrongType(key, "a string", value);
    }

    private List<?> toList(final String key, final Object value)
    {
        if (value instanceof List)
        {
            return (List<?>)value;
        }
        throw wrongType(key, "a list", value);
    }

    private List<String> toStrings(final String key, final Object value)
    {
        final List<?> list = toList(key, value);
        final List<String> strings = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++)
        {
            strings.add(toString(key + "[" + i + "]", list.get(i)));
        }
        return List.copyOf(strings);
    }

    private List<Map<String, Object>> toObjects(final String key, final Object value)
    {
        final List<?> list = toList(key, value);
        final List<Map<String, Object>> objects = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++)
        {
            objects.add(toObject(key + "[" + i + "]", list.get(i)));
        }
        return Collections.unmodifiableList(objects);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> toObject(final String key, final Object value)
    {
        if (value instanceof Map)
        {
            return EsperValues.freezeMap((Map<String, Object>)value);
        }
        throw wrongType(key, "an object", value);
    }

    private EsperFormatException wrongType(final String key, final String expected, final Object found)
    {
        return new EsperFormatException(key, owner + " needs " + expected + ", found " + EsperValues.describe(found));
    }
}
