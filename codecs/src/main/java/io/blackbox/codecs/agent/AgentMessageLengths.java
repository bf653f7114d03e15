package io.blackbox.codecs.agent;

import io.blackbox.codecs.AgentEventEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;

/**
 * The encoded length of the agent message (message header included) from its var data lengths, built from the
 * generated codec's constants. {@code AgentMessageLengthsTest} checks it against what the generated encoder writes.
 */
public final class AgentMessageLengths
{
    private static final int EVENT_FIXED = MessageHeaderEncoder.ENCODED_LENGTH + AgentEventEncoder.BLOCK_LENGTH +
        AgentEventEncoder.payloadHeaderLength() + AgentEventEncoder.tagsHeaderLength();

    private AgentMessageLengths()
    {
    }

    /**
     * @param payload bytes of the payload JSON.
     * @param tags    bytes of the tags JSON.
     * @return the length of an {@code AgentEvent}.
     */
    public static int event(final int payload, final int tags)
    {
        return EVENT_FIXED + payload + tags;
    }
}
