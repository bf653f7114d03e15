package io.blackbox.codecs.clamp;

import io.blackbox.codecs.ClampAnchorAcquiredEncoder;
import io.blackbox.codecs.ClampAnchorReleasedEncoder;
import io.blackbox.codecs.ClampRecordEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each Clamp message's length from {@link ClampMessageLengths} is what the generated encoder writes.
 */
class ClampMessageLengthsTest
{
    private static final int OFFSET = 8;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    @Test
    void shouldGiveTheLengthOfEachRecord()
    {
        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + new ClampAnchorAcquiredEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, header).timestamp(1).anchor(2).seed(3).threadId(4).run(5).context(6)
            .encodedLength(), ClampMessageLengths.ANCHOR_ACQUIRED);
        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + new ClampAnchorReleasedEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, header).timestamp(1).anchor(2).durationNanos(3).stabilityScore(1.0)
            .run(5).encodedLength(), ClampMessageLengths.ANCHOR_RELEASED);
        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + new ClampRecordEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, header).acquiredAt(1).releasedAt(2).durationMs(3).stabilityScore(1)
            .seed(5).run(6).file(7).context(8).threadId(9).encodedLength(), ClampMessageLengths.RECORD);
    }
}
