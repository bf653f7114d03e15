package io.blackbox.exporter.gradience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.family.DemoWorkload;
import io.blackbox.recorder.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo writes what a real Gradience run writes, as far as the original tools read it: a {@code task_profile}
 * they know, and a LoRA audit with the parameter count and the 90th percentile of the energy rank their summary
 * prints (samples/README.md).
 */
class GradienceDemoRunTest
{
    /** The original monitor's task profiles; anything else reads as {@code unknown}. */
    private static final Set<String> KNOWN_PROFILES = Set.of("easy_classification", "hard_reasoning", "generation",
        "unknown");

    @TempDir
    Path temp;

    @Test
    void shouldWriteWhatTheOriginalToolsRead() throws IOException
    {
        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(recording)))
        {
            for (int index = 0; index < 3; index++) // ranks 8, 16 and 32
            {
                final DemoWorkload.DemoRun run =
                    new GradienceDemoRun(recorder, index, new DemoWorkload.Settings(400, 7, 50, 0));
                run.run();
                assertFalse(run.notRecorded());
            }
        }
        RecordingExport.export(recording, temp.resolve("export"));

        final ObjectMapper json = new ObjectMapper();
        final List<Path> files;
        try (Stream<Path> listed = Files.list(temp.resolve("export").resolve("gradience")))
        {
            files = listed.sorted().toList();
        }
        assertEquals(3, files.size());
        for (final Path file : files)
        {
            final List<JsonNode> lines = new ArrayList<>();
            for (final String line : Files.readAllLines(file))
            {
                lines.add(json.readTree(line));
            }
            final JsonNode config = lines.get(0).get("config");
            assertTrue(KNOWN_PROFILES.contains(config.get("task_profile").asText()), config.toString());
            final int r = config.get("lora").get("r").asInt();
            final int modules = config.get("lora").get("target_modules").size();

            final List<JsonNode> audits = lines.stream()
                .filter(line -> "metrics".equals(line.get("event").asText()))
                .filter(line -> "lora_audit".equals(line.get("kind").asText()))
                .map(line -> line.get("metrics")).toList();
            assertFalse(audits.isEmpty(), file.toString());
            for (final JsonNode audit : audits)
            {
                // Llama-3.2-1B: 16 layers; q and o are 2048x2048, k and v 2048x512; LoRA adds r x (in + out) each.
                assertEquals(16L * r * (4096 + 2560 + 2560 + 4096), audit.get("total_lora_params").asLong(),
                    "r=" + r);
                assertEquals(16 * modules, audit.get("n_layers").asInt());
                final int p50 = audit.get("energy_rank_90_p50").asInt();
                final int p90 = audit.get("energy_rank_90_p90").asInt();
                assertTrue(p50 <= p90 && p90 <= r, "p50=" + p50 + " p90=" + p90 + " r=" + r);
            }
        }
    }
}
