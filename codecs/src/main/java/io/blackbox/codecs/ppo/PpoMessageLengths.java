package io.blackbox.codecs.ppo;

import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.PpoEpochEncoder;

/**
 * The encoded length of each PPO message (message header included) from its shape, built from the generated codecs'
 * constants, as {@link io.blackbox.codecs.gradience.GradienceMessageLengths} does for Gradience.
 * {@code PpoMessageLengthsTest} checks each against what the generated encoder writes.
 */
public final class PpoMessageLengths
{
    private static final int EPOCH_FIXED = MessageHeaderEncoder.ENCODED_LENGTH + PpoEpochEncoder.BLOCK_LENGTH +
        PpoEpochEncoder.DoubleMetricsEncoder.HEADER_SIZE +
        PpoEpochEncoder.LongMetricsEncoder.HEADER_SIZE +
        PpoEpochEncoder.extrasHeaderLength();

    private PpoMessageLengths()
    {
    }

    /**
     * @param doubleMetrics extra keys written as floats.
     * @param longMetrics   extra keys written as integers.
     * @param extras        bytes of the extras JSON, 0 for none.
     * @return the length of a {@code PpoEpoch}.
     */
    public static int epoch(final int doubleMetrics, final int longMetrics, final int extras)
    {
        return EPOCH_FIXED +
            doubleMetrics * PpoEpochEncoder.DoubleMetricsEncoder.sbeBlockLength() +
            longMetrics * PpoEpochEncoder.LongMetricsEncoder.sbeBlockLength() +
            extras;
    }
}
