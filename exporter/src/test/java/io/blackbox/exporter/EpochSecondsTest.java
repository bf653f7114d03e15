package io.blackbox.exporter;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EpochSecondsTest
{
    @Test
    void shouldWriteExactDecimalWithTrailingZerosRemoved()
    {
        assertEquals("1768253565.118277", EpochSeconds.toString(1_768_253_565_118_277_000L));
        assertEquals("1768253565.118277001", EpochSeconds.toString(1_768_253_565_118_277_001L));
        assertEquals("1.0", EpochSeconds.toString(1_000_000_000L));
        assertEquals("0.0", EpochSeconds.toString(0L));
        assertEquals("0.000000001", EpochSeconds.toString(1L));
        assertEquals("-1.5", EpochSeconds.toString(-1_500_000_000L));
        assertEquals("-0.25", EpochSeconds.toString(-250_000_000L));
    }

    @Test
    void shouldReadPythonFloatsToTheNanosecondTheyPrint()
    {
        assertEquals(1_768_253_565_118_277_000L, EpochSeconds.toEpochNanos(1768253565.118277));
        assertEquals(1_768_253_567_266_950_800L, EpochSeconds.toEpochNanos(1768253567.2669508));
        assertEquals(2_000_000_000L, EpochSeconds.toEpochNanos(2.0));
    }

    @Test
    void shouldRoundTripEveryDoubleOfTheSamples()
    {
        for (final double ts : new double[]{ 1768253565.118277, 1768253567.2669508, 1768253568.735957, 1.0, 5.0 })
        {
            assertEquals(ts, Double.parseDouble(EpochSeconds.toString(EpochSeconds.toEpochNanos(ts))));
        }
    }

    @Test
    void shouldRefuseTimestampsThatAreNotFinite()
    {
        assertThrows(ArithmeticException.class, () -> EpochSeconds.toEpochNanos(Double.NaN));
        assertThrows(ArithmeticException.class, () -> EpochSeconds.toEpochNanos(1e300));
    }

    @Test
    void shouldReadNanosecondsAsWrittenFromTheirDecimal()
    {
        assertEquals(1_796_425_927_300_642_554L, EpochSeconds.toEpochNanos(new java.math.BigDecimal("1796425927.300642554")));
        assertEquals(1_768_253_565_118_277_000L, EpochSeconds.toEpochNanos(new java.math.BigDecimal("1768253565.118277")));
        assertEquals(1_500_000_000_000_000_000L, EpochSeconds.toEpochNanos(new java.math.BigDecimal("1.5e9")));
        // The double nearest to the first holds fewer digits: what the importers read before.
        assertEquals(1_796_425_927_300_642_500L, EpochSeconds.toEpochNanos(1796425927.300642554));
    }

    @Test
    void shouldTakeATopLevelNumberOfALineAsWritten()
    {
        final byte[] line = "{\"a\":{\"ts\":1},\"ts\":1796425927.300642554,\"n\":NaN}".getBytes(StandardCharsets.UTF_8);

        assertEquals(new java.math.BigDecimal("1796425927.300642554"), JsonLinesReader.exactNumber(line, line.length, "ts"));
        assertEquals(null, JsonLinesReader.exactNumber(line, line.length, "n"), "NaN has no decimal");
        assertEquals(null, JsonLinesReader.exactNumber(line, line.length, "missing"));
        assertEquals(null, JsonLinesReader.exactNumber(line, line.length, "a"), "an object is no number");
    }
}
