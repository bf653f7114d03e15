package io.blackbox.exporter.esper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TelemetryEventTest
{
    private static final UUID ID = UUID.fromString("21d21af4-c22f-49d7-a156-f748692ebd24");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "2026-11-22T00:20:12.965346+00:00, 2026-11-22T00:20:12.965346Z, 2026-11-22T00:20:12.965346+00:00",
        "2026-11-22T00:20:12+00:00, 2026-11-22T00:20:12Z, 2026-11-22T00:20:12+00:00",
        "2026-11-22T00:20:12.000000+00:00, 2026-11-22T00:20:12Z, 2026-11-22T00:20:12+00:00",
        "2026-11-22T00:20:12.000001+00:00, 2026-11-22T00:20:12.000001Z, 2026-11-22T00:20:12.000001+00:00",
        "2026-11-22T00:20:12.5+00:00, 2026-11-22T00:20:12.5Z, 2026-11-22T00:20:12.500000+00:00",
        "2026-11-22T00:20:12.965346Z, 2026-11-22T00:20:12.965346Z, 2026-11-22T00:20:12.965346+00:00",
        "2026-11-22T02:20:12.965346+02:00, 2026-11-22T00:20:12.965346Z, 2026-11-22T00:20:12.965346+00:00",
        "0999-01-02T03:04:05.000060+00:00, 0999-01-02T03:04:05.000060Z, 0999-01-02T03:04:05.000060+00:00"
    })
    void shouldReadTimestampsWithAndWithoutMicrosecondsAndWriteThemAsPythonDoes(
        final String wire, final String instant, final String written)
    {
        final Instant parsed = TelemetryEvent.parseTimestamp(wire);

        assertEquals(Instant.parse(instant), parsed);
        assertEquals(written, TelemetryEvent.formatTimestamp(parsed));
    }

    @ParameterizedTest
    @ValueSource(strings = { "2026-11-22T00:20:12.9653461+00:00", "2026-11-22T00:20:12", "2026-11-22",
        "1732234812.965346", "" })
    void shouldRefuseATimestampThatIsNotAnIsoTimeToTheMicrosecond(final String wire)
    {
        final EsperFormatException ex =
            assertThrows(EsperFormatException.class, () -> TelemetryEvent.parseTimestamp(wire));

        assertEquals("timestamp", ex.field());
    }

    @Test
    void shouldRefuseAPayloadThatBelongsToAnotherEventType() throws IOException
    {
        final EsperPayload update = EsperEventType.PPO_UPDATE_COMPLETED
            .readPayload(EsperSamples.specData(EsperEventType.PPO_UPDATE_COMPLETED, dir));

        final EsperFormatException ex = assertThrows(EsperFormatException.class, () -> new TelemetryEvent(ID,
            EsperEventType.EPOCH_COMPLETED, Instant.EPOCH, null, null, null, "default", "", update, "info"));

        assertEquals("data", ex.field());
        assertEquals("EPOCH_COMPLETED carries EpochCompleted, found PpoUpdate", ex.problem());
    }

    @Test
    void shouldRefuseAnEventTypeWithoutATypedPayloadAndAMissingPayload() throws IOException
    {
        final EsperPayload update = EsperEventType.PPO_UPDATE_COMPLETED
            .readPayload(EsperSamples.specData(EsperEventType.PPO_UPDATE_COMPLETED, dir));

        assertEquals("event_type", assertThrows(EsperFormatException.class, () -> new TelemetryEvent(ID,
            EsperEventType.MEMORY_WARNING, Instant.EPOCH, null, null, null, "default", "", update, "info")).field());
        assertEquals("PPO_UPDATE_COMPLETED carries PpoUpdate, found null", assertThrows(EsperFormatException.class,
            () -> new TelemetryEvent(ID, EsperEventType.PPO_UPDATE_COMPLETED, Instant.EPOCH, null, null, null,
                "default", "", null, "info")).problem());
    }

    @Test
    void shouldRefuseATimestampFinerThanMicroseconds() throws IOException
    {
        final EsperPayload update = EsperEventType.PPO_UPDATE_COMPLETED
            .readPayload(EsperSamples.specData(EsperEventType.PPO_UPDATE_COMPLETED, dir));

        assertThrows(IllegalArgumentException.class,
            () -> TelemetryEvent.of(ID, Instant.ofEpochSecond(1, 1), update));
    }

    @Test
    void shouldGiveTheEnvelopeDefaultsWhenItsOptionalKeysAreAbsentAndIgnoreUnknownKeys() throws IOException
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("run_id", 7);
        map.put("event_id", ID.toString());
        map.put("event_type", "SEED_PRUNED");
        map.put("timestamp", "2026-11-22T00:20:12+00:00");
        map.put("data", EsperSamples.specData(EsperEventType.SEED_PRUNED, dir));

        final TelemetryEvent event = TelemetryEvent.fromMap(map);

        assertNull(event.seedId());
        assertNull(event.slotId());
        assertNull(event.epoch());
        assertEquals("default", event.groupId());
        assertEquals("", event.message());
        assertEquals("info", event.severity());
        assertEquals(TelemetryEvent.of(ID, Instant.parse("2026-11-22T00:20:12Z"), event.data()), event);
    }

    @Test
    void shouldRequireTheEnvelopesIdentityTimeTypeAndPayload() throws IOException
    {
        for (final String key : new String[]{ "event_id", "event_type", "timestamp", "data" })
        {
            final Map<String, Object> map = new LinkedHashMap<>();
            map.put("event_id", ID.toString());
            map.put("event_type", "SEED_PRUNED");
            map.put("timestamp", "2026-11-22T00:20:12+00:00");
            map.put("data", EsperSamples.specData(EsperEventType.SEED_PRUNED, dir));
            TelemetryEvent.fromMap(map);

            map.remove(key);
            final EsperFormatException ex = assertThrows(EsperFormatException.class, () -> TelemetryEvent.fromMap(map));

            assertEquals(key, ex.field());
            assertEquals("missing, required by TelemetryEvent", ex.problem());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "event_id | '\"1-2-3-4-5\"' | TelemetryEvent needs a UUID such as 21d21af4-c22f-49d7-a156-f748692ebd24, found \"1-2-3-4-5\"",
        "epoch | 1.5 | TelemetryEvent needs an integer, found 1.5",
        "seed_id | 7 | TelemetryEvent needs a string, found 7",
        "data | [] | TelemetryEvent needs an object, found a list",
        "data | null | TelemetryEvent needs an object, found null",
    })
    void shouldNameTheEnvelopeKeyAndWhatWasFoundForAWrongType(final String key, final String json,
        final String problem) throws IOException
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("event_id", ID.toString());
        map.put("event_type", "SEED_PRUNED");
        map.put("timestamp", "2026-11-22T00:20:12+00:00");
        map.put("data", EsperSamples.specData(EsperEventType.SEED_PRUNED, dir));
        map.put(key, io.blackbox.exporter.JsonLinesReader.MAPPER.readValue(json, Object.class));

        final EsperFormatException ex = assertThrows(EsperFormatException.class, () -> TelemetryEvent.fromMap(map));

        assertEquals(key, ex.field());
        assertEquals(problem, ex.problem());
    }
}
