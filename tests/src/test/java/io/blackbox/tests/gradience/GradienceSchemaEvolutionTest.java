package io.blackbox.tests.gradience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.GradienceRunEndDecoder;
import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.SteppingEpochNanoClock;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recordings written by older schema versions stay readable: the golden scenario as schema version 0 recorded it
 * (its queue excerpts, kept in test resources) exports to the golden file's bytes, read by today's decoders with
 * the version and block length each record's header gives (SBE's acting version). Version 1 added
 * {@code GradienceRunEnd.exitCode}: exported as {@code exit_code} when a record has one, and nothing otherwise.
 * <p>
 * To keep a recording of the current schema version too, before its next change:
 * <pre>
 * mvn -B -pl tests -am verify -Dtest=GradienceSchemaEvolutionTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dblackbox.writeOldRecording=true
 * </pre>
 */
class GradienceSchemaEvolutionTest
{
    private static final String GOLDEN = "/golden/gradience/" + GradienceGoldenExportTest.RUN_ID + ".jsonl";
    private static final String VERSION_0 = "/recordings/gradience-scenario-schema-v0.excerpts";

    @TempDir
    Path temp;

    @Test
    void shouldExportARecordingOfSchemaVersion0ToTheGoldenBytes() throws IOException
    {
        final Path recording = temp.resolve("recording");
        TestRecordings.writeQueueExcerpts(resource(VERSION_0), recording);

        assertEquals(List.of(0), schemaVersions(recording), "the kept recording is of schema version 0");
        assertTrue(GradienceRunEndDecoder.SCHEMA_VERSION > 0 &&
            runEndBlockLengths(recording).stream().allMatch(length -> length < GradienceRunEndDecoder.BLOCK_LENGTH),
            "its run_end records are shorter than today's: the reader decodes them with their own block length");

        final Path export = temp.resolve("export");
        RecordingExport.export(recording, export);
        assertArrayEquals(resource(GOLDEN),
            Files.readAllBytes(export.resolve("gradience").resolve(GradienceGoldenExportTest.RUN_ID + ".jsonl")));
    }

    @Test
    void shouldExportTheExitCodeOfARunEndOnlyWhenItHasOne() throws IOException
    {
        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(recording)
            .clock(new SteppingEpochNanoClock(1_768_253_565_118_277_000L, 1_000L))))
        {
            final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, "exit");
            assertTrue(run.runEnd(5, GradienceRunStatus.ERROR, "out of memory", 137));
            assertTrue(run.runEnd(6, GradienceRunStatus.OK, null, GradienceEmitter.NO_EXIT_CODE));
            assertTrue(run.runEnd(7, GradienceRunStatus.OK, null));
        }
        final Path export = temp.resolve("export");
        RecordingExport.export(recording, export);

        final List<ObjectNode> lines = TestRecordings.readJsonl(export.resolve("gradience").resolve("exit.jsonl"));
        assertEquals(3, lines.size());
        assertEquals(List.of("schema", "ts", "run_id", "event", "step", "status", "reason", "exit_code"),
            names(lines.get(0)));
        assertEquals(137, lines.get(0).get("exit_code").intValue());
        assertEquals(List.of("schema", "ts", "run_id", "event", "step", "status"), names(lines.get(1)));
        assertEquals(List.of("schema", "ts", "run_id", "event", "step", "status"), names(lines.get(2)));
    }

    @Test
    @EnabledIfSystemProperty(named = "blackbox.writeOldRecording", matches = "true")
    void shouldWriteARecordingOfTheCurrentSchemaVersion() throws IOException
    {
        final Path recording = temp.resolve("recording");
        GradienceGoldenExportTest.recordScenario(recording);
        final Path target = TestRecordings.repositoryRoot().resolve(Path.of("tests", "src", "test", "resources",
            "recordings", "gradience-scenario-schema-v" + GradienceRunEndDecoder.SCHEMA_VERSION + ".excerpts"));
        Files.createDirectories(target.getParent());
        Files.write(target, TestRecordings.readQueueExcerpts(recording));
    }

    private static List<String> names(final ObjectNode line)
    {
        final List<String> names = new ArrayList<>();
        line.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<Integer> schemaVersions(final Path recording)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final List<Integer> versions = new ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            reader.readAll((templateId, buffer, offset, length, symbols) ->
            {
                final int version = header.wrap(buffer, offset).version();
                if (!versions.contains(version))
                {
                    versions.add(version);
                }
            });
            assertEquals(List.of(), reader.damage());
        }
        return versions;
    }

    private static List<Integer> runEndBlockLengths(final Path recording)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final List<Integer> lengths = new ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            reader.readAll((templateId, buffer, offset, length, symbols) ->
            {
                if (templateId == GradienceRunEndDecoder.TEMPLATE_ID)
                {
                    lengths.add(header.wrap(buffer, offset).blockLength());
                }
            });
        }
        assertEquals(2, lengths.size(), "the scenario ends its run twice");
        return lengths;
    }

    private byte[] resource(final String name) throws IOException
    {
        try (InputStream in = getClass().getResourceAsStream(name))
        {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }
}
