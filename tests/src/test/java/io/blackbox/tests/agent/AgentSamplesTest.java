package io.blackbox.tests.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.agent.AgentValidator;
import io.blackbox.exporter.agent.AgentWire;
import io.blackbox.tests.CommandRun;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The two hand-written sample files (no public producer of the format exists; written from the spec's example, kept
 * in test resources): they validate, an unknown namespaced event included; imported through the command line and
 * exported, they give the same records; and the validator names each way a line can be broken.
 */
class AgentSamplesTest
{
    @TempDir
    Path temp;

    private Path sample(final String name) throws Exception
    {
        try (InputStream in = AgentSamplesTest.class.getResourceAsStream("/samples/agent/" + name))
        {
            return Files.write(temp.resolve(name), in.readAllBytes());
        }
    }

    @Test
    void shouldValidateImportAndExportTheSamplesRecordForRecord() throws Exception
    {
        final List<ObjectNode> original = new ArrayList<>();
        final Path recording = temp.resolve("recording");
        for (final String name : List.of("planner_run.jsonl", "executor_run.jsonl"))
        {
            final Path file = sample(name);
            assertEquals(List.of(), new AgentValidator().validate(file), name);
            original.addAll(TestRecordings.readJsonl(file));
            final CommandRun run = CommandRun.of("import", AgentWire.FAMILY, file.toString(), "--recording",
                recording.toString());
            assertEquals(0, run.exit(), run::toString);
        }
        final RecordingExport.Result result = RecordingExport.export(recording, temp.resolve("export"));
        assertEquals(List.of(), result.damage());
        final List<ObjectNode> exported = TestRecordings.readJsonl(temp.resolve("export").resolve(AgentWire.DIRECTORY)
            .resolve("2025-10-06T12-30-00Z/refactor-config-loader.jsonl"));
        assertEquals(original, exported);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        "\"schema_version\": \"0.1\"|\"schema_version\": \"0.2\"|schema_version|must be \"0.1\", found \"0.2\"",
        "12:34:56.789Z|12:34:56Z|timestamp|must be ISO-8601 UTC with milliseconds and Z (2025-10-06T12:34:56.789Z), " +
            "found \"2025-10-06T12:34:56Z\"",
        "\"cycle\": 2|\"cycle\": 0|cycle|must be an integer from 1, found 0",
        "\"event\": \"plan.generated\"|\"event\": \"generated\"|event|must be a namespaced name, module.action, " +
            "found \"generated\"",
        "\"steps\": 5, |\"steps\": \"five\", |payload.steps|must be an integer, found \"five\"",
        "\"confidence\": 0.61, ||payload.confidence|missing",
        "\"redacted_fields\": []|\"redacted_fields\": [\"tools[0]\"]|payload.redacted_fields|names tools[0], whose " +
            "value is not redacted: \"editor\"",
        "\"agent\": \"default\"|\"agent\": 7|tags.agent|must be a string, found 7" })
    void shouldNameEachBreak(final String good, final String bad, final String field, final String message)
        throws Exception
    {
        final String line = Files.readAllLines(sample("planner_run.jsonl")).get(0);
        final Path file = Files.writeString(temp.resolve("broken.jsonl"), line.replace(good, null == bad ? "" : bad) +
            "\n");

        assertEquals(List.of(new Problem(file.toString(), 1, field, message)), new AgentValidator().validate(file));
    }

    @Test
    void shouldRefuseAVerdictBeyondTheThree() throws Exception
    {
        final String line = Files.readAllLines(sample("executor_run.jsonl")).get(2);
        final Path file = Files.writeString(temp.resolve("verdict.jsonl"),
            line.replace("\"revise\"", "\"maybe\"") + "\n");

        assertEquals(List.of(new Problem(file.toString(), 1, "payload.verdict", "must be accept, revise or abort, " +
            "found \"maybe\"")), new AgentValidator().validate(file));
    }
}
