package io.blackbox.codecs.esper;

import io.blackbox.codecs.EsperEpochCompletedEncoder;
import io.blackbox.codecs.EsperEventEncoder;
import io.blackbox.codecs.EsperPpoUpdateEncoder;
import io.blackbox.codecs.EsperRewardComputedEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;

/**
 * The encoded length of each Esper message (message header included) from its var data lengths, built from the
 * generated codecs' constants, as {@link io.blackbox.codecs.gradience.GradienceMessageLengths} does for Gradience.
 * {@code EsperMessageLengthsTest} checks each against what the generated encoder writes.
 */
public final class EsperMessageLengths
{
    private static final int REWARD_FIXED = MessageHeaderEncoder.ENCODED_LENGTH +
        EsperRewardComputedEncoder.BLOCK_LENGTH + EsperRewardComputedEncoder.structuresHeaderLength() +
        EsperRewardComputedEncoder.messageHeaderLength();
    private static final int PPO_UPDATE_FIXED = MessageHeaderEncoder.ENCODED_LENGTH +
        EsperPpoUpdateEncoder.BLOCK_LENGTH + EsperPpoUpdateEncoder.mapsHeaderLength() +
        EsperPpoUpdateEncoder.messageHeaderLength();
    private static final int EPOCH_FIXED = MessageHeaderEncoder.ENCODED_LENGTH +
        EsperEpochCompletedEncoder.BLOCK_LENGTH + EsperEpochCompletedEncoder.seedsHeaderLength() +
        EsperEpochCompletedEncoder.messageHeaderLength();
    private static final int EVENT_FIXED = MessageHeaderEncoder.ENCODED_LENGTH +
        EsperEventEncoder.BLOCK_LENGTH + EsperEventEncoder.payloadHeaderLength() +
        EsperEventEncoder.messageHeaderLength();

    private EsperMessageLengths()
    {
    }

    /**
     * @param structures bytes of the slot_states/alternatives JSON, 0 for none.
     * @param message    bytes of the message text.
     * @return the length of an {@code EsperRewardComputed}.
     */
    public static int rewardComputed(final int structures, final int message)
    {
        return REWARD_FIXED + structures + message;
    }

    /**
     * @param maps    bytes of the layer_gradient_health/head_* JSON, 0 for none.
     * @param message bytes of the message text.
     * @return the length of an {@code EsperPpoUpdate}.
     */
    public static int ppoUpdate(final int maps, final int message)
    {
        return PPO_UPDATE_FIXED + maps + message;
    }

    /**
     * @param seeds   bytes of the seeds JSON, 0 for none.
     * @param message bytes of the message text.
     * @return the length of an {@code EsperEpochCompleted}.
     */
    public static int epochCompleted(final int seeds, final int message)
    {
        return EPOCH_FIXED + seeds + message;
    }

    /**
     * @param payload bytes of the payload JSON.
     * @param message bytes of the message text.
     * @return the length of an {@code EsperEvent}.
     */
    public static int event(final int payload, final int message)
    {
        return EVENT_FIXED + payload + message;
    }
}
