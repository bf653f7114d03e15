package io.blackbox.tests.gradience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.gradience.GradienceImporter;
import io.blackbox.exporter.gradience.GradienceSamples;
import io.blackbox.recorder.Recorder;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Import of the original projects' files, then export, gives back the same records: same keys, same values
 * (numbers by value: a float written {@code 6.25e-05} comes back as {@code 6.25E-5}), extra keys kept.
 */
class GradienceRoundTripTest
{
    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = { GradienceSamples.RUN, GradienceSamples.MINIMAL })
    void shouldExportTheSameRecordsAsImported(final String sample) throws Exception
    {
        final Path input = GradienceSamples.copy(sample, temp);
        final List<ObjectNode> expected = TestRecordings.readJsonl(input);
        assertEquals(List.of(), GradienceImporter.check(input));

        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(recording))
        {
            assertEquals(expected.size(), new GradienceImporter(recorder).importFile(input));
        }
        final Path export = temp.resolve("export");
        RecordingExport.export(recording, export);

        final Map<String, List<ObjectNode>> byRun = new LinkedHashMap<>();
        for (final ObjectNode record : expected)
        {
            byRun.computeIfAbsent(record.get("run_id").textValue(), k -> new java.util.ArrayList<>()).add(record);
        }
        for (final Map.Entry<String, List<ObjectNode>> run : byRun.entrySet())
        {
            final List<ObjectNode> actual = TestRecordings.readJsonl(export.resolve("gradience").resolve(run.getKey() + ".jsonl"));
            assertEquals(run.getValue().size(), actual.size(), "records of run " + run.getKey());
            for (int i = 0; i < actual.size(); i++)
            {
                assertNull(TestRecordings.difference(run.getValue().get(i), actual.get(i), "line " + (i + 1)),
                    () -> "expected " + run.getValue() + "\nactual " + actual);
            }
        }
    }

    @Test
    void shouldKeepExtraKeysOfEveryShape() throws Exception
    {
        final Path input = temp.resolve("extras.jsonl");
        Files.writeString(input, String.join("\n",
            "{\"schema\":\"gradience.vnext.telemetry/v1\",\"ts\":1.5,\"run_id\":\"r\",\"event\":\"run_start\",\"step\":null," +
                "\"config\":{\"a\":[1,2.5,null,true,\"x\"]},\"host\":\"gpu-7\",\"rank\":3}",
            "{\"schema\":\"gradience.vnext.telemetry/v1\",\"ts\":2,\"run_id\":\"r\",\"event\":\"train_step\",\"step\":1," +
                "\"loss\":NaN,\"lr\":[0.1,0.2],\"tokens\":123456789012,\"epoch\":0.5,\"phase\":\"warmup\",\"flags\":{\"a\":1},\"big\":123456789012345678901234567890}",
            "{\"schema\":\"gradience.vnext.telemetry/v1\",\"ts\":3.25,\"run_id\":\"r\",\"event\":\"eval\",\"step\":1," +
                "\"split\":\"val\",\"metrics\":{\"n\":7,\"bleu\":0.3,\"count\":12,\"label\":\"x\",\"hist\":[1,2]},\"note\":\"n\"}",
            "{\"schema\":\"gradience.vnext.telemetry/v1\",\"ts\":4,\"run_id\":\"r\",\"event\":\"run_end\",\"step\":1,\"status\":\"error\",\"reason\":\"\"}",
            ""));
        final List<ObjectNode> expected = TestRecordings.readJsonl(input);
        assertEquals(List.of(), GradienceImporter.check(input));
        try (Recorder recorder = Recorder.open(temp.resolve("recording")))
        {
            new GradienceImporter(recorder).importFile(input);
        }
        RecordingExport.export(temp.resolve("recording"), temp.resolve("export"));

        final List<ObjectNode> actual = TestRecordings.readJsonl(temp.resolve("export/gradience/r.jsonl"));
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < actual.size(); i++)
        {
            assertNull(TestRecordings.difference(expected.get(i), actual.get(i), "line " + (i + 1)), actual.get(i).toString());
        }
        assertTrue(actual.get(1).get("loss").isDouble() && Double.isNaN(actual.get(1).get("loss").doubleValue()));
    }
}
