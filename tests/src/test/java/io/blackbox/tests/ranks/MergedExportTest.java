package io.blackbox.tests.ranks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.recorder.Recorder;
import io.blackbox.tests.CommandRun;
import io.blackbox.tests.ExportedFiles;
import io.blackbox.tests.family.FamilyRecordings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One job's ranks, each recorded by its own recorder into its own directory, exported as one: every family's
 * workload, with the same seed on every rank, so every run id is recorded by all three ranks. A rank's runs must come
 * out exactly as its recording exported alone, the later ranks' duplicated run ids in files of their own, and the
 * export must not depend on the order the recordings are given in.
 */
class MergedExportTest
{
    private static final String SUMMARY = RecordingExport.SUMMARY_FILE;
    private static final int WORLD_SIZE = 3;

    @TempDir
    static Path job;

    private static final List<Path> recordings = new ArrayList<>();

    @TempDir
    Path temp;

    @BeforeAll
    static void recordThreeRanks() throws InterruptedException
    {
        for (int rank = 0; rank < WORLD_SIZE; rank++)
        {
            final Path recording = job.resolve("rank-" + rank);
            FamilyRecordings.recordEveryWorkload(new Recorder.Context().directory(recording)
                .rank(rank, WORLD_SIZE).localRank(rank % 2).hostName("node-" + rank / 2), 42);
            recordings.add(recording);
        }
    }

    @Test
    void shouldExportEachRanksRunsAsItsRecordingAloneAndADuplicatedRunIdToFilesOfItsOwn() throws IOException
    {
        final Path merged = temp.resolve("merged");
        final RecordingExport.Result result = RecordingExport.export(
            List.of(recordings.get(2), recordings.get(0), recordings.get(1)), merged, 2, records -> {});
        assertEquals(List.of(), result.damage());
        assertEquals(List.of(), result.warnings());

        final Map<String, byte[]> mergedFiles = ExportedFiles.read(merged);
        final Map<String, byte[]> expected = new TreeMap<>();
        long records = 0;
        for (int rank = 0; rank < WORLD_SIZE; rank++)
        {
            final Path alone = temp.resolve("alone-" + rank);
            records += RecordingExport.export(recordings.get(rank), alone, 1, ignored -> {}).records();
            for (final Map.Entry<String, byte[]> file : ExportedFiles.read(alone).entrySet())
            {
                final String name = file.getKey();
                if (name.equals(SUMMARY) || name.startsWith("build/"))
                {
                    continue; // Clamp's documents are one a session, named by its start: checked below
                }
                assertTrue(name.endsWith(".jsonl"), name);
                expected.put(0 == rank ? name : name.replaceAll("\\.jsonl$", ".rank-" + rank + ".jsonl"),
                    file.getValue());
            }
        }
        assertEquals(records, result.records());
        for (final Map.Entry<String, byte[]> file : expected.entrySet())
        {
            assertTrue(mergedFiles.containsKey(file.getKey()), () -> "merged export has " + file.getKey() + ": " +
                mergedFiles.keySet());
            assertArrayEquals(file.getValue(), mergedFiles.get(file.getKey()), file.getKey());
        }
        final long clampDocuments = mergedFiles.keySet().stream()
            .filter(name -> name.startsWith("build/telemetry/clamp_run_")).count();
        assertEquals(WORLD_SIZE, clampDocuments, () -> "a Clamp document per rank's session: " + mergedFiles.keySet());
        assertEquals(expected.size() + clampDocuments + 1, mergedFiles.size(),
            () -> "the runs' files, Clamp's documents and the export summary: " + mergedFiles.keySet());

        final JsonNode summary = new ObjectMapper().readTree(merged.resolve(SUMMARY).toFile());
        final JsonNode listed = summary.get("recordings");
        assertEquals(WORLD_SIZE, listed.size());
        for (int rank = 0; rank < WORLD_SIZE; rank++)
        {
            final JsonNode recording = listed.get(rank);
            assertEquals(recordings.get(rank).toAbsolutePath().normalize().toString(), recording.get("recording").asText());
            assertEquals(rank, recording.get("rank").asInt());
            assertEquals(WORLD_SIZE, recording.get("world_size").asInt());
            assertEquals(rank % 2, recording.get("local_rank").asInt());
            assertEquals("node-" + rank / 2, recording.get("host").asText());
        }
        assertEquals(records, summary.get("records").asLong());

        final Path again = temp.resolve("again");
        RecordingExport.export(List.of(recordings.get(0), recordings.get(1), recordings.get(2)), again, 1, r -> {});
        final Map<String, byte[]> againFiles = ExportedFiles.read(again);
        assertEquals(mergedFiles.keySet(), againFiles.keySet());
        for (final Map.Entry<String, byte[]> file : mergedFiles.entrySet())
        {
            assertArrayEquals(file.getValue(), againFiles.get(file.getKey()), () -> file.getKey() + " depends on the " +
                "order the recordings were given in");
        }
    }

    @Test
    void shouldWarnWhenTheRecordingsAreNotTheWholeJobAndRefuseOneGivenTwice() throws IOException
    {
        final Path out = temp.resolve("part");
        final CommandRun part = CommandRun.of("export", "--recording", recordings.get(2).toString(),
            recordings.get(0).toString(), "--out", out.toString());
        assertEquals(0, part.exit(), part::err);
        assertTrue(part.err().contains("warning: the job has 3 ranks; no recording of rank [1] was given: this " +
            "export is part of the job"), part::err);
        assertTrue(Files.exists(out.resolve("gradience")), part::out);

        final CommandRun twice = CommandRun.of("export", "--recording", recordings.get(0).toString(),
            recordings.get(0).resolve("..").resolve("rank-0").toString(), "--out", temp.resolve("twice").toString());
        assertEquals(1, twice.exit(), twice::err);
        assertTrue(twice.err().contains("given twice"), twice::err);
        assertTrue(!Files.exists(temp.resolve("twice").resolve(SUMMARY)), "nothing is exported");

        final CommandRun follow = CommandRun.of("export", "--follow", "--recording", recordings.get(0).toString(),
            recordings.get(1).toString(), "--out", temp.resolve("follow").toString());
        assertEquals(64, follow.exit(), follow::err);
        assertTrue(follow.err().contains("--follow takes one --recording, was given 2"), follow::err);
    }
}
