package io.blackbox.tests.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blackbox.exporter.RecordingExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code blackbox demo --ranks 2} from the packaged jar: two recording processes, the ranks of one job, each its own
 * recording, exported as one. Every file validates, the summary lists both ranks, and the run ids both ranks used
 * (the agent workload's are fixed) are kept in files of their own.
 */
class DemoRanksTest
{
    @TempDir
    Path temp;

    @Test
    void shouldRecordEachRankInItsOwnProcessAndExportThemMerged() throws Exception
    {
        final Path out = temp.resolve("demo");
        final Path stdout = temp.resolve("stdout.txt");
        final Path stderr = temp.resolve("stderr.txt");
        final Process process = BlackboxJar.command(Files.createDirectory(temp.resolve("home")), temp, "demo",
                "--ranks", "2", "--steps", "2000", "--threads", "1", "--out", out.toString())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
        process.getOutputStream().close();
        // A guard against a hung child only, not a performance check.
        if (!process.waitFor(5, TimeUnit.MINUTES))
        {
            process.destroyForcibly().waitFor();
            fail("blackbox demo --ranks 2 did not finish");
        }
        final List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
        final String output = String.join("\n", lines) + "\n--- stderr\n" + Files.readString(stderr);
        assertEquals(0, process.exitValue(), output);

        for (int rank = 0; rank < 2; rank++)
        {
            final String mark = "rank " + rank + " ";
            assertTrue(lines.stream().anyMatch(line -> line.startsWith(mark) && line.contains("recorded ")), output);
            assertTrue(Files.isDirectory(out.resolve("ranks").resolve("rank-" + rank).resolve("queue")), output);
        }
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("exported ") &&
            line.endsWith("(2 recordings merged)")), output);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("validated ") && line.endsWith("no problems")), output);
        assertTrue(Files.isRegularFile(out.resolve("report.html")), output);

        final JsonNode summary = new ObjectMapper().readTree(out.resolve("export").resolve(RecordingExport.SUMMARY_FILE)
            .toFile());
        final JsonNode recordings = summary.get("recordings");
        assertEquals(2, recordings.size(), summary::toString);
        for (int rank = 0; rank < 2; rank++)
        {
            assertEquals(rank, recordings.get(rank).get("rank").asInt(), summary::toString);
            assertEquals(2, recordings.get(rank).get("world_size").asInt(), summary::toString);
        }
        assertEquals(0, summary.get("damage_count").asLong(), summary::toString);
        assertEquals(0, summary.get("warnings").size(), summary::toString);

        final Path agent = out.resolve("export/logs/telemetry/2025-10-06T12-30-00Z");
        assertTrue(Files.isRegularFile(agent.resolve("demo-agent-0.jsonl")), output);
        assertTrue(Files.isRegularFile(agent.resolve("demo-agent-0.rank-1.jsonl")), output);
    }
}
