package io.blackbox.exporter.agent;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AgentTimeFormatTest
{
    @Test
    void shouldWriteWhatTheFormatterWritesAcrossDaysYearsAndTheEpoch()
    {
        final AgentWire.TimeFormat format = new AgentWire.TimeFormat();
        final long[] edges = {0, -1, 1, 999_999, 1_000_000, 86_400_000_000_000L - 1, 86_400_000_000_000L,
            -86_400_000_000_000L, 1_768_253_565_118_277_000L, Long.MAX_VALUE, Long.MIN_VALUE}; // 1677 to 2262
        for (final long nanos : edges)
        {
            assertEquals(AgentWire.formatTime(nanos), format.format(nanos), Long.toString(nanos));
        }
        final SplittableRandom random = new SplittableRandom(7);
        long nanos = 1_768_253_565_118_277_000L;
        for (int i = 0; i < 200_000; i++)
        {
            nanos += random.nextLong(0, 5_000_000_000L); // mostly the same day, now and then the next
            assertEquals(AgentWire.formatTime(nanos), format.format(nanos), Long.toString(nanos));
            final long anywhere = random.nextLong();
            assertEquals(AgentWire.formatTime(anywhere), format.format(anywhere), Long.toString(anywhere));
        }
    }
}
