package io.blackbox.exporter.gradience;

import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.RunFileNames;
import io.blackbox.recorder.RecordWriter;
import io.blackbox.recorder.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GradienceImporter#check}: what is valid by the spec but would stop an import half-way, or change the data,
 * is a problem before anything is written.
 */
class GradienceImporterTest
{
    private static final String ENVELOPE = "\"schema\":\"gradience.vnext.telemetry/v1\",\"ts\":1.5,\"run_id\":\"r1\"";
    private static final String RUN_START = record("run_start", "null", "\"config\":{}");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = { GradienceSamples.MINIMAL, GradienceSamples.RUN })
    void shouldFindNoProblemInTheSamples(final String sample) throws IOException
    {
        final Path file = GradienceSamples.copy(sample, dir);

        assertEquals(List.of(), GradienceImporter.check(file));
    }

    /**
     * An importer holds a lane of the ring per run while it imports; closed, it gives them back, so the writers of the
     * process after it get lanes of their own rather than the shared one.
     */
    @Test
    void shouldGiveItsLanesBackWhenClosed() throws IOException
    {
        final Path file = GradienceSamples.copy(GradienceSamples.RUN, dir);
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(dir.resolve("recording")).lanes(1)))
        {
            try (GradienceImporter importer = new GradienceImporter(recorder))
            {
                assertTrue(importer.importFile(file) > 0);
                final RecordWriter during = recorder.newWriter();
                assertFalse(during.hasOwnLane(), "the importer's emitter holds the one lane");
                during.close();
            }
            final RecordWriter after = recorder.newWriter();
            assertTrue(after.hasOwnLane(), "the lane came back when the importer closed");
            after.close();
        }
    }

    @Test
    void shouldReportARecordTooLargeForTheRing() throws IOException
    {
        final String config = "\"config\":{\"x\":\"" + "y".repeat(GradienceImporter.DEFAULT_MAX_RECORD_LENGTH) + "\"}";
        final Path file = write(RUN_START, record("run_start", "null", config));

        final List<Problem> problems = GradienceImporter.check(file);

        assertEquals(1, problems.size(), problems::toString);
        assertEquals(2, problems.get(0).line());
        assertTrue(problems.get(0).message().startsWith("run_start too large to record: "), problems::toString);
    }

    @Test
    void shouldCheckAgainstTheRingOfTheRecording() throws IOException
    {
        final Path file = write(record("metrics", "1", "\"kind\":\"" + "k".repeat(8000) + "\",\"metrics\":{}"));

        assertEquals(List.of(), GradienceImporter.check(file));
        assertEquals(1, GradienceImporter.check(file, 4096).size());
    }

    @Test
    void shouldRecordEveryRecordThatTheCheckPassesAtTheLimit() throws IOException
    {
        // The largest open-shaped record the check lets through must really fit the ring.
        final int ringCapacity = 64 * 1024;
        final int maxRecordLength = ringCapacity / 8;
        String largest = null;
        for (int size = maxRecordLength - 6000; size < maxRecordLength; size += 16)
        {
            final String line = record("run_start", "null", "\"config\":{\"x\":\"" + "y".repeat(size) + "\"}");
            final Path one = write(line);
            if (GradienceImporter.check(one, maxRecordLength).isEmpty())
            {
                largest = line;
            }
        }
        assertNotNull(largest, "some size passes");
        final Path file = Files.writeString(dir.resolve("largest.jsonl"), largest + "\n");
        final Path recording = dir.resolve("recording");

        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(recording).ringCapacity(ringCapacity)))
        {
            assertEquals(maxRecordLength, recorder.maxRecordLength());
            assertEquals(1, new GradienceImporter(recorder).importFile(file));
        }
        assertEquals(1, RecordingExport.export(recording, dir.resolve("export")).records());
    }

    @Test
    void shouldReportMoreLearningRatesThanARecordHolds() throws IOException
    {
        final Path file = write(
            record("train_step", "1", "\"lr\":[" + "0.1,".repeat(253) + "0.1]"),
            record("train_step", "2", "\"lr\":[" + "0.1,".repeat(254) + "0.1]"));

        final List<Problem> problems = GradienceImporter.check(file);

        assertEquals(List.of(file + ":2: lr: 255 learning rates, more than the 254 parameter groups a train_step " +
            "records"), messages(problems));
    }

    @Test
    void shouldReportAnEvalCountOutOfRange() throws IOException
    {
        final Path file = write(record("eval", "1", "\"split\":\"test\",\"metrics\":{\"n\":9223372036854775808}"));

        assertEquals(List.of(file + ":1: metrics.n: out of the 64-bit range n is recorded in"),
            messages(GradienceImporter.check(file)));
    }

    @Test
    void shouldReportAStepOutOfRange() throws IOException
    {
        final Path file = write(record("train_step", "-9223372036854775808", ""));

        assertEquals(List.of(file + ":1: step: out of the 64-bit range a step is recorded in"),
            messages(GradienceImporter.check(file)));
    }

    @Test
    void shouldReportATimestampThatIsNotATime() throws IOException
    {
        final Path file = write(record("run_end", "null", "\"status\":\"ok\"").replace("\"ts\":1.5", "\"ts\":NaN"));

        assertEquals(List.of(file + ":1: ts: not a Unix time in seconds that fits in 64-bit nanoseconds"),
            messages(GradienceImporter.check(file)));
    }

    @Test
    void shouldReportHalfASurrogatePairInAValue() throws IOException
    {
        // Python's json writes a str holding a lone surrogate this way; UTF-8 cannot hold it.
        final Path file = write(record("metrics", "1", "\"kind\":\"k\",\"metrics\":{\"a\":[\"x\",\"\\ud800\"]}"));

        assertEquals(List.of(file + ":1: metrics.a[1]: holds half of a UTF-16 surrogate pair (U+D800 to U+DFFF " +
            "alone), which UTF-8, and so a recording, cannot hold"), messages(GradienceImporter.check(file)));
    }

    @Test
    void shouldReportHalfASurrogatePairInAKeyAsMalformed() throws IOException
    {
        // Jackson itself refuses a key with a broken pair, so only values need the importer's check.
        final Path file = write(record("train_step", "1", "\"note\\ud800\":1"));

        final List<Problem> problems = GradienceImporter.check(file);

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).toString().startsWith(file + ":1: malformed JSON at column "), problems::toString);
        assertTrue(problems.get(0).message().contains("surrogate"), problems::toString);
    }

    @Test
    void shouldReportARunIdTooLongToNameItsExportFile() throws IOException
    {
        // 41 two-byte characters: 82 bytes of UTF-8, a 246-byte file name stem once percent-encoded.
        final String runId = "\u00e9".repeat(41);
        final Path file = write(RUN_START, RUN_START.replace("\"r1\"", "\"" + runId + "\""));

        assertEquals(List.of(file + ":2: run_id: cannot be exported: run_id is too long to name a file: its file " +
            "name stem is 246 bytes, more than " + RunFileNames.MAX_STEM_LENGTH), messages(GradienceImporter.check(file)));
    }

    @Test
    void shouldAcceptAWholeSurrogatePair() throws IOException
    {
        final Path file = write(record("train_step", "1", "\"note\":\"\\ud83d\\ude00\""));

        assertEquals(List.of(), GradienceImporter.check(file));
    }

    @Test
    void shouldRefuseToImportAFileThatChangedSinceItWasChecked() throws IOException
    {
        final Path file = write(RUN_START);
        assertEquals(List.of(), GradienceImporter.check(file));
        Files.writeString(file, "{\n");

        try (Recorder recorder = Recorder.open(dir.resolve("recording")))
        {
            assertThrows(IllegalStateException.class, () -> new GradienceImporter(recorder).importFile(file));
        }
    }

    private static String record(final String event, final String step, final String payload)
    {
        return "{" + ENVELOPE + ",\"event\":\"" + event + "\",\"step\":" + step + (payload.isEmpty() ? "" : ",") +
            payload + "}";
    }

    private Path write(final String... lines) throws IOException
    {
        return Files.write(dir.resolve("input.jsonl"), List.of(lines), StandardCharsets.UTF_8);
    }

    private static List<String> messages(final List<Problem> problems)
    {
        final List<String> messages = new ArrayList<>();
        for (final Problem problem : problems)
        {
            messages.add(problem.toString());
        }

        return messages;
    }
}
