package io.blackbox.tests.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random bytes into the code that turns recorded records into JSON lines: {@link io.blackbox.exporter.RecordingReader}
 * (batch header, CRC, delta coding, record framing, control records) and the Gradience family's decoder
 * ({@link io.blackbox.exporter.gradience.GradienceExport}), through a real queue, as {@code blackbox export} reads
 * it. The contract, checked by {@link FuzzedRecording} after each input: a valid record becomes one valid line, an
 * invalid one is reported as damage naming its position, and nothing else escapes.
 * <p>
 * {@code mvn verify} runs each target once per input in {@code RecordDecoderFuzzTestInputs/<method>/} (seeds:
 * records and batches a real recorder wrote, truncated and damaged ones, and every finding); {@code JAZZER_FUZZ=1}
 * fuzzes one target (see {@code docs/reliability.md}, "Fuzzing").
 */
class RecordDecoderFuzzTest
{
    private static FuzzedRecording recording;

    @BeforeAll
    static void openRecording()
    {
        recording = FuzzedRecording.create();
    }

    @AfterAll
    static void closeRecording()
    {
        recording.close();
    }

    @Test
    void shouldDecodeEachRecordARealRecorderWroteToOneLine() throws IOException, URISyntaxException
    {
        final List<Path> seeds = seeds("decodeRecord", "record-");
        assertTrue(seeds.size() >= 7, () -> "a seed of each Gradience template: " + seeds);
        for (final Path seed : seeds)
        {
            final byte[] message = Files.readAllBytes(seed);
            recording.appendRecordsAfterPreamble(FuzzedRecording.frame(FuzzedRecording.templateIdOf(message), message));

            final FuzzedRecording.Outcome outcome = recording.readAndCheck();

            assertEquals(new FuzzedRecording.Outcome(1, List.of()), outcome, seed::toString);
        }
    }

    @Test
    void shouldReportATruncatedRecordAsDamageAndExportNothing() throws IOException, URISyntaxException
    {
        final List<Path> seeds = seeds("decodeRecord", "");
        seeds.removeIf(seed -> !seed.getFileName().toString().contains("truncated"));
        assertEquals(2, seeds.size(), seeds::toString);
        for (final Path seed : seeds)
        {
            final byte[] message = Files.readAllBytes(seed);
            recording.appendRecordsAfterPreamble(FuzzedRecording.frame(FuzzedRecording.templateIdOf(message), message));

            final FuzzedRecording.Outcome outcome = recording.readAndCheck();

            assertEquals(0, outcome.lines(), seed::toString);
            assertEquals(1, outcome.damage().size(), seed::toString);
        }
    }

    /**
     * One SBE message (header, block, groups, var data), framed as the ring frames it, its type the template id its
     * header names, in a batch with a valid CRC after the preamble.
     */
    @FuzzTest
    void decodeRecord(final byte[] message)
    {
        final int templateId = FuzzedRecording.templateIdOf(message);
        recording.appendRecordsAfterPreamble(FuzzedRecording.frame(templateId, message));
        recording.readAndCheck();
    }

    /**
     * The records part of a plain batch (ring records: length, type, message, padding, as many as there are), with a
     * valid CRC.
     */
    @FuzzTest
    void decodeBatch(final byte[] records)
    {
        recording.appendBatchAfterPreamble(records);
        recording.readAndCheck();
    }

    /**
     * A whole queue excerpt: batch header (version, records length, ring id and position, count) and payload, plain
     * or delta-coded, as given but for the CRC, which is made right so the fuzzer gets past it.
     */
    @FuzzTest
    void readExcerpt(final byte[] excerpt)
    {
        recording.appendExcerptAfterPreamble(excerpt);
        recording.readAndCheck();
    }

    private static List<Path> seeds(final String method, final String prefix) throws IOException, URISyntaxException
    {
        final Path directory = Path.of(RecordDecoderFuzzTest.class.getResource(
            "RecordDecoderFuzzTestInputs/" + method).toURI());
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(file -> file.getFileName().toString().startsWith(prefix))
                .sorted()
                .collect(Collectors.toList());
        }
    }
}
