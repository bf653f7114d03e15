package io.blackbox.exporter.gradience;

import io.blackbox.codecs.GradienceTrainStepDecoder;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.exporter.RecordDecoding;
import io.blackbox.exporter.Symbols;
import io.blackbox.exporter.family.FamilyMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.agrona.DirectBuffer;

/**
 * Gradience's mirrored fields: the last {@code train_step}'s {@code loss} and (single) {@code lr} as gauges, and
 * {@code blackbox_gradience_train_steps_total}. No label: a run id is unbounded, and a training loop's dashboard
 * watches the latest value.
 */
public final class GradienceMetrics implements FamilyMetrics
{
    private final Gauge loss;
    private final Gauge lr;
    private final Counter steps;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final GradienceTrainStepDecoder decoder = new GradienceTrainStepDecoder();

    /**
     * @param registry where the metrics are registered.
     */
    public GradienceMetrics(final PrometheusRegistry registry)
    {
        loss = Gauge.builder().name("blackbox_gradience_train_loss").help("train_step loss, last").register(registry);
        lr = Gauge.builder().name("blackbox_gradience_learning_rate").help("train_step lr, last").register(registry);
        steps = Counter.builder().name("blackbox_gradience_train_steps").help("train_step records")
            .register(registry);
    }

    public void onRecord(final int templateId, final DirectBuffer buffer, final int offset, final int length,
        final Symbols symbols)
    {
        if (templateId != GradienceTrainStepDecoder.TEMPLATE_ID)
        {
            return;
        }
        header.wrap(buffer, offset);
        RecordDecoding.requireBlock(header, "train_step", GradienceTrainStepDecoder.BLOCK_LENGTH, offset,
            offset + length);
        final GradienceTrainStepDecoder d = decoder.wrapAndApplyHeader(buffer, offset, header);
        steps.inc();
        if (d.fields().loss() && Double.isFinite(d.loss()))
        {
            loss.set(d.loss());
        }
        if (d.fields().lr() && !d.fields().lrPerGroup() && Double.isFinite(d.lr()))
        {
            lr.set(d.lr());
        }
    }
}
