package io.blackbox.exporter.gradience;

import java.util.HashMap;
import java.util.Map;

/**
 * The seven event types that are stable within {@code gradience.vnext.telemetry/v1}, each with the name it has in
 * a record's {@code event} field ({@link GradienceWire} defines the names).
 */
public enum GradienceEvent
{
    /** The run begins; carries the {@code config} snapshot and optional {@code meta}. */
    RUN_START(GradienceWire.EVENT_RUN_START),
    /** One optimizer step; may carry {@code loss} and {@code lr}. */
    TRAIN_STEP(GradienceWire.EVENT_TRAIN_STEP),
    /** An evaluation of one {@code split} with its {@code metrics}. */
    EVAL(GradienceWire.EVENT_EVAL),
    /** A block of metrics namespaced by {@code kind}. */
    METRICS(GradienceWire.EVENT_METRICS),
    /** Something a monitor noticed: {@code severity}, {@code code}, {@code message}, optional {@code context}. */
    ALERT(GradienceWire.EVENT_ALERT),
    /** A list of {@code recommendations}. */
    RECOMMENDATION(GradienceWire.EVENT_RECOMMENDATION),
    /** The run ends with a {@code status} and an optional {@code reason}. */
    RUN_END(GradienceWire.EVENT_RUN_END);

    private static final Map<String, GradienceEvent> BY_WIRE_NAME = new HashMap<>();

    static
    {
        for (final GradienceEvent event : values())
        {
            BY_WIRE_NAME.put(event.wireName, event);
        }
    }

    private final String wireName;

    GradienceEvent(final String wireName)
    {
        this.wireName = wireName;
    }

    /**
     * The name as written in a record's {@code event} field.
     *
     * @return the wire name, e.g. {@code run_start}.
     */
    public String wireName()
    {
        return wireName;
    }

    /**
     * The event type a record's {@code event} field names.
     *
     * @param wireName the value of the {@code event} field; may be null.
     * @return the event type, or null when the name is not one of the stable seven.
     */
    public static GradienceEvent fromWireName(final String wireName)
    {
        return null == wireName ? null : BY_WIRE_NAME.get(wireName);
    }
}
