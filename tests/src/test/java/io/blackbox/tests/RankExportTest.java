package io.blackbox.tests;

import io.blackbox.codecs.EsperEventCode;
import io.blackbox.exporter.FamilyValidator;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.agent.AgentValidator;
import io.blackbox.exporter.agent.AgentWire;
import io.blackbox.exporter.esper.EsperTypedEvents;
import io.blackbox.exporter.esper.EsperValidator;
import io.blackbox.exporter.esper.EsperWire;
import io.blackbox.exporter.esper.TrainingStarted;
import io.blackbox.exporter.gradience.GradienceValidator;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.SteppingEpochNanoClock;
import io.blackbox.recorder.agent.AgentEmitter;
import io.blackbox.recorder.agent.AgentVerdict;
import io.blackbox.recorder.esper.EsperEmitter;
import io.blackbox.recorder.gradience.GradienceEmitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session recorded with a rank ({@code Recorder.Context.rank}) carries it into every exported record of a family
 * whose spec has a place for it: Gradience's {@code run_start} {@code meta}, Esper's {@code TRAINING_STARTED} payload,
 * agent telemetry's {@code tags}. A value the producer recorded wins; without a rank nothing is added; each session
 * of a reopened recording carries its own; and an import of the export into a recording without a rank exports the
 * same bytes (the keys are then the producer's own).
 */
class RankExportTest
{
    private static final long START_NANOS = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z
    private static final long STEP_NANOS = 1_000_000L;
    /** The first event id an Esper emitter seeded with 7 draws. */
    private static final String FIRST_EVENT_ID = "63cbe1e4-5932-4dd7-844c-3cd7f43c661c";
    private static final String GRADIENCE_PREFIX = "{\"schema\":\"gradience.vnext.telemetry/v1\",\"ts\":";
    private static final String ESPER_DATA = "\"data\": {\"n_envs\": 4, \"max_epochs\": 25, \"task\": \"cifar\", " +
        "\"host_params\": 1000, \"slot_ids\": [\"r0c0\"], \"seed\": 42, \"n_episodes\": 40, \"lr\": 0.0003, " +
        "\"clip_ratio\": 0.2, \"entropy_coef\": 0.01, \"param_budget\": 5000, \"policy_device\": \"cpu\", " +
        "\"env_devices\": [\"cpu\"]";

    @TempDir
    Path temp;

    @Test
    void gradienceRunStartMetaCarriesTheSessionRankAfterTheRecordedKeys() throws Exception
    {
        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(rankOneOfFour(recording)))
        {
            final GradienceEmitter gradience = recorder.emitter(GradienceEmitter::new, "g");
            gradience.runStart(Map.of("lr", 0.1), Map.of("git", "abc"));
            gradience.runStart(Map.of("lr", 0.1), null);
            gradience.trainStep(1, 0.5, 0.1);
        }
        final Path file = exportFamily(recording, "gradience/g.jsonl");

        assertEquals(List.of(
            GRADIENCE_PREFIX + "1767225600.002,\"run_id\":\"g\",\"event\":\"run_start\",\"step\":null," +
                "\"config\":{\"lr\":0.1},\"meta\":{\"git\":\"abc\",\"rank\":1,\"world_size\":4,\"local_rank\":1," +
                "\"hostname\":\"node-a\"}}",
            GRADIENCE_PREFIX + "1767225600.003,\"run_id\":\"g\",\"event\":\"run_start\",\"step\":null," +
                "\"config\":{\"lr\":0.1},\"meta\":{\"rank\":1,\"world_size\":4,\"local_rank\":1," +
                "\"hostname\":\"node-a\"}}",
            GRADIENCE_PREFIX + "1767225600.004,\"run_id\":\"g\",\"event\":\"train_step\",\"step\":1,\"loss\":0.5," +
                "\"lr\":0.1}"),
            Files.readAllLines(file));
        assertValid(new GradienceValidator(), file);
    }

    @Test
    void gradienceRecordedMetaValueWinsOverTheSession() throws Exception
    {
        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(rankOneOfFour(recording)))
        {
            final Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("hostname", "own-host");
            meta.put("rank", 7);
            recorder.emitter(GradienceEmitter::new, "g").runStart(Map.of("lr", 0.1), meta);
        }
        final Path file = exportFamily(recording, "gradience/g.jsonl");

        assertEquals(List.of(GRADIENCE_PREFIX + "1767225600.002,\"run_id\":\"g\",\"event\":\"run_start\"," +
            "\"step\":null,\"config\":{\"lr\":0.1},\"meta\":{\"hostname\":\"own-host\",\"rank\":7,\"world_size\":4," +
            "\"local_rank\":1}}"), Files.readAllLines(file));
        assertValid(new GradienceValidator(), file);
    }

    @Test
    void gradienceMetaAsRecordedIsKeptAndADamagedOneRefusedAsWithoutRank() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final Path plain = temp.resolve("plain");
        for (final Path directory : List.of(recording, plain))
        {
            final Recorder.Context context = directory == recording ? rankOneOfFour(directory) :
                new Recorder.Context().directory(directory).clock(new SteppingEpochNanoClock(START_NANOS, STEP_NANOS));
            try (Recorder recorder = Recorder.open(context))
            {
                final GradienceEmitter gradience = recorder.emitter(GradienceEmitter::new, "g");
                // Text as a producer wrote it (whitespace), then text that is no JSON, then an empty object.
                gradience.runStartJson(START_NANOS, GradienceEmitter.NO_STEP, utf8("{\"lr\":0.1}"),
                    utf8("{ \"git\": \"abc\" } "), new byte[0]);
                gradience.runStartJson(START_NANOS, GradienceEmitter.NO_STEP, utf8("{\"lr\":0.1}"),
                    utf8("{\"git\":"), new byte[0]);
                gradience.runStartJson(START_NANOS, GradienceEmitter.NO_STEP, utf8("{\"lr\":0.1}"), utf8("{}"),
                    new byte[0]);
                // No meta, but a producer's own among the extra keys: no meta of the session's before it.
                gradience.runStartJson(START_NANOS, GradienceEmitter.NO_STEP, utf8("{\"lr\":0.1}"), new byte[0],
                    utf8("{\"meta\":{\"own\":1}}"));
            }
        }
        final RecordingExport.Result result = RecordingExport.export(recording, temp.resolve("export"));
        final RecordingExport.Result plainResult = RecordingExport.export(plain, temp.resolve("plain-export"));

        // The same refusal (the queue offsets differ: a session start with a rank is longer).
        assertEquals(1, result.damageCount());
        assertEquals(plainResult.damage().stream().map(RankExportTest::problem).toList(),
            result.damage().stream().map(RankExportTest::problem).toList());
        assertTrue(problem(result.damage().get(0)).startsWith("meta: not valid JSON"), result.damage()::toString);
        final String head = GRADIENCE_PREFIX + "1767225600.0,\"run_id\":\"g\",\"event\":\"run_start\",\"step\":null," +
            "\"config\":{\"lr\":0.1},\"meta\":";
        assertEquals(List.of(
            head + "{ \"git\": \"abc\" ,\"rank\":1,\"world_size\":4,\"local_rank\":1,\"hostname\":\"node-a\"} }",
            head + "{\"rank\":1,\"world_size\":4,\"local_rank\":1,\"hostname\":\"node-a\"}}",
            head + "{\"own\":1}}"),
            Files.readAllLines(temp.resolve("export/gradience/g.jsonl")));
        assertValid(new GradienceValidator(), temp.resolve("export/gradience/g.jsonl"));
    }

    @Test
    void esperTrainingStartedCarriesTheSessionRankAfterTheRecordedKeys() throws Exception
    {
        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(rankOneOfFour(recording)))
        {
            final EsperEmitter esper = recorder.emitter(EsperEmitter::new, "e").eventIdSeed(7);
            esper.event(EsperEventCode.TRAINING_STARTED, trainingStartedData()).commit();
            // Typed, the payload has all three keys, the spec's defaults (1, 0, 0) when the producer gave none: a
            // session of one of four ranks contradicts world size 1, so its values replace them in place.
            EsperTypedEvents.event(esper, new TrainingStarted(4, 25, "cifar", 1000, List.of("r0c0"), 42, 40,
                0.0003, 0.2, 0.01, 5000, "cpu", List.of("cpu"), "", "", "", 0, null, 1, 0, 0, false, null, false,
                null, null)).commit();
            esper.epochCompleted(0, 71.5, 0.75, 1).commit();
            // Anything but the defaults is the producer's own, and stays.
            EsperTypedEvents.event(esper, new TrainingStarted(4, 25, "cifar", 1000, List.of("r0c0"), 42, 40,
                0.0003, 0.2, 0.01, 5000, "cpu", List.of("cpu"), "", "", "", 0, null, 8, 5, 1, false, null, false,
                null, null)).commit();
        }
        final Path file = exportFamily(recording, "esper/e.jsonl");

        final List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size());
        assertTrue(lines.get(3).contains("\"world_size\": 8, \"rank\": 5, \"local_rank\": 1,"), lines.get(3));
        assertEquals(esperLine(FIRST_EVENT_ID, "2026-01-01T00:00:00.002000+00:00",
            ", \"world_size\": 4, \"rank\": 1, \"local_rank\": 1}"), lines.get(0));
        assertEquals(esperLine("e6984080-bab1-4a02-953a-eb70673e29cb", "2026-01-01T00:00:00.003000+00:00",
            ", \"episode_id\": \"\", \"resume_path\": \"\", \"reward_mode\": \"\", \"start_episode\": 0, " +
            "\"entropy_anneal\": null, \"world_size\": 4, \"rank\": 1, \"local_rank\": 1, \"amp_enabled\": false, " +
            "\"amp_dtype\": null, \"compile_enabled\": false, \"compile_backend\": null, \"compile_mode\": null}"),
            lines.get(1));
        assertFalse(lines.get(2).contains("rank"), lines.get(2));
        assertValid(new EsperValidator(), file);
    }

    @Test
    void esperRecordedRankWinsOverTheSession() throws Exception
    {
        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(rankOneOfFour(recording)))
        {
            final Map<String, Object> data = trainingStartedData();
            data.put(EsperWire.RANK, 3);
            recorder.emitter(EsperEmitter::new, "e").eventIdSeed(7)
                .event(EsperEventCode.TRAINING_STARTED, data).commit();
        }
        final Path file = exportFamily(recording, "esper/e.jsonl");

        assertEquals(List.of(esperLine(FIRST_EVENT_ID, "2026-01-01T00:00:00.002000+00:00",
            ", \"rank\": 3, \"world_size\": 4, \"local_rank\": 1}")), Files.readAllLines(file));
        assertValid(new EsperValidator(), file);
    }

    @Test
    void agentTagsCarryTheSessionRankAsStringsAfterTheRecordedTags() throws Exception
    {
        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(rankOneOfFour(recording)))
        {
            recorder.emitter(AgentEmitter::new, "a").source("reviewer").tags(Map.of("team", "x"))
                .decision(1, AgentVerdict.ACCEPT);
            recorder.emitter(AgentEmitter::new, "a").source("reviewer").decision(2, AgentVerdict.REVISE);
        }
        final Path file = exportFamily(recording, AgentWire.DIRECTORY + "/a.jsonl");

        assertEquals(List.of(
            agentLine("2026-01-01T00:00:00.002Z", 1, "accept",
                "{\"team\":\"x\",\"rank\":\"1\",\"world_size\":\"4\",\"local_rank\":\"1\",\"host\":\"node-a\"}"),
            agentLine("2026-01-01T00:00:00.003Z", 2, "revise",
                "{\"rank\":\"1\",\"world_size\":\"4\",\"local_rank\":\"1\",\"host\":\"node-a\"}")),
            Files.readAllLines(file));
        assertValid(new AgentValidator(), file);
    }

    @Test
    void agentRecordedTagWinsOverTheSession() throws Exception
    {
        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(rankOneOfFour(recording)))
        {
            recorder.emitter(AgentEmitter::new, "a").source("reviewer")
                .tags(Map.of("host", "own-host", "rank", "7")).decision(1, AgentVerdict.ACCEPT);
        }
        final Path file = exportFamily(recording, AgentWire.DIRECTORY + "/a.jsonl");

        assertEquals(List.of(agentLine("2026-01-01T00:00:00.002Z", 1, "accept",
            "{\"host\":\"own-host\",\"rank\":\"7\",\"world_size\":\"4\",\"local_rank\":\"1\"}")),
            Files.readAllLines(file));
        assertValid(new AgentValidator(), file);
    }

    @Test
    void recordingWithoutRankExportsNoRankKeys() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final SteppingEpochNanoClock clock = new SteppingEpochNanoClock(START_NANOS, STEP_NANOS);
        // A host name alone is no rank: nothing is added, not even the host.
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(recording).clock(clock)
            .hostName("node-a")))
        {
            recordEveryFamily(recorder);
        }
        final Path root = temp.resolve("export");
        RecordingExport.export(recording, root);

        assertEquals(List.of(
            GRADIENCE_PREFIX + "1767225600.002,\"run_id\":\"g\",\"event\":\"run_start\",\"step\":null," +
                "\"config\":{\"lr\":0.1},\"meta\":{\"git\":\"abc\"}}",
            GRADIENCE_PREFIX + "1767225600.003,\"run_id\":\"g\",\"event\":\"run_start\",\"step\":null," +
                "\"config\":{\"lr\":0.1}}"),
            Files.readAllLines(root.resolve("gradience/g.jsonl")));
        assertEquals(List.of(esperLine(FIRST_EVENT_ID, "2026-01-01T00:00:00.004000+00:00",
            "}")), Files.readAllLines(root.resolve("esper/e.jsonl")));
        assertEquals(List.of(agentLine("2026-01-01T00:00:00.005Z", 1, "accept", "{\"team\":\"x\"}")),
            Files.readAllLines(root.resolve(AgentWire.DIRECTORY + "/a.jsonl")));
    }

    @Test
    void eachSessionOfAReopenedRecordingCarriesItsOwnRank() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final SteppingEpochNanoClock clock = new SteppingEpochNanoClock(START_NANOS, STEP_NANOS);
        // The first session knows no local rank: local_rank is left out, the other keys are there.
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(recording).clock(clock)
            .rank(0, 2).hostName("node-a")))
        {
            recordEveryFamily(recorder);
        }
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(recording).clock(clock)
            .rank(1, 2).localRank(0).hostName("node-b")))
        {
            recordEveryFamily(recorder);
        }
        final Path root = temp.resolve("export");
        final RecordingExport.Result result = RecordingExport.export(recording, root);
        assertEquals(0, result.damageCount(), () -> result.damage().toString());

        final List<String> gradience = Files.readAllLines(root.resolve("gradience/g.jsonl"));
        assertEquals(4, gradience.size());
        assertEquals(GRADIENCE_PREFIX + "1767225600.002,\"run_id\":\"g\",\"event\":\"run_start\",\"step\":null," +
            "\"config\":{\"lr\":0.1},\"meta\":{\"git\":\"abc\",\"rank\":0,\"world_size\":2,\"hostname\":\"node-a\"}}",
            gradience.get(0));
        assertEquals(GRADIENCE_PREFIX + "1767225600.003,\"run_id\":\"g\",\"event\":\"run_start\",\"step\":null," +
            "\"config\":{\"lr\":0.1},\"meta\":{\"rank\":0,\"world_size\":2,\"hostname\":\"node-a\"}}",
            gradience.get(1));
        assertEquals(GRADIENCE_PREFIX + "1767225600.008,\"run_id\":\"g\",\"event\":\"run_start\",\"step\":null," +
            "\"config\":{\"lr\":0.1},\"meta\":{\"git\":\"abc\",\"rank\":1,\"world_size\":2,\"local_rank\":0," +
            "\"hostname\":\"node-b\"}}", gradience.get(2));
        assertEquals(GRADIENCE_PREFIX + "1767225600.009,\"run_id\":\"g\",\"event\":\"run_start\",\"step\":null," +
            "\"config\":{\"lr\":0.1},\"meta\":{\"rank\":1,\"world_size\":2,\"local_rank\":0,\"hostname\":\"node-b\"}}",
            gradience.get(3));

        final List<String> esper = Files.readAllLines(root.resolve("esper/e.jsonl"));
        assertEquals(2, esper.size());
        assertEquals(esperLine(FIRST_EVENT_ID, "2026-01-01T00:00:00.004000+00:00",
            ", \"world_size\": 2, \"rank\": 0}"), esper.get(0));
        // The same seed again: the second session's emitter draws the same event id.
        assertEquals(esperLine(FIRST_EVENT_ID, "2026-01-01T00:00:00.010000+00:00",
            ", \"world_size\": 2, \"rank\": 1, \"local_rank\": 0}"), esper.get(1));

        assertEquals(List.of(
            agentLine("2026-01-01T00:00:00.005Z", 1, "accept",
                "{\"team\":\"x\",\"rank\":\"0\",\"world_size\":\"2\",\"host\":\"node-a\"}"),
            agentLine("2026-01-01T00:00:00.011Z", 1, "accept",
                "{\"team\":\"x\",\"rank\":\"1\",\"world_size\":\"2\",\"local_rank\":\"0\",\"host\":\"node-b\"}")),
            Files.readAllLines(root.resolve(AgentWire.DIRECTORY + "/a.jsonl")));
        assertValid(new GradienceValidator(), root.resolve("gradience/g.jsonl"));
        assertValid(new AgentValidator(), root.resolve(AgentWire.DIRECTORY + "/a.jsonl"));
    }

    @Test
    void importOfTheExportIntoARecordingWithoutRankExportsTheSameBytes() throws Exception
    {
        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(rankOneOfFour(recording)))
        {
            recordEveryFamily(recorder);
        }
        final Path first = temp.resolve("first");
        RecordingExport.export(recording, first);
        final List<String> files = List.of("gradience/g.jsonl", "esper/e.jsonl", AgentWire.DIRECTORY + "/a.jsonl");
        final List<String> families = List.of("gradience", EsperWire.FAMILY, AgentWire.FAMILY);

        // blackbox validate and import, as a user runs them; the import's recorder has no rank.
        final Path imported = temp.resolve("imported");
        for (int i = 0; i < files.size(); i++)
        {
            final Path file = first.resolve(files.get(i));
            final CommandRun validate = CommandRun.of("validate", families.get(i), file.toString());
            assertEquals(0, validate.exit(), validate::toString);
            final CommandRun run = CommandRun.of("import", families.get(i), file.toString(), "--recording",
                imported.toString());
            assertEquals(0, run.exit(), run::toString);
        }
        final Path second = temp.resolve("second");
        RecordingExport.export(imported, second);
        for (final String file : files)
        {
            assertArrayEquals(Files.readAllBytes(first.resolve(file)), Files.readAllBytes(second.resolve(file)), file);
        }
        // Not the same bytes for want of keys: the first export carried them.
        assertTrue(Files.readString(first.resolve("gradience/g.jsonl")).contains("\"rank\":1,\"world_size\":4"));
        assertTrue(Files.readString(first.resolve(AgentWire.DIRECTORY + "/a.jsonl")).contains("\"host\":\"node-a\""));
    }

    /**
     * Two Gradience run_starts (meta recorded, none), an Esper TRAINING_STARTED without the rank keys and an agent
     * decision tagged {@code team}: the clock's steps 2 to 5 of the session.
     */
    private static void recordEveryFamily(final Recorder recorder)
    {
        final GradienceEmitter gradience = recorder.emitter(GradienceEmitter::new, "g");
        gradience.runStart(Map.of("lr", 0.1), Map.of("git", "abc"));
        gradience.runStart(Map.of("lr", 0.1), null);
        recorder.emitter(EsperEmitter::new, "e").eventIdSeed(7)
            .event(EsperEventCode.TRAINING_STARTED, trainingStartedData()).commit();
        recorder.emitter(AgentEmitter::new, "a").source("reviewer").tags(Map.of("team", "x"))
            .decision(1, AgentVerdict.ACCEPT);
    }

    private static Recorder.Context rankOneOfFour(final Path recording)
    {
        return new Recorder.Context().directory(recording).clock(new SteppingEpochNanoClock(START_NANOS, STEP_NANOS))
            .rank(1, 4).localRank(1).hostName("node-a");
    }

    /**
     * @return a TRAINING_STARTED payload of the spec's required keys only, in its order (no rank keys).
     */
    private static Map<String, Object> trainingStartedData()
    {
        final Map<String, Object> data = new LinkedHashMap<>();
        data.put(EsperWire.N_ENVS, 4);
        data.put(EsperWire.MAX_EPOCHS, 25);
        data.put(EsperWire.TASK, "cifar");
        data.put(EsperWire.HOST_PARAMS, 1000);
        data.put(EsperWire.SLOT_IDS, List.of("r0c0"));
        data.put(EsperWire.SEED, 42);
        data.put(EsperWire.N_EPISODES, 40);
        data.put(EsperWire.LR, 0.0003);
        data.put(EsperWire.CLIP_RATIO, 0.2);
        data.put(EsperWire.ENTROPY_COEF, 0.01);
        data.put(EsperWire.PARAM_BUDGET, 5000);
        data.put(EsperWire.POLICY_DEVICE, "cpu");
        data.put(EsperWire.ENV_DEVICES, List.of("cpu"));
        return data;
    }

    /**
     * @param dataTail what follows the required keys of {@link #trainingStartedData()} in {@code data}, its closing
     *                 brace included.
     */
    private static String esperLine(final String eventId, final String timestamp, final String dataTail)
    {
        return "{\"event_id\": \"" + eventId + "\", \"event_type\": \"TRAINING_STARTED\", \"timestamp\": \"" +
            timestamp + "\", \"seed_id\": null, \"slot_id\": null, \"epoch\": null, \"group_id\": \"default\", " +
            "\"message\": \"\", " + ESPER_DATA + dataTail + ", \"severity\": \"info\"}";
    }

    private static String agentLine(final String timestamp, final long cycle, final String verdict,
        final String tags)
    {
        return "{\"schema_version\":\"0.1\",\"timestamp\":\"" + timestamp + "\",\"source\":\"reviewer\"," +
            "\"run_id\":\"a\",\"cycle\":" + cycle + ",\"event\":\"review.decision\",\"payload\":{\"verdict\":\"" +
            verdict + "\",\"redacted_fields\":[]},\"tags\":" + tags + "}";
    }

    /**
     * @return a damage line's problem, without where it is.
     */
    private static String problem(final String damage)
    {
        return damage.substring(damage.indexOf("records: ") + "records: ".length());
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Path exportFamily(final Path recording, final String file) throws IOException
    {
        final Path root = temp.resolve("export");
        final RecordingExport.Result result = RecordingExport.export(recording, root);
        assertEquals(0, result.damageCount(), () -> result.damage().toString());
        return root.resolve(file);
    }

    private static void assertValid(final FamilyValidator validator, final Path file)
    {
        assertEquals(List.of(), validator.validate(file), file::toString);
    }
}
