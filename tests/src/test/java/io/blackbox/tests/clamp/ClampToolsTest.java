package io.blackbox.tests.clamp;

import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Samples;
import io.blackbox.exporter.clamp.ClampRecordValue;
import io.blackbox.exporter.clamp.ClampSessionFile;
import io.blackbox.exporter.clamp.ClampWire;
import io.blackbox.tests.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code blackbox clamp aggregate} and {@code blackbox clamp align} through the real command line: the original's
 * sample tree aggregates to the numbers the original gives (3 records, mean 0.8, sample variance 0.04, no drift: its
 * records have no times), its bad file and record named and skipped; session files with times give the drift and the
 * variance worked out by hand; align moves a file's earliest acquisition to the reference and never writes in place.
 */
class ClampToolsTest
{
    private static final long T0 = 1_735_689_600_000_000_000L; // 2025-01-01T00:00:00Z

    @TempDir
    Path temp;

    private Path sampleTree() throws Exception
    {
        Files.createDirectories(temp.resolve("build/telemetry"));
        for (final String name : List.of("build/telemetry/session_a.json", "build/telemetry/session_b.json",
            "build/telemetry/session_bad.json", "build/rocm_snapshot.json"))
        {
            Samples.copy(ClampWire.FAMILY, name, temp);
        }
        return temp.resolve("build/telemetry");
    }

    @Test
    void shouldAggregateTheOriginalsSamplesToItsNumbers() throws Exception
    {
        final Path telemetry = sampleTree();

        final CommandRun run = CommandRun.of("clamp", "aggregate", telemetry.toString());

        assertEquals(2, run.exit(), run::toString);
        assertEquals(List.of(
            telemetry.resolve("session_b.json") + ":2: stability_score: missing, record skipped",
            telemetry.resolve("session_bad.json") + ":1: stability_score: not a number: \"oops\", record skipped"),
            run.out().lines().filter(line -> line.contains("skipped")).filter(line -> !line.contains("mean_stability"))
                .toList());
        final JsonNode summary = JsonLinesReader.MAPPER.readTree(
            Files.readString(temp.resolve("build/telemetry_summary.json")));
        assertEquals(telemetry.toAbsolutePath().normalize().toString(), summary.get("source_directory").asText());
        assertEquals(3, summary.get("session_count").intValue());
        assertTrue(Files.readString(temp.resolve("build/telemetry_summary.json")).contains("\"mean_stability\" : " +
            "0.800000,"), "six decimals");
        assertEquals(0.04, summary.get("stability_variance").doubleValue(), 1e-15);
        assertEquals(0.0, summary.get("drift_index").doubleValue());
        assertEquals(JsonLinesReader.MAPPER.readTree(Files.readString(temp.resolve("build/rocm_snapshot.json"))),
            summary.get("build_info"));
        for (final String[] names : new String[][] { { "source_directory", "sourceDirectory" },
            { "session_count", "sessionCount" }, { "mean_stability", "meanStability" },
            { "stability_variance", "stabilityVariance" }, { "drift_index", "driftIndex" },
            { "build_info", "buildInfo" } })
        {
            assertEquals(summary.get(names[0]), summary.get(names[1]), names[1]);
        }
    }

    @Test
    void shouldGiveTheDriftAndVarianceOfSessionsWithTimes() throws Exception
    {
        final Path telemetry = Files.createDirectories(temp.resolve("telemetry"));
        ClampSessionFile.write(telemetry.resolve("clamp_run_20250101T000000Z.json"), List.of(
            new ClampRecordValue("a", 1, "7", T0 + 250_000_000L, T0 + 260_000_000L, 10.0, 1.0),
            new ClampRecordValue("b", 2, "7", T0, T0 + 5_000_000L, 5.0, 0.5)));
        ClampSessionFile.write(telemetry.resolve("clamp_run_20250101T000001Z.json"), List.of(
            new ClampRecordValue("c", 3, "8", T0 + 1_750_500_000L, null, 0.0, 0.0)));
        final Path out = temp.resolve("summary.json");

        final CommandRun run = CommandRun.of("clamp", "aggregate", telemetry.toString(), "--out", out.toString(),
            "--snapshot", temp.resolve("none.json").toString());

        assertEquals(2, run.exit(), "the missing snapshot is reported: " + run);
        final JsonNode summary = JsonLinesReader.MAPPER.readTree(Files.readString(out));
        assertEquals(3, summary.get("session_count").intValue());
        assertEquals(0.5, summary.get("mean_stability").doubleValue());
        // Scores 1.0, 0.5, 0.0: squares of deviations 0.25 + 0 + 0.25 over n - 1 = 2.
        assertEquals(0.25, summary.get("stability_variance").doubleValue(), 1e-15);
        assertEquals(1750.5, summary.get("drift_index").doubleValue(), "latest minus earliest acquired_at, ms");
        assertTrue(summary.get("build_info").isNull());
    }

    @Test
    void shouldAlignAFileToTheReferenceIntoANewFileOnly() throws Exception
    {
        final Path file = temp.resolve("clamp_run_20250101T000000Z.json");
        ClampSessionFile.write(file, List.of(
            new ClampRecordValue("a", 1, "7", T0 + 250_000_000L, T0 + 260_000_000L, 10.0, 1.0),
            new ClampRecordValue("b", 2, "7", T0 + 100_000_000L, null, 0.0, 0.0)));
        final String before = Files.readString(file);

        final CommandRun run = CommandRun.of("clamp", "align", "--reference", "2026-06-01T00:00:00Z", file.toString());

        assertEquals(0, run.exit(), run::toString);
        assertEquals(before, Files.readString(file), "never in place");
        final List<ClampRecordValue> aligned = ClampSessionFile.read(
            temp.resolve("clamp_run_20250101T000000Z.aligned.json")).records();
        assertEquals("2026-06-01T00:00:00.150Z", ClampWire.formatTime(aligned.get(0).acquiredAt()));
        assertEquals("2026-06-01T00:00:00.160Z", ClampWire.formatTime(aligned.get(0).releasedAt()));
        assertEquals("2026-06-01T00:00:00Z", ClampWire.formatTime(aligned.get(1).acquiredAt()), "the earliest");
        assertEquals(null, aligned.get(1).releasedAt(), "in flight stays in flight");

        final CommandRun inPlace = CommandRun.of("clamp", "align", "--reference", "2026-06-01T00:00:00Z",
            "--out", temp.toString(), file.toString());
        assertEquals(1, inPlace.exit(), inPlace::toString);
        assertTrue(inPlace.err().contains("align never writes in place"), inPlace::toString);
        assertEquals(before, Files.readString(file));
    }
}
