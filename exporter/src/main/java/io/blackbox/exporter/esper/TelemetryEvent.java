package io.blackbox.exporter.esper;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One Esper telemetry event, the envelope of esper-lite's {@code TelemetryEvent} around a typed payload. The event
 * type decides the payload type: an event whose payload belongs to another type, or whose type has no typed payload,
 * cannot be made.
 * <p>
 * Reading ({@link #fromMap}, {@link #fromJson}): {@code event_id}, {@code event_type}, {@code timestamp} and
 * {@code data} are required (the original's defaults for them, a fresh UUID, {@code EPOCH_COMPLETED}, now and an
 * empty dict, would invent an event); {@code seed_id}, {@code slot_id} and {@code epoch} may be null or absent;
 * {@code group_id}, {@code message} and {@code severity} default to {@value EsperWire#DEFAULT_GROUP_ID}, {@code ""}
 * and {@value EsperWire#DEFAULT_SEVERITY} when absent. Unknown keys are ignored.
 *
 * @param eventId   {@code event_id}, a UUID.
 * @param eventType {@code event_type}, by enum name on the wire.
 * @param timestamp {@code timestamp}, to the microsecond; ISO-8601 with {@code +00:00} on the wire.
 * @param seedId    {@code seed_id}, or null.
 * @param slotId    {@code slot_id}, or null.
 * @param epoch     {@code epoch}, or null.
 * @param groupId   {@code group_id}, the A/B group.
 * @param message   {@code message}, free text.
 * @param data      {@code data}, the payload {@code eventType} carries.
 * @param severity  {@code severity}: {@code debug, info, warning, error, critical} as the original writes them
 *                  (not checked: the spec gives no closed set).
 */
public record TelemetryEvent(
    UUID eventId,
    EsperEventType eventType,
    Instant timestamp,
    String seedId,
    String slotId,
    Integer epoch,
    String groupId,
    String message,
    EsperPayload data,
    String severity)
{
    /** The envelope's name in problems. */
    static final String NAME = "TelemetryEvent";

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final int NANOS_PER_MICRO = 1000;

    /**
     * Check the event: every part but {@code seedId}, {@code slotId} and {@code epoch} present, the timestamp to the
     * microsecond (what the wire form holds), and the payload the one its type carries.
     */
    public TelemetryEvent
    {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(severity, "severity");
        if (0 != timestamp.getNano() % NANOS_PER_MICRO)
        {
            throw new IllegalArgumentException("timestamp " + timestamp + " is finer than the microseconds an Esper " +
                "event holds");
        }
        if (!eventType.hasPayload())
        {
            throw new EsperFormatException(EsperWire.EVENT_TYPE, eventType.noPayload());
        }
        if (!eventType.payloadType().isInstance(data))
        {
            throw new EsperFormatException(EsperWire.DATA, eventType.name() + " carries " +
                eventType.payloadType().getSimpleName() + ", found " +
                (null == data ? "null" : data.getClass().getSimpleName()));
        }
    }

    /**
     * An event with the envelope's defaults: its type from the payload, no seed, slot or epoch, group
     * {@value EsperWire#DEFAULT_GROUP_ID}, an empty message and severity {@value EsperWire#DEFAULT_SEVERITY}.
     *
     * @param eventId   the event's id.
     * @param timestamp when, to the microsecond.
     * @param data      the payload.
     * @return the event.
     */
    public static TelemetryEvent of(final UUID eventId, final Instant timestamp, final EsperPayload data)
    {
        return new TelemetryEvent(eventId, data.eventType(), timestamp, null, null, null,
            EsperWire.DEFAULT_GROUP_ID, EsperWire.DEFAULT_MESSAGE, data, EsperWire.DEFAULT_SEVERITY);
    }

    /**
     * Read an event from its wire form.
     *
     * @param map the envelope's keys, {@code data} a map.
     * @return the event.
     * @throws EsperFormatException naming the key ({@code data.policy_loss} for a payload's) if a required key is
     *     missing, a value has the wrong type, the event type is unknown or has no typed payload.
     */
    @SuppressWarnings("unchecked")
    public static TelemetryEvent fromMap(final Map<String, ?> map)
    {
        final PayloadFields fields = new PayloadFields(NAME, map);
        final UUID eventId = parseUuid(fields.requiredString(EsperWire.EVENT_ID));
        final EsperEventType eventType = parseEventType(fields.requiredString(EsperWire.EVENT_TYPE));
        final Instant timestamp = parseTimestamp(fields.requiredString(EsperWire.TIMESTAMP));
        final String seedId = fields.nullableString(EsperWire.SEED_ID);
        final String slotId = fields.nullableString(EsperWire.SLOT_ID);
        final Integer epoch = fields.nullableInt(EsperWire.EPOCH);
        final String groupId = fields.optionalString(EsperWire.GROUP_ID, EsperWire.DEFAULT_GROUP_ID);
        final String message = fields.optionalString(EsperWire.MESSAGE, EsperWire.DEFAULT_MESSAGE);
        final String severity = fields.optionalString(EsperWire.SEVERITY, EsperWire.DEFAULT_SEVERITY);

        if (!map.containsKey(EsperWire.DATA))
        {
            throw new EsperFormatException(EsperWire.DATA, "missing, required by " + NAME);
        }
        final Object data = map.get(EsperWire.DATA);
        if (!(data instanceof Map))
        {
            throw new EsperFormatException(EsperWire.DATA, NAME + " needs an object, found " +
                EsperValues.describe(data));
        }
        final EsperPayload payload;
        try
        {
            payload = eventType.readPayload((Map<String, ?>)data);
        }
        catch (final EsperFormatException ex)
        {
            throw ex.under(EsperWire.DATA);
        }

        return new TelemetryEvent(
            eventId, eventType, timestamp, seedId, slotId, epoch, groupId, message, payload, severity);
    }

    /**
     * Read an event from a JSON object, as {@link #fromMap} does.
     *
     * @param json one line's object.
     * @return the event.
     * @throws EsperFormatException as {@link #fromMap} does, or if the node is not an object.
     */
    public static TelemetryEvent fromJson(final JsonNode json)
    {
        return fromMap(EsperPayload.jsonObject(NAME, json));
    }

    /**
     * The wire form: the envelope keys in the original's order, the payload's map under {@code data}.
     *
     * @return an unmodifiable ordered map of wire values.
     */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>(32);
        map.put(EsperWire.EVENT_ID, eventId.toString());
        map.put(EsperWire.EVENT_TYPE, eventType.name());
        map.put(EsperWire.TIMESTAMP, formatTimestamp(timestamp));
        map.put(EsperWire.SEED_ID, seedId);
        map.put(EsperWire.SLOT_ID, slotId);
        map.put(EsperWire.EPOCH, epoch);
        map.put(EsperWire.GROUP_ID, groupId);
        map.put(EsperWire.MESSAGE, message);
        map.put(EsperWire.DATA, data.toMap());
        map.put(EsperWire.SEVERITY, severity);
        return Collections.unmodifiableMap(map);
    }

    /**
     * The event as one JSON line, without the newline, laid out as the original's {@code json.dumps} writes it.
     *
     * @return the line.
     */
    public String toJsonLine()
    {
        final StringBuilder out = new StringBuilder(512);
        EsperValues.appendJson(out, toMap());
        return out.toString();
    }

    /**
     * A timestamp as Python's {@code datetime.isoformat()} writes an aware UTC time: {@code .ffffff} only when the
     * microseconds are not zero, then {@code +00:00}.
     *
     * @param timestamp to the microsecond.
     * @return e.g. {@code 2026-11-22T00:20:12.965346+00:00} or {@code 2026-11-22T00:20:12+00:00}.
     */
    public static String formatTimestamp(final Instant timestamp)
    {
        final LocalDateTime utc = LocalDateTime.ofEpochSecond(timestamp.getEpochSecond(), 0, ZoneOffset.UTC);
        final StringBuilder out = new StringBuilder(32).append(SECONDS.format(utc));
        final int micros = timestamp.getNano() / NANOS_PER_MICRO;
        if (0 != micros)
        {
            final String digits = Integer.toString(micros);
            out.append('.').append("000000", 0, 6 - digits.length()).append(digits);
        }
        return out.append("+00:00").toString();
    }

    /**
     * A timestamp as the original's reader ({@code datetime.fromisoformat}) takes it: ISO-8601 with an offset, with
     * or without a fraction of a second (Python leaves {@code .000000} out). Any offset is read; the instant is
     * written back in UTC.
     *
     * @param text the wire text.
     * @return the instant.
     * @throws EsperFormatException if it is not such a timestamp, or finer than microseconds.
     */
    public static Instant parseTimestamp(final String text)
    {
        final Instant instant;
        try
        {
            instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        }
        catch (final DateTimeParseException ex)
        {
            throw new EsperFormatException(EsperWire.TIMESTAMP, NAME + " needs an ISO-8601 time with an offset, " +
                "e.g. 2026-11-22T00:20:12.965346+00:00, found " + quoted(text));
        }
        if (0 != instant.getNano() % NANOS_PER_MICRO)
        {
            throw new EsperFormatException(EsperWire.TIMESTAMP, NAME + " needs at most 6 digits of a second, found " +
                quoted(text));
        }
        return instant;
    }

    private static UUID parseUuid(final String text)
    {
        // UUID.fromString takes "1-2-3-4-5"; the wire holds str(uuid4()), 36 characters, which is what is checked.
        try
        {
            final UUID uuid = UUID.fromString(text);
            if (uuid.toString().equalsIgnoreCase(text))
            {
                return uuid;
            }
        }
        catch (final IllegalArgumentException ignore)
        {
            // reported below
        }
        throw new EsperFormatException(EsperWire.EVENT_ID, NAME + " needs a UUID such as " +
            "21d21af4-c22f-49d7-a156-f748692ebd24, found " + quoted(text));
    }

    private static EsperEventType parseEventType(final String text)
    {
        final EsperEventType type = EsperEventType.ofWireName(text);
        if (null == type)
        {
            throw new EsperFormatException(EsperWire.EVENT_TYPE, "not an Esper event type: " + quoted(text));
        }
        if (!type.hasPayload())
        {
            throw new EsperFormatException(EsperWire.EVENT_TYPE, type.noPayload());
        }
        return type;
    }

    private static String quoted(final String text)
    {
        final int max = 64;
        return '"' + (text.length() > max ? text.substring(0, max) + "..." : text) + '"';
    }
}
