package io.blackbox.codecs.esper;

import io.blackbox.codecs.EsperEpochCompletedEncoder;
import io.blackbox.codecs.EsperEventCode;
import io.blackbox.codecs.EsperEventEncoder;
import io.blackbox.codecs.EsperPpoUpdateEncoder;
import io.blackbox.codecs.EsperRewardComputedEncoder;
import io.blackbox.codecs.EsperSeverity;
import io.blackbox.codecs.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each Esper message's length from {@link EsperMessageLengths} is what the generated encoder writes for that shape.
 */
class EsperMessageLengthsTest
{
    private static final int OFFSET = 8;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 20]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    @ParameterizedTest
    @CsvSource({ "0, 0", "1, 0", "0, 7", "120, 33", "65534, 1000" })
    void shouldGiveTheLengthOfARewardComputed(final int structures, final int message)
    {
        final EsperRewardComputedEncoder encoder = new EsperRewardComputedEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, header).timestamp(1).envId(2).severity(EsperSeverity.INFO);
        encoder.putStructures(new byte[structures], 0, structures);
        encoder.putMessage(new byte[message], 0, message);

        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            EsperMessageLengths.rewardComputed(structures, message));
    }

    @ParameterizedTest
    @CsvSource({ "0, 0", "1, 0", "0, 7", "120, 33", "65534, 1000" })
    void shouldGiveTheLengthOfAPpoUpdate(final int maps, final int message)
    {
        final EsperPpoUpdateEncoder encoder = new EsperPpoUpdateEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, header).timestamp(1).policyLoss(2).severity(EsperSeverity.INFO);
        encoder.putMaps(new byte[maps], 0, maps);
        encoder.putMessage(new byte[message], 0, message);

        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            EsperMessageLengths.ppoUpdate(maps, message));
    }

    @ParameterizedTest
    @CsvSource({ "0, 0", "1, 0", "0, 7", "120, 33", "65534, 1000" })
    void shouldGiveTheLengthOfAnEpochCompleted(final int seeds, final int message)
    {
        final EsperEpochCompletedEncoder encoder = new EsperEpochCompletedEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, header).timestamp(1).valLoss(2).severity(EsperSeverity.INFO);
        encoder.putSeeds(new byte[seeds], 0, seeds);
        encoder.putMessage(new byte[message], 0, message);

        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            EsperMessageLengths.epochCompleted(seeds, message));
    }

    @ParameterizedTest
    @CsvSource({ "2, 0", "2000, 7", "100000, 33" })
    void shouldGiveTheLengthOfAnEvent(final int payload, final int message)
    {
        final EsperEventEncoder encoder = new EsperEventEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, header).timestamp(1).eventType(EsperEventCode.TRAINING_STARTED)
            .severity(EsperSeverity.INFO);
        encoder.putPayload(new byte[payload], 0, payload);
        encoder.putMessage(new byte[message], 0, message);

        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            EsperMessageLengths.event(payload, message));
    }
}
