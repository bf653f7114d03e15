package io.blackbox.tests.gradience;

import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.gradience.GradienceValidator;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.SteppingEpochNanoClock;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.GoldenFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A fixed scenario recorded with a deterministic clock exports to the same bytes every time. The golden file was
 * written by this version and checked by hand against the spec; a change to the export format fails here.
 * To regenerate after an intended change: see {@link GoldenFiles}.
 */
public class GradienceGoldenExportTest
{
    public static final String RUN_ID = "3f2b8c1e-5a4d-4e6f-9b7a-0c1d2e3f4a5b";
    private static final String GOLDEN = "/golden/gradience/" + RUN_ID + ".jsonl";

    @TempDir
    Path temp;

    @Test
    void shouldExportFixedScenarioByteForByte() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final Path export = temp.resolve("export");
        recordScenario(recording);

        RecordingExport.export(recording, export);
        final Path exported = export.resolve("gradience").resolve(RUN_ID + ".jsonl");
        final byte[] actual = Files.readAllBytes(exported);

        GoldenFiles.assertMatches(GOLDEN, actual);
        assertEquals(List.of(), new GradienceValidator().validate(exported));
    }

    @Test
    void shouldExportSameBytesFromTwoRecordingsOfTheSameScenario() throws Exception
    {
        recordScenario(temp.resolve("a"));
        recordScenario(temp.resolve("b"));
        RecordingExport.export(temp.resolve("a"), temp.resolve("export-a"));
        RecordingExport.export(temp.resolve("b"), temp.resolve("export-b"));

        assertArrayEquals(
            Files.readAllBytes(temp.resolve("export-a/gradience/" + RUN_ID + ".jsonl")),
            Files.readAllBytes(temp.resolve("export-b/gradience/" + RUN_ID + ".jsonl")));
    }

    /**
     * Every event, every optional field present and absent, per-group learning rates, extra metrics, null steps.
     * Also the scenario of {@code CommandOutputGoldenTest}.
     */
    public static void recordScenario(final Path directory)
    {
        final SteppingEpochNanoClock clock = new SteppingEpochNanoClock(1_768_253_565_118_277_000L, 250_000_001L);
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).clock(clock)))
        {
            final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, RUN_ID);
            final Map<String, Object> optimizer = new LinkedHashMap<>();
            optimizer.put("name", "AdamW");
            optimizer.put("lr", 5e-5);
            optimizer.put("betas", List.of(0.9, 0.999));
            optimizer.put("eps", 1e-8);
            final Map<String, Object> config = new LinkedHashMap<>();
            config.put("model_name", "toy-model");
            config.put("dataset_name", null);
            config.put("optimizer", optimizer);
            config.put("lora", Map.of("r", 8));
            run.runStart(config, Map.of("fixture", true));

            final int gradNorm = run.symbol("grad_norm");
            final int tokens = run.symbol("tokens");
            run.trainStep(1, 1.234, 5e-5);
            run.trainStep(2, 1.1, new double[]{ 5e-5, 1e-4 });
            run.trainStep(3).loss(1.0).lr(4e-5).metric(gradNorm, 0.5).metric(tokens, 4096L).commit();
            run.trainStep(4).commit();
            run.trainStep(GradienceEmitter.NO_STEP).loss(Double.NaN).commit();

            final int train = run.symbol("train");
            run.eval(10, train, 2.0, 0.5, 0.693, 100);
            run.eval(10, "test").ppl(3.0).accuracy(0.4).loss(1.099).n(100).metric(run.symbol("runtime"), 1.4294).commit();
            run.eval(10, "val").loss(0.9).commit();

            run.metrics(10, "lora_audit", Map.of("stable_rank_mean", 3.5));
            final Map<String, Object> context = new LinkedHashMap<>();
            context.put("gap", 1.5);
            context.put("threshold", 1.5);
            run.alert(10, GradienceSeverity.WARNING, "memorization_gap", "gap 1.500 >= 1.5", context);
            run.alert(GradienceEmitter.NO_STEP, GradienceSeverity.INFO, "note", "no context", null);
            final Map<String, Object> recommendation = new LinkedHashMap<>();
            recommendation.put("severity", "warning");
            recommendation.put("action", "reduce_rank");
            recommendation.put("message", "Halve the rank \"r\"\n(now 8).");
            recommendation.put("rationale", "gap");
            recommendation.put("confidence", 0.7);
            recommendation.put("scope", "run");
            recommendation.put("evidence", Map.of("gap", 1.5));
            run.recommendation(10, List.of(recommendation));
            run.runEnd(GradienceEmitter.NO_STEP, GradienceRunStatus.ABORTED, "stopped by the monitor");
            run.runEnd(11, GradienceRunStatus.OK, null);
        }
    }
}
