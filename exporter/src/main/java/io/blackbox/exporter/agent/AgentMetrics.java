package io.blackbox.exporter.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.codecs.AgentEventDecoder;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.exporter.RecordDecoding;
import io.blackbox.exporter.Symbols;
import io.blackbox.exporter.family.FamilyMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The agent fields the spec calls time-series friendly, mirrored to Prometheus: {@code blackbox_agent_events_total}
 * by event and source; {@code blackbox_agent_step_duration_ms} (a histogram of {@code plan.step_completed}'s
 * {@code duration_ms}); gauges of the last {@code plan.generated} confidence and
 * {@code optimizer.benchmark_completed} throughput and latency; {@code blackbox_agent_command_exits_total} by exit
 * code. Every metric is also labelled with the allowed tag keys (a missing tag is the empty label). Labels are bounded:
 * no run id, no free text; at most {@value #MAX_VALUES} values of a label (event names, sources, tag values, exit
 * codes), the rest counted as {@code other}.
 */
public final class AgentMetrics implements FamilyMetrics
{
    /** Distinct values a label takes before further ones are {@code other}. */
    static final int MAX_VALUES = 64;
    static final String OTHER = "other";

    private final List<String> tagKeys;
    private final List<Set<String>> tagValues = new ArrayList<>();
    private final Set<String> events = new HashSet<>();
    private final Set<String> sources = new HashSet<>();
    private final Set<String> codes = new HashSet<>();
    private final Counter eventsTotal;
    private final Histogram stepDuration;
    private final Gauge confidence;
    private final Gauge throughput;
    private final Gauge latency;
    private final Counter exits;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final AgentEventDecoder decoder = new AgentEventDecoder();

    /**
     * @param registry where the metrics are registered.
     * @param tagKeys  the tag keys allowed as labels.
     */
    public AgentMetrics(final PrometheusRegistry registry, final Set<String> tagKeys)
    {
        this.tagKeys = tagKeys.stream().sorted().toList();
        for (int i = 0; i < this.tagKeys.size(); i++)
        {
            tagValues.add(new HashSet<>());
        }
        eventsTotal = Counter.builder().name("blackbox_agent_events").help("Agent events, by event and source")
            .labelNames(labels("event", "source")).register(registry);
        stepDuration = Histogram.builder().name("blackbox_agent_step_duration_ms")
            .help("plan.step_completed duration_ms").classicUpperBounds(10, 50, 100, 250, 500, 1000, 2500, 5000,
                10000, 30000, 60000).labelNames(labels("source")).register(registry);
        confidence = Gauge.builder().name("blackbox_agent_plan_confidence").help("plan.generated confidence, last")
            .labelNames(labels("source")).register(registry);
        throughput = Gauge.builder().name("blackbox_agent_benchmark_throughput_tokens_per_second")
            .help("optimizer.benchmark_completed throughput_tokens_per_s, last").labelNames(labels("source"))
            .register(registry);
        latency = Gauge.builder().name("blackbox_agent_benchmark_latency_ms")
            .help("optimizer.benchmark_completed latency_ms, last").labelNames(labels("source")).register(registry);
        exits = Counter.builder().name("blackbox_agent_command_exits")
            .help("executor.command_completed, by exit code").labelNames(labels("code")).register(registry);
    }

    private String[] labels(final String... own)
    {
        final List<String> names = new ArrayList<>(List.of(own));
        for (final String key : tagKeys)
        {
            names.add("tag_" + key.replaceAll("[^a-zA-Z0-9_]", "_"));
        }
        return names.toArray(new String[0]);
    }

    public void onRecord(final int templateId, final DirectBuffer buffer, final int offset, final int length,
        final Symbols symbols)
    {
        if (templateId != AgentEventDecoder.TEMPLATE_ID)
        {
            return;
        }
        header.wrap(buffer, offset);
        final int end = offset + length;
        RecordDecoding.requireBlock(header, "event", AgentEventDecoder.BLOCK_LENGTH, offset, end);
        final AgentEventDecoder d = decoder.wrapAndApplyHeader(buffer, offset, header);
        final String source = bounded(sources, RecordDecoding.symbol(symbols, d.source(), "source"));
        final String event = bounded(events, RecordDecoding.symbol(symbols, d.eventName(), "eventName"));
        final int payloadOffset = d.limit() + AgentEventDecoder.payloadHeaderLength();
        final int payloadLength = RecordDecoding.checkLength("payload", (int)d.payloadLength(), payloadOffset, end);
        final JsonNode payload = RecordDecoding.jsonObject("payload", buffer, payloadOffset, payloadLength);
        d.skipPayload();
        final int tagsOffset = d.limit() + AgentEventDecoder.tagsHeaderLength();
        final int tagsLength = RecordDecoding.checkLength("tags", (int)d.tagsLength(), tagsOffset, end);
        final JsonNode tags = RecordDecoding.jsonObject("tags", buffer, tagsOffset, tagsLength);

        final String[] tagLabels = new String[tagKeys.size()];
        for (int i = 0; i < tagLabels.length; i++)
        {
            tagLabels[i] = bounded(tagValues.get(i), tags.path(tagKeys.get(i)).asText(""));
        }
        eventsTotal.labelValues(with(tagLabels, event, source)).inc();
        switch (event)
        {
            case "plan.step_completed" -> number(payload, "duration_ms",
                value -> stepDuration.labelValues(with(tagLabels, source)).observe(value));
            case "plan.generated" -> number(payload, "confidence",
                value -> confidence.labelValues(with(tagLabels, source)).set(value));
            case "optimizer.benchmark_completed" ->
            {
                number(payload, "throughput_tokens_per_s",
                    value -> throughput.labelValues(with(tagLabels, source)).set(value));
                number(payload, "latency_ms", value -> latency.labelValues(with(tagLabels, source)).set(value));
            }
            case "executor.command_completed" ->
            {
                final JsonNode code = payload.get("exit_code");
                if (null != code && code.isIntegralNumber())
                {
                    exits.labelValues(with(tagLabels, bounded(codes, code.asText()))).inc();
                }
            }
            default ->
            {
                // counted above; no field of its own mirrored
            }
        }
    }

    private static void number(final JsonNode payload, final String key,
        final java.util.function.DoubleConsumer metric)
    {
        final JsonNode value = payload.get(key);
        if (null != value && value.isNumber() && Double.isFinite(value.doubleValue()))
        {
            metric.accept(value.doubleValue());
        }
    }

    private static String[] with(final String[] tags, final String... own)
    {
        final String[] all = new String[own.length + tags.length];
        System.arraycopy(own, 0, all, 0, own.length);
        System.arraycopy(tags, 0, all, own.length, tags.length);
        return all;
    }

    private static String bounded(final Set<String> seen, final String value)
    {
        if (seen.contains(value) || (seen.size() < MAX_VALUES && seen.add(value)))
        {
            return value;
        }
        return OTHER;
    }
}
