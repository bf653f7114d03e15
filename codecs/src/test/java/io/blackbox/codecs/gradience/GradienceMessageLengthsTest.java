package io.blackbox.codecs.gradience;

import io.blackbox.codecs.GradienceAlertEncoder;
import io.blackbox.codecs.GradienceEvalEncoder;
import io.blackbox.codecs.GradienceMetricsEncoder;
import io.blackbox.codecs.GradienceRecommendationEncoder;
import io.blackbox.codecs.GradienceRunEndEncoder;
import io.blackbox.codecs.GradienceRunStartEncoder;
import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.codecs.GradienceTrainStepEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each Gradience message's length from {@link GradienceMessageLengths} is what the generated encoder writes for that
 * shape: the message header plus {@code encodedLength()}.
 */
class GradienceMessageLengthsTest
{
    private static final int OFFSET = 8;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 20]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    @ParameterizedTest
    @CsvSource({ "0, 0, 0, 0", "1, 0, 0, 0", "0, 2, 1, 0", "3, 2, 1, 17", "254, 254, 254, 65534" })
    void shouldGiveTheLengthOfATrainStep(final int lrGroups, final int doubles, final int longs, final int extras)
    {
        final GradienceTrainStepEncoder encoder = new GradienceTrainStepEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .timestamp(1).run(2).step(3).loss(0.5).lr(0.1);
        final GradienceTrainStepEncoder.LrGroupsEncoder lr = encoder.lrGroupsCount(lrGroups);
        for (int i = 0; i < lrGroups; i++)
        {
            lr.next().lr(i);
        }
        final GradienceTrainStepEncoder.DoubleMetricsEncoder d = encoder.doubleMetricsCount(doubles);
        for (int i = 0; i < doubles; i++)
        {
            d.next().key(i).value(i);
        }
        final GradienceTrainStepEncoder.LongMetricsEncoder l = encoder.longMetricsCount(longs);
        for (int i = 0; i < longs; i++)
        {
            l.next().key(i).value(i);
        }
        encoder.putExtras(new byte[extras], 0, extras);

        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            GradienceMessageLengths.trainStep(lrGroups, doubles, longs, extras));
    }

    @ParameterizedTest
    @CsvSource({ "0, 0, 0, 0", "1, 0, 0, 0", "0, 3, 5, 0", "2, 1, 9, 11", "254, 254, 65534, 65534" })
    void shouldGiveTheLengthOfAnEval(final int doubles, final int longs, final int metricsExtras, final int extras)
    {
        final GradienceEvalEncoder encoder = new GradienceEvalEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .timestamp(1).run(2).step(3).split(4).ppl(1).accuracy(0.5).loss(0.1).n(10);
        final GradienceEvalEncoder.DoubleMetricsEncoder d = encoder.doubleMetricsCount(doubles);
        for (int i = 0; i < doubles; i++)
        {
            d.next().key(i).value(i);
        }
        final GradienceEvalEncoder.LongMetricsEncoder l = encoder.longMetricsCount(longs);
        for (int i = 0; i < longs; i++)
        {
            l.next().key(i).value(i);
        }
        encoder.putMetricsExtras(new byte[metricsExtras], 0, metricsExtras).putExtras(new byte[extras], 0, extras);

        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            GradienceMessageLengths.eval(doubles, longs, metricsExtras, extras));
    }

    @ParameterizedTest
    @CsvSource({ "2, 0, 0", "40, 7, 0", "2, 0, 300000" })
    void shouldGiveTheLengthOfARunStart(final int config, final int meta, final int extras)
    {
        final GradienceRunStartEncoder encoder = new GradienceRunStartEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .timestamp(1).run(2).step(3)
            .putConfig(new byte[config], 0, config).putMeta(new byte[meta], 0, meta).putExtras(new byte[extras], 0, extras);

        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            GradienceMessageLengths.runStart(config, meta, extras));
    }

    @ParameterizedTest
    @CsvSource({ "2, 0", "70000, 13" })
    void shouldGiveTheLengthOfMetrics(final int metrics, final int extras)
    {
        final GradienceMetricsEncoder encoder = new GradienceMetricsEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .timestamp(1).run(2).step(3).kind(4)
            .putMetrics(new byte[metrics], 0, metrics).putExtras(new byte[extras], 0, extras);

        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            GradienceMessageLengths.metrics(metrics, extras));
    }

    @ParameterizedTest
    @CsvSource({ "1, 0, 0, 0", "10, 30, 2, 0", "10, 30, 50, 70" })
    void shouldGiveTheLengthOfAnAlert(final int code, final int message, final int context, final int extras)
    {
        final GradienceAlertEncoder encoder = new GradienceAlertEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .timestamp(1).run(2).step(3).severity(GradienceSeverity.WARNING)
            .putCode(new byte[code], 0, code).putMessage(new byte[message], 0, message)
            .putContext(new byte[context], 0, context).putExtras(new byte[extras], 0, extras);

        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            GradienceMessageLengths.alert(code, message, context, extras));
    }

    @ParameterizedTest
    @CsvSource({ "2, 0", "500, 9" })
    void shouldGiveTheLengthOfARecommendation(final int recommendations, final int extras)
    {
        final GradienceRecommendationEncoder encoder = new GradienceRecommendationEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, header).timestamp(1).run(2).step(3)
            .putRecommendations(new byte[recommendations], 0, recommendations).putExtras(new byte[extras], 0, extras);

        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            GradienceMessageLengths.recommendation(recommendations, extras));
    }

    @ParameterizedTest
    @CsvSource({ "0, 0", "4, 0", "4, 21" })
    void shouldGiveTheLengthOfARunEnd(final int reason, final int extras)
    {
        final GradienceRunEndEncoder encoder = new GradienceRunEndEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .timestamp(1).run(2).step(3).status(GradienceRunStatus.OK);
        encoder.fields().clear().reason(reason > 0);
        encoder.putReason(new byte[reason], 0, reason).putExtras(new byte[extras], 0, extras);

        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            GradienceMessageLengths.runEnd(reason, extras));
    }
}
