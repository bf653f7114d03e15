package io.blackbox.exporter;

import org.junit.jupiter.api.Test;

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
}
