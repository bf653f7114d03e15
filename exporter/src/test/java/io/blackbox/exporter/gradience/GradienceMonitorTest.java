package io.blackbox.exporter.gradience;

import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.gradience.GradienceMonitor.GapReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.blackbox.exporter.gradience.GradienceValidatorTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradienceMonitorTest
{
    @TempDir
    Path dir;

    @Test
    void shouldAlertOnTheGoldenFixtureAtTheDefaultThreshold() throws IOException
    {
        final GradienceMonitor monitor = monitorFile(GradienceSamples.copy(GradienceSamples.MINIMAL, dir), 1.5);

        assertEquals(List.of(new GapReport("test_run_001", 2.0, 10L, 3.0, 10L, 1.5, 1.5, true)), monitor.reports());
    }

    @Test
    void shouldNotAlertOnTheGoldenFixtureBelowAHigherThreshold() throws IOException
    {
        final GradienceMonitor monitor = monitorFile(GradienceSamples.copy(GradienceSamples.MINIMAL, dir), 1.6);

        final GapReport report = monitor.report("test_run_001");
        assertEquals(1.5, report.gap());
        assertFalse(report.alert());
    }

    @Test
    void shouldUseTheDefaultThresholdOf1Point5()
    {
        assertEquals(1.5, new GradienceMonitor().threshold());
    }

    @Test
    void shouldReportNoGapWithoutATestEval() throws IOException
    {
        final GradienceMonitor monitor = monitorFile(GradienceSamples.copy(GradienceSamples.RUN, dir), 1.5);

        assertEquals(List.of(new GapReport("fbbeb25f-02c0-4aa5-a7eb-5a9884cbcb51", null, null, null, null, null,
            1.5, false)), monitor.reports());
    }

    @Test
    void shouldUseTheLastEvalOfEachSplit() throws IOException
    {
        final GradienceMonitor monitor = new GradienceMonitor();
        monitor.onRecord(json(record("eval", "1", "\"split\":\"train\",\"metrics\":{\"ppl\":4.0}")));
        monitor.onRecord(json(record("eval", "2", "\"split\":\"train\",\"metrics\":{\"ppl\":2.0}")));
        monitor.onRecord(json(record("eval", "4", "\"split\":\"test\",\"metrics\":{\"ppl\":5.0}")));
        monitor.onRecord(json(record("eval", "5", "\"split\":\"test\",\"metrics\":{\"ppl\":2.5}")));
        monitor.onRecord(json(record("eval", "6", "\"split\":\"val\",\"metrics\":{\"ppl\":100.0}")));

        assertEquals(new GapReport("r1", 2.0, 2L, 2.5, 5L, 1.25, 1.5, false), monitor.report("r1"));
    }

    @Test
    void shouldGiveNoGapWhenTheLastEvalOfASplitHasNoPplAsTheOriginalDoes() throws IOException
    {
        final GradienceMonitor monitor = new GradienceMonitor();
        monitor.onRecord(json(record("eval", "2", "\"split\":\"train\",\"metrics\":{\"ppl\":2.0}")));
        monitor.onRecord(json(record("eval", "3", "\"split\":\"train\",\"metrics\":{\"loss\":0.1}")));
        monitor.onRecord(json(record("eval", "5", "\"split\":\"test\",\"metrics\":{\"ppl\":9.0}")));

        assertEquals(new GapReport("r1", null, 3L, 9.0, 5L, null, 1.5, false), monitor.report("r1"),
            "the step-2 perplexity does not stand in for the last train eval's");
        assertEquals("run \"r1\": train ppl n/a (step 3), test ppl 9.0 (step 5), gap n/a (threshold 1.5)",
            GradienceGapMonitor.describe(monitor.report("r1")));
    }

    @Test
    void shouldCompareAndPrintTheGapAsTheDoubleItIs() throws IOException
    {
        final GradienceMonitor monitor = new GradienceMonitor();
        // 0.3 / 0.2 is 1.4999999999999998 in binary floating point: below 1.5, so no alert, and said so.
        monitor.onRecord(json(record("eval", "1", "\"split\":\"train\",\"metrics\":{\"ppl\":0.2}")));
        monitor.onRecord(json(record("eval", "1", "\"split\":\"test\",\"metrics\":{\"ppl\":0.3}")));

        final GapReport report = monitor.report("r1");
        assertFalse(report.alert());
        assertEquals("run \"r1\": train ppl 0.2 (step 1), test ppl 0.3 (step 1), gap 1.4999999999999998 " +
            "(threshold 1.5)", GradienceGapMonitor.describe(report));
    }

    @Test
    void shouldKeepRunsApartInOrderOfAppearance() throws IOException
    {
        final GradienceMonitor monitor = new GradienceMonitor();
        monitor.onRecord(json(record("run_start", "null", "\"config\":{}").replace("\"r1\"", "\"b\"")));
        monitor.onRecord(json(record("eval", "1", "\"split\":\"train\",\"metrics\":{\"ppl\":1.0}")));
        monitor.onRecord(json(record("eval", "1", "\"split\":\"test\",\"metrics\":{\"ppl\":9.0}")
            .replace("\"r1\"", "\"b\"")));

        final List<String> runIds = new ArrayList<>();
        monitor.reports().forEach(report -> runIds.add(report.runId()));
        assertEquals(List.of("b", "r1"), runIds);
        assertEquals(9.0, monitor.report("b").testPpl());
        assertNull(monitor.report("b").gap());
    }

    @Test
    void shouldGiveNoGapForANonPositiveTrainPpl() throws IOException
    {
        final GradienceMonitor monitor = new GradienceMonitor();
        monitor.onRecord(json(record("eval", "1", "\"split\":\"train\",\"metrics\":{\"ppl\":0}")));
        monitor.onRecord(json(record("eval", "1", "\"split\":\"test\",\"metrics\":{\"ppl\":3.0}")));

        final GapReport report = monitor.report("r1");
        assertEquals(0.0, report.trainPpl());
        assertNull(report.gap());
        assertFalse(report.alert());
    }

    @Test
    void shouldAlertOnAnInfiniteTestPpl() throws IOException
    {
        final GradienceMonitor monitor = new GradienceMonitor();
        monitor.onRecord(json(record("eval", "1", "\"split\":\"train\",\"metrics\":{\"ppl\":2.0}")));
        monitor.onRecord(json(record("eval", "null", "\"split\":\"test\",\"metrics\":{\"ppl\":Infinity}")));

        final GapReport report = monitor.report("r1");
        assertEquals(Double.POSITIVE_INFINITY, report.gap());
        assertNull(report.testStep());
        assertTrue(report.alert());
    }

    @Test
    void shouldIgnoreOddRecordsWithoutFailing() throws IOException
    {
        final GradienceMonitor monitor = new GradienceMonitor();
        monitor.onRecord(null);
        monitor.onRecord(json("[1,2]"));
        monitor.onRecord(json("{\"run_id\":5,\"event\":\"eval\"}"));
        monitor.onRecord(json("{\"run_id\":\"x\",\"event\":\"eval\",\"split\":\"train\",\"metrics\":[1]}"));
        monitor.onRecord(json("{\"run_id\":\"x\",\"event\":\"eval\",\"split\":7,\"metrics\":{\"ppl\":1}}"));
        monitor.onRecord(json("{\"run_id\":\"x\",\"event\":\"eval\",\"split\":\"test\",\"metrics\":{\"ppl\":\"3\"}}"));
        monitor.onRecord(json("{\"run_id\":\"x\",\"event\":\"eval\",\"split\":\"train\",\"step\":\"s\"," +
            "\"metrics\":{\"ppl\":true}}"));

        assertEquals(List.of(new GapReport("x", null, null, null, null, null, 1.5, false)), monitor.reports());
    }

    @Test
    void shouldBuildTheAlertMessageAndContext() throws IOException
    {
        final GapReport report = monitorFile(GradienceSamples.copy(GradienceSamples.MINIMAL, dir), 1.5).report("test_run_001");

        assertEquals("generalization gap 1.500 (test ppl 3.0 / train ppl 2.0) is at or above the threshold 1.5",
            report.alertMessage());
        final Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("gap", 1.5);
        expected.put("train_ppl", 2.0);
        expected.put("test_ppl", 3.0);
        expected.put("threshold", 1.5);
        expected.put("train_step", 10L);
        expected.put("test_step", 10L);
        assertEquals(expected, report.alertContext());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(report.alertContext().keySet()));
    }

    @Test
    void shouldRefuseAnAlertWithoutAGap()
    {
        final GapReport report = new GapReport("r", 2.0, 1L, null, null, null, 1.5, false);

        assertThrows(IllegalStateException.class, report::alertMessage);
    }

    @Test
    void shouldRejectAThresholdThatIsNotAPositiveNumber()
    {
        assertThrows(IllegalArgumentException.class, () -> new GradienceMonitor(0.0));
        assertThrows(IllegalArgumentException.class, () -> new GradienceMonitor(-1.0));
        assertThrows(IllegalArgumentException.class, () -> new GradienceMonitor(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new GradienceMonitor(Double.POSITIVE_INFINITY));
    }

    private static GradienceMonitor monitorFile(final Path file, final double threshold)
    {
        final GradienceMonitor monitor = new GradienceMonitor(threshold);
        final List<Object> problems = new ArrayList<>();
        JsonLinesReader.read(file, (line, record) -> monitor.onRecord(record), problems::add);
        assertEquals(List.of(), problems);

        return monitor;
    }

    private static JsonNode json(final String text) throws IOException
    {
        return JsonLinesReader.MAPPER.readTree(text);
    }
}
