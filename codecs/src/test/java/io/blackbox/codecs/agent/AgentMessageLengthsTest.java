package io.blackbox.codecs.agent;

import io.blackbox.codecs.AgentEventEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The agent message's length from {@link AgentMessageLengths} is what the generated encoder writes for that shape.
 */
class AgentMessageLengthsTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 20]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    @ParameterizedTest
    @CsvSource({ "2, 2", "120, 0", "70000, 300" })
    void shouldGiveTheLengthOfAnEvent(final int payload, final int tags)
    {
        final AgentEventEncoder encoder = new AgentEventEncoder().wrapAndApplyHeader(buffer, 8, header)
            .timestamp(1).cycle(2).run(3).source(4).eventName(5);
        encoder.putPayload(new byte[payload], 0, payload);
        encoder.putTags(new byte[tags], 0, tags);

        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            AgentMessageLengths.event(payload, tags));
    }
}
