package io.blackbox.codecs.ppo;

import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.PpoDataMode;
import io.blackbox.codecs.PpoEpochEncoder;
import io.blackbox.codecs.PpoTelemetryVersion;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each PPO message's length from {@link PpoMessageLengths} is what the generated encoder writes for that shape.
 */
class PpoMessageLengthsTest
{
    private static final int OFFSET = 8;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 20]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    @ParameterizedTest
    @CsvSource({ "0, 0, 0", "1, 0, 0", "12, 3, 0", "0, 0, 40", "254, 254, 65534" })
    void shouldGiveTheLengthOfAnEpoch(final int doubles, final int longs, final int extras)
    {
        final PpoEpochEncoder encoder = new PpoEpochEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .timestamp(1).logStreamOffset(2).epoch(3).run(4).version(PpoTelemetryVersion.V1_1)
            .dataMode(PpoDataMode.MIXED);
        final PpoEpochEncoder.DoubleMetricsEncoder d = encoder.doubleMetricsCount(doubles);
        for (int i = 0; i < doubles; i++)
        {
            d.next().key(i).value(i);
        }
        final PpoEpochEncoder.LongMetricsEncoder l = encoder.longMetricsCount(longs);
        for (int i = 0; i < longs; i++)
        {
            l.next().key(i).value(i);
        }
        encoder.putExtras(new byte[extras], 0, extras);

        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            PpoMessageLengths.epoch(doubles, longs, extras));
    }
}
