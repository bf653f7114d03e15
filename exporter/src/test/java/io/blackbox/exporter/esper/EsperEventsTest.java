package io.blackbox.exporter.esper;

import io.blackbox.exporter.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EsperEventsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReadEveryLineOfTheOriginalsSampleIntoTypedEvents() throws IOException
    {
        final List<TelemetryEvent> events = EsperSamples.read(EsperSamples.copy(EsperSamples.DEMO, dir));

        assertEquals(2, events.size());
        final TelemetryEvent batch = events.get(0);
        assertEquals(UUID.fromString("21d21af4-c22f-49d7-a156-f748692ebd24"), batch.eventId());
        assertEquals(EsperEventType.BATCH_EPOCH_COMPLETED, batch.eventType());
        assertEquals(Instant.parse("2026-11-22T00:20:12.965346Z"), batch.timestamp());
        assertEquals(3, batch.epoch());
        assertNull(batch.seedId());
        assertEquals("default", batch.groupId());
        assertEquals("info", batch.severity());
        final BatchEpochCompleted epoch = assertInstanceOf(BatchEpochCompleted.class, batch.data());
        assertEquals(8, epoch.episodesCompleted());
        assertEquals(61.5, epoch.avgAccuracy());
        assertEquals(4, epoch.nEnvs());
        assertNull(epoch.rollingAccuracy(), "the original wrote null; no silent 0.0");
        assertEquals(List.of(60.0, 63.0), epoch.envAccuracies());

        final TelemetryEvent start = events.get(1);
        assertEquals("start", start.message());
        assertNull(start.epoch());
        final TrainingStarted started = assertInstanceOf(TrainingStarted.class, start.data());
        assertEquals("cifar_baseline", started.task());
        assertEquals(List.of("r0c0"), started.slotIds());
        assertEquals(0.0003, started.lr());
        assertEquals(1, started.worldSize());
        assertEquals("shaped", started.rewardMode());
        assertNull(started.ampDtype());
        assertNull(started.entropyAnneal());
    }

    @Test
    void shouldWriteTheSampleBackAsPythonWritesItsSpecKeys() throws IOException
    {
        final List<String> expected = EsperSamples.lines(EsperSamples.DEMO_SPEC_KEYS, dir);

        final List<String> written = EsperSamples.read(EsperSamples.copy(EsperSamples.DEMO, dir)).stream()
            .map(TelemetryEvent::toJsonLine)
            .toList();

        assertEquals(expected, written);
    }

    @Test
    void shouldWriteEveryPayloadTypeBackByteForByte() throws IOException
    {
        final Path file = EsperSamples.copy(EsperSamples.SPEC_EVENTS, dir);
        final List<TelemetryEvent> events = EsperSamples.read(file);

        final StringBuilder written = new StringBuilder();
        events.forEach(event -> written.append(event.toJsonLine()).append('\n'));

        assertEquals(Files.readString(file, StandardCharsets.UTF_8), written.toString());
        final Set<Class<?>> payloadTypes = events.stream().map(event -> event.data().getClass())
            .collect(Collectors.toSet());
        assertEquals(Set.of(EsperPayload.class.getPermittedSubclasses()), payloadTypes);
        assertEquals(11, payloadTypes.size());
    }

    @Test
    void shouldReportEachBadLineAsFileLineFieldProblemAndReadTheRest() throws IOException
    {
        final List<String> good = EsperSamples.lines(EsperSamples.SPEC_EVENTS, dir);
        final String ppoUpdate = good.get(3);
        final Path file = dir.resolve("bad.jsonl");
        Files.write(file, List.of(
            good.get(0),
            ppoUpdate.replace("\"policy_loss\": -0.0123, ", ""),
            ppoUpdate.replace("\"nan_grad_count\": 0", "\"nan_grad_count\": 0.5"),
            ppoUpdate.replace("PPO_UPDATE_COMPLETED", "TRAINING_STARTED"),
            ppoUpdate.replace("PPO_UPDATE_COMPLETED", "PLATEAU_DETECTED"),
            ppoUpdate.replace("PPO_UPDATE_COMPLETED", "NO_SUCH_EVENT"),
            ppoUpdate.replace("\"timestamp\": \"2026-11-22T00:20:15.123456+00:00\"", "\"timestamp\": \"yesterday\""),
            "{\"event_id\": ",
            good.get(1)), StandardCharsets.UTF_8);

        final List<TelemetryEvent> events = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final long count = EsperEvents.read(file, events::add, problem -> problems.add(problem.toString()));

        final String name = file.toString();
        assertEquals(List.of(
            name + ":2: data.policy_loss: missing, required by PpoUpdate",
            name + ":3: data.nan_grad_count: PpoUpdate needs an integer, found 0.5",
            name + ":4: data.n_envs: missing, required by TrainingStarted",
            name + ":5: event_type: PLATEAU_DETECTED has no typed payload in the spec, and the spec reads no " +
                "untyped data",
            name + ":6: event_type: not an Esper event type: \"NO_SUCH_EVENT\"",
            name + ":7: timestamp: TelemetryEvent needs an ISO-8601 time with an offset, e.g. " +
                "2026-11-22T00:20:12.965346+00:00, found \"yesterday\""),
            problems.subList(0, 6));
        // JsonLinesReader's own problem, in Jackson's words.
        assertTrue(problems.get(6).startsWith(name + ":8: malformed JSON"), problems.get(6));
        assertEquals(7, problems.size());
        assertEquals(2, count);
        assertEquals(List.of(EsperEventType.TRAINING_STARTED, EsperEventType.EPOCH_COMPLETED),
            events.stream().map(TelemetryEvent::eventType).toList());
    }

    @Test
    void shouldRefuseTheWholeFileWhenReadAsAStream() throws IOException
    {
        final List<String> good = EsperSamples.lines(EsperSamples.SPEC_EVENTS, dir);
        final Path file = dir.resolve("bad.jsonl");
        Files.write(file, List.of(good.get(0), good.get(5).replace("\"params\": 123456789012, ", ""),
            good.get(5).replace("\"env_id\": 1", "\"env_id\": \"1\"")), StandardCharsets.UTF_8);

        final EsperEvents.InvalidFileException ex =
            assertThrows(EsperEvents.InvalidFileException.class, () -> EsperEvents.read(file));

        assertEquals(List.of(
            new Problem(file.toString(), 2, "data.params", "missing, required by SeedGerminated"),
            new Problem(file.toString(), 3, "data.env_id", "SeedGerminated needs an integer, found a string")),
            ex.problems());
        assertEquals(file + ":2: data.params: missing, required by SeedGerminated (and 1 more)", ex.getMessage());
    }

    @Test
    void shouldReportAMissingFileAsAProblemWithTheWholeFile()
    {
        final Path file = dir.resolve("absent.jsonl");
        final List<Problem> problems = new ArrayList<>();

        assertEquals(0, EsperEvents.read(file, event -> { }, problems::add));

        assertEquals(1, problems.size());
        assertTrue(problems.get(0).isFileLevel(), problems.get(0).toString());
    }
}
