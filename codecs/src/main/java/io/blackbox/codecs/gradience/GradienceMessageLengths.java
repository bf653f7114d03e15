package io.blackbox.codecs.gradience;

import io.blackbox.codecs.GradienceAlertEncoder;
import io.blackbox.codecs.GradienceEvalEncoder;
import io.blackbox.codecs.GradienceMetricsEncoder;
import io.blackbox.codecs.GradienceRecommendationEncoder;
import io.blackbox.codecs.GradienceRunEndEncoder;
import io.blackbox.codecs.GradienceRunStartEncoder;
import io.blackbox.codecs.GradienceTrainStepEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;

/**
 * The encoded length of each Gradience message (message header included) from its shape: the counts of its groups'
 * entries and the lengths of its var data. An emitter claims exactly this many bytes of the ring before it encodes,
 * so the sums live here once, built from the generated codecs' constants (block lengths, group and var data header
 * sizes): a schema change moves them with it. {@code GradienceMessageLengthsTest} checks each against what the
 * generated encoder writes.
 */
public final class GradienceMessageLengths
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;

    private static final int TRAIN_STEP_FIXED = HEADER + GradienceTrainStepEncoder.BLOCK_LENGTH +
        GradienceTrainStepEncoder.LrGroupsEncoder.HEADER_SIZE +
        GradienceTrainStepEncoder.DoubleMetricsEncoder.HEADER_SIZE +
        GradienceTrainStepEncoder.LongMetricsEncoder.HEADER_SIZE +
        GradienceTrainStepEncoder.extrasHeaderLength();
    private static final int EVAL_FIXED = HEADER + GradienceEvalEncoder.BLOCK_LENGTH +
        GradienceEvalEncoder.DoubleMetricsEncoder.HEADER_SIZE +
        GradienceEvalEncoder.LongMetricsEncoder.HEADER_SIZE +
        GradienceEvalEncoder.metricsExtrasHeaderLength() +
        GradienceEvalEncoder.extrasHeaderLength();
    private static final int RUN_START_FIXED = HEADER + GradienceRunStartEncoder.BLOCK_LENGTH +
        GradienceRunStartEncoder.configHeaderLength() +
        GradienceRunStartEncoder.metaHeaderLength() +
        GradienceRunStartEncoder.extrasHeaderLength();
    private static final int METRICS_FIXED = HEADER + GradienceMetricsEncoder.BLOCK_LENGTH +
        GradienceMetricsEncoder.metricsHeaderLength() +
        GradienceMetricsEncoder.extrasHeaderLength();
    private static final int ALERT_FIXED = HEADER + GradienceAlertEncoder.BLOCK_LENGTH +
        GradienceAlertEncoder.codeHeaderLength() +
        GradienceAlertEncoder.messageHeaderLength() +
        GradienceAlertEncoder.contextHeaderLength() +
        GradienceAlertEncoder.extrasHeaderLength();
    private static final int RECOMMENDATION_FIXED = HEADER + GradienceRecommendationEncoder.BLOCK_LENGTH +
        GradienceRecommendationEncoder.recommendationsHeaderLength() +
        GradienceRecommendationEncoder.extrasHeaderLength();
    private static final int RUN_END_FIXED = HEADER + GradienceRunEndEncoder.BLOCK_LENGTH +
        GradienceRunEndEncoder.reasonHeaderLength() +
        GradienceRunEndEncoder.extrasHeaderLength();

    private GradienceMessageLengths()
    {
    }

    public static int trainStep(final int lrGroups, final int doubleMetrics, final int longMetrics, final int extras)
    {
        return TRAIN_STEP_FIXED +
            lrGroups * GradienceTrainStepEncoder.LrGroupsEncoder.sbeBlockLength() +
            doubleMetrics * GradienceTrainStepEncoder.DoubleMetricsEncoder.sbeBlockLength() +
            longMetrics * GradienceTrainStepEncoder.LongMetricsEncoder.sbeBlockLength() +
            extras;
    }

    public static int eval(final int doubleMetrics, final int longMetrics, final int metricsExtras, final int extras)
    {
        return EVAL_FIXED +
            doubleMetrics * GradienceEvalEncoder.DoubleMetricsEncoder.sbeBlockLength() +
            longMetrics * GradienceEvalEncoder.LongMetricsEncoder.sbeBlockLength() +
            metricsExtras + extras;
    }

    public static int runStart(final int config, final int meta, final int extras)
    {
        return RUN_START_FIXED + config + meta + extras;
    }

    public static int metrics(final int metrics, final int extras)
    {
        return METRICS_FIXED + metrics + extras;
    }

    public static int alert(final int code, final int message, final int context, final int extras)
    {
        return ALERT_FIXED + code + message + context + extras;
    }

    public static int recommendation(final int recommendations, final int extras)
    {
        return RECOMMENDATION_FIXED + recommendations + extras;
    }

    public static int runEnd(final int reason, final int extras)
    {
        return RUN_END_FIXED + reason + extras;
    }
}
