package io.blackbox.exporter;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PythonFloats} writes what CPython's {@code json.dumps} writes, for the doubles of a fixture CPython made:
 * powers of ten and random values over the whole exponent range, random bit patterns, rounded decimals, and the
 * edges (subnormals, the largest double, 1e16 where Python turns to an exponent, 1e-4 and 1e-5 where it does below).
 */
class PythonFloatsTest
{
    private static final String FIXTURE = "python-float-repr.txt";

    @Test
    void shouldWriteWhatPythonWritesForEveryDoubleOfTheFixture() throws IOException
    {
        final List<String> wrong = new ArrayList<>();
        int count = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
            PythonFloatsTest.class.getResourceAsStream(FIXTURE), StandardCharsets.US_ASCII)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                if (line.startsWith("#"))
                {
                    continue;
                }
                final int space = line.indexOf(' ');
                final double value = Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(0, space), 16));
                final String python = line.substring(space + 1);
                final String ours = PythonFloats.toString(value);
                if (!python.equals(ours))
                {
                    wrong.add(line + " -> " + ours);
                }
                count++;
            }
        }
        assertTrue(count >= 3000, "fixture lines: " + count);
        assertEquals(List.of(), wrong);
    }

    @Test
    void shouldWriteNonFiniteValuesAsPythonsJsonDoes()
    {
        assertEquals("NaN", PythonFloats.toString(Double.NaN));
        assertEquals("Infinity", PythonFloats.toString(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", PythonFloats.toString(Double.NEGATIVE_INFINITY));
    }

    @Test
    void shouldWriteTheSamplesNumbersAsTheOriginalDid()
    {
        assertEquals("0.0003", PythonFloats.toString(0.0003));
        assertEquals("1.1827796697616577e-07", PythonFloats.toString(1.1827796697616577e-07));
        assertEquals("20.0", PythonFloats.toString(20.0));
        assertEquals("1e+16", PythonFloats.toString(1e16));
        assertEquals("1234567890123456.0", PythonFloats.toString(1234567890123456.0));
    }
}
