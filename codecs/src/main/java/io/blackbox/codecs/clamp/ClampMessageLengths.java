package io.blackbox.codecs.clamp;

import io.blackbox.codecs.ClampAnchorAcquiredEncoder;
import io.blackbox.codecs.ClampAnchorReleasedEncoder;
import io.blackbox.codecs.ClampRecordEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;

/**
 * The encoded length of each Clamp message (message header included): all fixed, from the generated codecs'
 * constants. {@code ClampMessageLengthsTest} checks each against what the generated encoder writes.
 */
public final class ClampMessageLengths
{
    /** An {@code ClampAnchorAcquired}. */
    public static final int ANCHOR_ACQUIRED = MessageHeaderEncoder.ENCODED_LENGTH +
        ClampAnchorAcquiredEncoder.BLOCK_LENGTH;
    /** An {@code ClampAnchorReleased}. */
    public static final int ANCHOR_RELEASED = MessageHeaderEncoder.ENCODED_LENGTH +
        ClampAnchorReleasedEncoder.BLOCK_LENGTH;
    /** A {@code ClampRecord}. */
    public static final int RECORD = MessageHeaderEncoder.ENCODED_LENGTH + ClampRecordEncoder.BLOCK_LENGTH;

    private ClampMessageLengths()
    {
    }
}
