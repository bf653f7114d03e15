package io.blackbox.tests.agent;

import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.agent.AgentValidator;
import io.blackbox.exporter.agent.AgentWire;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.SteppingEpochNanoClock;
import io.blackbox.recorder.agent.AgentEmitter;
import io.blackbox.recorder.agent.AgentVerdict;
import io.blackbox.tests.GoldenFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fixed agent scenario recorded with a deterministic clock exports to the same bytes every time: every core event
 * and a custom one, a redacted argument, the spec's own run id (a {@code /}: a subfolder), and a run id that tries to
 * leave the export root (encoded, inside it). The golden file was written by this version and checked by hand against
 * the spec; to regenerate after an intended change: see {@link GoldenFiles}.
 */
class AgentGoldenExportTest
{
    static final String RUN_ID = "2025-10-06T12-30-00Z/refactor-config-loader";

    @TempDir
    Path temp;

    @Test
    void shouldExportFixedScenarioByteForByte() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final SteppingEpochNanoClock clock = new SteppingEpochNanoClock(1_759_754_096_789_000_000L, 1_250_000L);
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(recording).clock(clock)))
        {
            final AgentEmitter planner = recorder.emitter(AgentEmitter::new, RUN_ID).source("planner")
                .tags(Map.of("agent", "default", "environment", "workstation", "task", "refactor-config-loader"));
            planner.planGenerated(2, 5, 0.61, List.of("user_goal", "memory_context"));
            planner.planStepStarted(2, 0, "editor", "open the loader");
            planner.planStepCompleted(2, 0, 812.5, "loader opened", "succeeded");
            final AgentEmitter executor = recorder.emitter(AgentEmitter::new, RUN_ID).source("executor")
                .tags(Map.of("environment", "workstation"));
            executor.commandStarted(2, "git", List.of("push", "--token=secret-value", "origin"));
            executor.commandCompleted(2, "git", 0, "ok\n".getBytes(StandardCharsets.UTF_8), new byte[0]);
            executor.executorError(2, "TimeoutError", "push timed out", true);
            final AgentEmitter reviewer = recorder.emitter(AgentEmitter::new, RUN_ID).source("reviewer");
            reviewer.feedbackGenerated(2, -0.05, List.of("tests missing"), List.of("no test for the loader"));
            reviewer.decision(2, AgentVerdict.REVISE);
            final AgentEmitter optimizer = recorder.emitter(AgentEmitter::new, RUN_ID).source("optimizer");
            optimizer.profileSelected(3, "rocm-6.4/mi300x", "throughput");
            optimizer.benchmarkCompleted(3, 1520.25, 38.5);
            optimizer.custom(3, "memory.compacted", Map.of("entries", 120));
            recorder.emitter(AgentEmitter::new, "../../escape").decision(1, AgentVerdict.ABORT);

            assertThrows(IllegalArgumentException.class, () -> planner.custom(1, "NotNamespaced", Map.of()));
            assertThrows(IllegalArgumentException.class, () -> planner.custom(1, "review.decision", Map.of()));
            assertThrows(IllegalArgumentException.class, () -> planner.decision(0, AgentVerdict.ACCEPT));
        }
        final Path root = temp.resolve("export");
        final RecordingExport.Result result = RecordingExport.export(recording, root);
        assertEquals(List.of(), result.damage());

        final Path file = root.resolve(AgentWire.DIRECTORY).resolve(RUN_ID + ".jsonl");
        assertTrue(Files.isRegularFile(file), "the spec's run id is a folder and a file: " + result.files());
        GoldenFiles.assertMatches("/golden/agent/refactor-config-loader.jsonl", Files.readAllBytes(file));
        assertEquals(List.of(), new AgentValidator().validate(file));
        for (final FamilyExport.ExportedFile exported : result.files().get(AgentWire.FAMILY))
        {
            assertTrue(exported.path().normalize().startsWith(root.resolve(AgentWire.DIRECTORY).normalize()),
                () -> exported + " inside the export");
        }
        assertEquals(2, result.files().get(AgentWire.FAMILY).size());
    }
}
