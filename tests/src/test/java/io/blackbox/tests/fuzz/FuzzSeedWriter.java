package io.blackbox.tests.fuzz;

import com.github.luben.zstd.ZstdCompressCtx;
import io.blackbox.codecs.layout.BatchDeltaCodec;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.gradience.GradienceImporter;
import io.blackbox.exporter.gradience.GradienceSamples;
import io.blackbox.recorder.Recorder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.blackbox.codecs.layout.RecordingBatchDescriptor.BATCH_VERSION;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.BATCH_VERSION_COMPRESSED;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.BATCH_VERSION_PREDICTED;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.BATCH_VERSION_OFFSET;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.HEADER_LENGTH;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RECORDS_LENGTH_OFFSET;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RECORD_COUNT_OFFSET;
import static io.blackbox.exporter.gradience.GradienceSamples.MINIMAL;
import static io.blackbox.exporter.gradience.GradienceSamples.RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes the seed inputs of the fuzz tests into {@code tests/src/test/resources}, from real sources: the samples'
 * lines for the importer, and the records a real recorder wrote when importing them (and a file with every event
 * and field) for the decoder. Run it again when the schema changes:
 * <pre>
 * mvn -B -o -pl tests test -Dtest=FuzzSeedWriter -Dblackbox.writeFuzzSeeds=true
 * </pre>
 * Findings are not written here: Jazzer puts each crashing input beside these seeds, and they stay.
 */
@EnabledIfSystemProperty(named = "blackbox.writeFuzzSeeds", matches = "true")
class FuzzSeedWriter
{
    private static final String ENVELOPE = "\"schema\":\"gradience.vnext.telemetry/v1\",\"ts\":1768253565.118277," +
        "\"run_id\":\"seed-run\"";

    /**
     * A record of every event, with every optional field, as a producer writes it.
     */
    private static final List<String> EVERY_EVENT = List.of(
        record("run_start", "null", "\"config\":{\"model_name\":\"m\",\"lora\":{\"r\":8}},\"meta\":{\"host\":\"h\"}," +
            "\"launcher\":\"slurm\""),
        record("train_step", "1", "\"loss\":0.5,\"lr\":0.001"),
        record("train_step", "2", "\"loss\":NaN,\"lr\":[0.1,0.2,0.3],\"grad_norm\":1.5,\"tokens_seen\":4096," +
            "\"note\":\"warm\",\"flags\":[true,null]"),
        record("eval", "2", "\"split\":\"test\",\"metrics\":{\"ppl\":3.0,\"accuracy\":0.4,\"loss\":1.1,\"n\":100," +
            "\"f1\":0.3,\"hits\":7,\"per_class\":[0.1,0.2]},\"dataset\":\"held-out\""),
        record("metrics", "2", "\"kind\":\"lora_audit\",\"metrics\":{\"rank\":[1,2],\"ok\":true}"),
        record("alert", "2", "\"severity\":\"warning\",\"code\":\"memorization_gap\",\"message\":\"gap \\u00e9\"," +
            "\"context\":{\"gap\":1.5}"),
        record("recommendation", "2", "\"recommendations\":[{\"action\":\"stop\",\"confidence\":0.9}]"),
        record("run_end", "3", "\"status\":\"aborted\",\"reason\":\"user\""));

    @TempDir
    Path temp;

    @Test
    void shouldWriteTheSeeds() throws IOException
    {
        final Path testResources = Path.of(System.getProperty("blackbox.root"), "tests", "src", "test", "resources");
        assertTrue(Files.isDirectory(testResources), testResources::toString);
        final Path resources = testResources.resolve(Path.of("io", "blackbox", "tests", "fuzz"));

        final List<Path> samples = List.of(GradienceSamples.copy(MINIMAL, temp), GradienceSamples.copy(RUN, temp));
        final List<String> sampleLines = new ArrayList<>();
        for (final Path sample : samples)
        {
            sampleLines.addAll(Files.readAllLines(sample, StandardCharsets.UTF_8));
        }
        final Path importerSeeds = resources.resolve("GradienceImporterFuzzTestInputs").resolve("checkAndImport");
        writeImporterSeeds(importerSeeds);
        for (final Path sample : samples)
        {
            Files.copy(sample, importerSeeds.resolve("sample-" + sample.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        writeDecoderSeeds(resources.resolve("RecordDecoderFuzzTestInputs"), sampleLines);
    }

    private void writeImporterSeeds(final Path seeds) throws IOException
    {
        Files.createDirectories(seeds);
        for (int i = 0; i < EVERY_EVENT.size(); i++)
        {
            write(seeds, "event-" + (i + 1), EVERY_EVENT.get(i) + "\n");
        }
        write(seeds, "every-event", String.join("\n", EVERY_EVENT) + "\n");
        write(seeds, "crlf-and-blank-lines", EVERY_EVENT.get(0) + "\r\n\r\n  \n" + EVERY_EVENT.get(1));
        final String trainStep = EVERY_EVENT.get(2);
        write(seeds, "truncated-line", trainStep.substring(0, trainStep.length() / 2) + "\n");
        write(seeds, "wrong-types", trainStep.replace("\"loss\":NaN", "\"loss\":\"NaN\"").replace("\"lr\":[", "\"lr\":[\"x\",") + "\n");
        write(seeds, "step-out-of-range", trainStep.replace("\"step\":2", "\"step\":9223372036854775808") + "\n");
        write(seeds, "unknown-event", trainStep.replace("train_step", "checkpoint") + "\n");
        write(seeds, "nested-arrays", trainStep.replace("\"flags\":[true,null]", "\"flags\":[[[[[[[[1]]]]]]]]") + "\n");
        write(seeds, "escapes", trainStep.replace("\"warm\"", "\"\\ud83d\\ude00 \\u0000 \\\" \\\\ \\n\"") + "\n");
        write(seeds, "not-an-object", "[" + trainStep + "]\n");
    }

    private void writeDecoderSeeds(final Path inputs, final List<String> sampleLines) throws IOException
    {
        // A real recorder writes them: import the samples' lines and every event.
        final Path lines = temp.resolve("lines.jsonl");
        final List<String> all = new ArrayList<>(sampleLines);
        all.addAll(EVERY_EVENT);
        Files.write(lines, all, StandardCharsets.UTF_8);
        assertEquals(List.of(), GradienceImporter.check(lines));
        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(recording))
        {
            assertEquals(all.size(), new GradienceImporter(recorder).importFile(lines));
        }

        final List<byte[]> messages = new ArrayList<>();
        final List<Integer> types = new ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            reader.readAll((templateId, buffer, offset, length, symbols) ->
            {
                final byte[] message = new byte[length];
                buffer.getBytes(offset, message);
                messages.add(message);
                types.add(templateId);
            });
            assertEquals(List.of(), reader.damage());
        }
        assertEquals(all.size(), messages.size());

        final Path record = Files.createDirectories(inputs.resolve("decodeRecord"));
        final ByteArrayOutputStream batch = new ByteArrayOutputStream();
        int written = 0;
        for (int i = 0; i < messages.size(); i++)
        {
            final byte[] message = messages.get(i);
            batch.writeBytes(FuzzedRecording.frame(types.get(i), message));
            // One seed per template and shape: the samples repeat train_steps.
            if (i < 5 || i >= sampleLines.size())
            {
                write(record, "record-" + (++written) + "-template-" + types.get(i), message);
            }
        }
        final byte[] trainStep = messages.get(sampleLines.size() + 2);
        write(record, "train-step-truncated", Arrays.copyOf(trainStep, trainStep.length / 2));
        final byte[] runStart = messages.get(sampleLines.size());
        write(record, "run-start-truncated-config", Arrays.copyOf(runStart, runStart.length - 40));

        final Path batches = Files.createDirectories(inputs.resolve("decodeBatch"));
        final byte[] records = batch.toByteArray();
        write(batches, "every-record", records);
        write(batches, "truncated", Arrays.copyOf(records, records.length / 3));
        write(batches, "two-train-steps", concat(
            FuzzedRecording.frame(types.get(1), messages.get(1)), FuzzedRecording.frame(types.get(5), messages.get(5))));

        final Path excerpts = Files.createDirectories(inputs.resolve("readExcerpt"));
        write(excerpts, "plain-batch", excerpt(BATCH_VERSION, records, records));
        final ExpandableArrayBuffer encoded = new ExpandableArrayBuffer(BatchDeltaCodec.maxEncodedLength(records.length));
        final int encodedLength = new BatchDeltaCodec().encode(
            new UnsafeBuffer(records), 0, records.length, encoded, 0);
        final byte[] delta = Arrays.copyOf(encoded.byteArray(), encodedLength);
        write(excerpts, "delta-batch", excerpt(BATCH_VERSION_PREDICTED, records, delta));
        write(excerpts, "delta-batch-truncated",
            excerpt(BATCH_VERSION_PREDICTED, records, Arrays.copyOf(delta, delta.length / 2)));

        // four of one train_step: a literal, a word delta and two records the two before them predict
        final byte[] oneTrainStep = FuzzedRecording.frame(types.get(1), messages.get(1));
        final byte[] run = concat(concat(oneTrainStep, oneTrainStep), concat(oneTrainStep, oneTrainStep));
        final ExpandableArrayBuffer runEncoded = new ExpandableArrayBuffer(BatchDeltaCodec.maxEncodedLength(run.length));
        final int runEncodedLength = new BatchDeltaCodec().encode(new UnsafeBuffer(run), 0, run.length, runEncoded, 0);
        write(excerpts, "predicted-batch", excerpt(BATCH_VERSION_PREDICTED, run, Arrays.copyOf(runEncoded.byteArray(), runEncodedLength)));
        try (ZstdCompressCtx zstd = new ZstdCompressCtx().setLevel(1).setContentSize(true))
        {
            write(excerpts, "compressed-batch", excerpt(BATCH_VERSION_COMPRESSED, records, zstd.compress(delta)));
        }
    }

    /**
     * A batch header (the CRC is made right when the input is used) and a payload.
     */
    private static byte[] excerpt(final int version, final byte[] records, final byte[] payload)
    {
        final UnsafeBuffer excerpt = new UnsafeBuffer(new byte[HEADER_LENGTH + payload.length]);
        excerpt.putInt(BATCH_VERSION_OFFSET, version);
        excerpt.putInt(RECORDS_LENGTH_OFFSET, records.length);
        excerpt.putInt(RECORD_COUNT_OFFSET, 1);
        excerpt.putBytes(HEADER_LENGTH, payload);
        return excerpt.byteArray();
    }

    private static String record(final String event, final String step, final String payload)
    {
        return "{" + ENVELOPE + ",\"event\":\"" + event + "\",\"step\":" + step + "," + payload + "}";
    }

    private static void write(final Path directory, final String name, final String text) throws IOException
    {
        write(directory, name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(final Path directory, final String name, final byte[] bytes) throws IOException
    {
        Files.write(directory.resolve(name), bytes);
    }

    private static byte[] concat(final byte[] first, final byte[] second)
    {
        final byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
