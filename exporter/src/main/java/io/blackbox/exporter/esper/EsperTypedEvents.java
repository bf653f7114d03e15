package io.blackbox.exporter.esper;

import io.blackbox.codecs.EsperEventCode;
import io.blackbox.recorder.esper.EsperEmitter;

/**
 * Typed emits for the payloads that have no call of their own on {@link EsperEmitter} (everything but the three
 * per-step events): the payload record is the type, so its required fields are constructor parameters and its event
 * type is its own.
 * <pre>
 * EsperTypedEvents.event(esper, new SeedGerminated("r0c0", 1, "conv_light", 4096, 0.0, 0.0, false, false, 0, 5))
 *     .epoch(3).commit();
 * </pre>
 * Off the zero-allocation path: the payload becomes JSON.
 */
public final class EsperTypedEvents
{
    private EsperTypedEvents()
    {
    }

    /**
     * @param esper   the run's emitter.
     * @param payload the event's payload; its type is the event's.
     * @return the event's builder: the envelope, then {@code commit()}.
     */
    public static EsperEmitter.Event event(final EsperEmitter esper, final EsperPayload payload)
    {
        return esper.event(code(payload.eventType()), payload.toMap());
    }

    /**
     * @param type an event type.
     * @return its code in the records.
     */
    public static EsperEventCode code(final EsperEventType type)
    {
        return EsperEventCode.valueOf(type.name());
    }
}
