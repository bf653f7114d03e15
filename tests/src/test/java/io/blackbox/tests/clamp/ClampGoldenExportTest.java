package io.blackbox.tests.clamp;

import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.clamp.ClampAggregator;
import io.blackbox.exporter.clamp.ClampSessionFile;
import io.blackbox.exporter.clamp.ClampWire;
import io.blackbox.jni.NativeSupport;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.SteppingEpochNanoClock;
import io.blackbox.recorder.clamp.ClampAnchor;
import io.blackbox.recorder.clamp.ClampEmitter;
import io.blackbox.tests.GoldenFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fixed Clamp scenario recorded with a deterministic clock and seed source exports to the same session file every
 * time: anchors in two runs, one nested in another, scores set and not, an anchor still held when the recorder
 * closed (in flight), and a second recorder session in the same second (its own file, {@code _2}). The thread id is
 * the OS's, which differs from run to run: it is checked to be this thread's and replaced by {@code TID} before the
 * comparison; and the aggregator's summary of the two files. The golden files were written by this version and
 * checked by hand against the spec; to regenerate after an intended change: see {@link GoldenFiles}.
 */
class ClampGoldenExportTest
{
    private static final long START = 1_764_547_200_000_000_000L; // 2025-12-01T00:00:00Z

    @TempDir
    Path temp;

    @Test
    void shouldExportFixedScenarioByteForByte() throws Exception
    {
        final Path recording = temp.resolve("recording");
        record(recording, START);
        record(recording, START + 500_000_000L);
        final RecordingExport.Result result = RecordingExport.export(recording, temp.resolve("export"));
        assertEquals(List.of(), result.damage());
        final List<FamilyExport.ExportedFile> files = result.files().get(ClampWire.FAMILY);
        assertEquals(List.of("clamp_run_20251201T000000Z.json", "clamp_run_20251201T000000Z_2.json"),
            files.stream().map(f -> f.path().getFileName().toString()).toList());

        final String tid = Long.toString(NativeSupport.hostThreadId());
        for (final FamilyExport.ExportedFile file : files)
        {
            assertEquals(List.of(), ClampSessionFile.read(file.path()).problems(), file::toString);
            final String text = Files.readString(file.path());
            assertTrue(text.contains("\"thread_id\": \"" + tid + "\""), text);
            GoldenFiles.assertMatches("/golden/clamp/" + file.path().getFileName(),
                text.replace("\"thread_id\": \"" + tid + "\"", "\"thread_id\": \"TID\"")
                    .getBytes(StandardCharsets.UTF_8));
        }

        // The two sessions' summary, as the aggregator writes it (its directory is this run's: masked).
        final Path telemetry = temp.resolve("export").resolve(ClampWire.TELEMETRY_DIRECTORY);
        final Path summary = temp.resolve("telemetry_summary.json");
        ClampAggregator.write(ClampAggregator.aggregate(telemetry, temp.resolve("no-snapshot.json")).summary(),
            summary);
        GoldenFiles.assertMatches("/golden/clamp/telemetry_summary.json", Files.readString(summary)
            .replace(telemetry.toAbsolutePath().normalize().toString(), "$DIR").getBytes(StandardCharsets.UTF_8));
    }

    private static void record(final Path recording, final long start)
    {
        final SteppingEpochNanoClock clock = new SteppingEpochNanoClock(start, 1_250_000L);
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(recording).clock(clock)))
        {
            final long[] next = { 0x9E3779B97F4A7C15L };
            final ClampEmitter.SeedSource seeds = (array, offset, count) ->
            {
                for (int i = offset; i < offset + count; i++)
                {
                    array[i] = next[0] += 0x632BE59BD9B4E019L;
                }
            };
            final ClampEmitter gpu = recorder.emitter(ClampEmitter::new, "gpu-0").seedSource(seeds);
            final ClampEmitter io = recorder.emitter(ClampEmitter::new, "io").seedSource(seeds);
            try (ClampAnchor launch = gpu.lock("kernel-launch"))
            {
                try (ClampAnchor inner = gpu.lock(gpu.symbol("allreduce")))
                {
                    inner.stability(0.75);
                }
            }
            try (ClampAnchor checkpoint = io.lock("checkpoint"))
            {
                checkpoint.stability(0.0);
            }
            gpu.lock("held-when-the-recorder-closed"); // never released: exported in flight
        }
    }
}
