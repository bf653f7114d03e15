package io.blackbox.exporter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.GradienceAlertEncoder;
import io.blackbox.codecs.GradienceEvalEncoder;
import io.blackbox.codecs.GradienceRunEndEncoder;
import io.blackbox.codecs.GradienceRunStartEncoder;
import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.codecs.GradienceTrainStepEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.SessionStartEncoder;
import io.blackbox.codecs.SmallGroupSizeEncodingEncoder;
import io.blackbox.codecs.StringDefinitionEncoder;
import io.blackbox.codecs.layout.BatchDeltaCodec;
import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.exporter.gradience.GradienceValidator;
import io.blackbox.recorder.ChronicleSettings;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.BitUtil;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records whose batch CRC is right but whose content is wrong (only a buggy producer writes them): each is skipped
 * and reported with its position, the records around it are exported, no line is half-written and nothing is thrown.
 * The queue is a real Chronicle queue, written the way the drainer writes it.
 */
class RecordingReaderDamageTest
{
    static
    {
        ChronicleSettings.apply();
    }

    private static final int RUN = 1;
    private static final int SPLIT = 2;
    private static final long TIMESTAMP = 1_768_253_565_118_277_000L;

    @TempDir
    Path temp;

    private final ExpandableDirectByteBuffer records = new ExpandableDirectByteBuffer(1 << 16);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private int recordsLength;
    private int recordCount;
    private long step;
    private long goodTrainSteps;

    /**
     * Append one ring record: {@code encoder} writes the SBE message at the offset it is given and returns its length.
     */
    private void record(final int type, final IntUnaryOperator encoder)
    {
        final int recordOffset = recordsLength;
        final int messageOffset = RecordingBatchDescriptor.recordMessageOffset(recordOffset);
        final int messageLength = encoder.applyAsInt(messageOffset);
        final int length = RecordingBatchDescriptor.RECORD_HEADER_LENGTH + messageLength;
        records.putInt(RecordingBatchDescriptor.recordLengthOffset(recordOffset), length);
        records.putInt(RecordingBatchDescriptor.recordTypeOffset(recordOffset), type);
        recordsLength = BitUtil.align(recordOffset + length, RecordingBatchDescriptor.RECORD_ALIGNMENT);
        records.setMemory(recordOffset + length, recordsLength - recordOffset - length, (byte)0);
        recordCount++;
    }

    private void sessionStart()
    {
        record(SessionStartEncoder.TEMPLATE_ID, offset ->
        {
            final SessionStartEncoder encoder = new SessionStartEncoder().wrapAndApplyHeader(records, offset, header)
                .timestamp(TIMESTAMP).pid(1).ringId(7);
            encoder.putHost(new byte[0], 0, 0);
            return encoder.limit() - offset;
        });
    }

    private void define(final int symbol, final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        record(StringDefinitionEncoder.TEMPLATE_ID, offset -> new StringDefinitionEncoder()
            .wrapAndApplyHeader(records, offset, header).symbol(symbol).putValue(bytes, 0, bytes.length).limit() - offset);
    }

    /**
     * A train_step; {@code patch} may then damage it, given the message offset and the offset of its extras length.
     */
    private void trainStep(final int run, final String extras, final Patch patch)
    {
        final byte[] extrasBytes = extras.getBytes(StandardCharsets.UTF_8);
        final long thisStep = ++step;
        record(GradienceTrainStepEncoder.TEMPLATE_ID, offset ->
        {
            final GradienceTrainStepEncoder encoder = new GradienceTrainStepEncoder()
                .wrapAndApplyHeader(records, offset, header).timestamp(TIMESTAMP + thisStep).run(run).step(thisStep)
                .loss(0.5).lr(1e-3);
            encoder.fields().clear().loss(true).lr(true);
            encoder.lrGroupsCount(0);
            encoder.doubleMetricsCount(0);
            encoder.longMetricsCount(0);
            final int extrasLengthOffset = encoder.limit();
            encoder.putExtras(extrasBytes, 0, extrasBytes.length);
            final int length = encoder.limit() - offset;
            patch.apply(offset, extrasLengthOffset);
            return length;
        });
    }

    private void goodTrainStep()
    {
        trainStep(RUN, "", (offset, extrasLengthOffset) -> {});
        goodTrainSteps++;
    }

    private void runStart(final String config)
    {
        final byte[] bytes = config.getBytes(StandardCharsets.UTF_8);
        record(GradienceRunStartEncoder.TEMPLATE_ID, offset -> new GradienceRunStartEncoder()
            .wrapAndApplyHeader(records, offset, header).timestamp(TIMESTAMP).run(RUN).step(GradienceTrainStepEncoder.stepNullValue())
            .putConfig(bytes, 0, bytes.length).putMeta(new byte[0], 0, 0).putExtras(new byte[0], 0, 0).limit() - offset);
    }

    @FunctionalInterface
    private interface Patch
    {
        void apply(int messageOffset, int fieldOffset);
    }

    private Path writeRecording() throws IOException
    {
        return writeRecording(RecordingBatchDescriptor.BATCH_VERSION, records, recordsLength, recordsLength);
    }

    /**
     * The records as one batch of the drainer's coding, its header saying {@code headerRecordsLength}.
     */
    private Path writeCodedRecording(final int headerRecordsLength) throws IOException
    {
        final ExpandableDirectByteBuffer coded = new ExpandableDirectByteBuffer(BatchDeltaCodec.maxEncodedLength(recordsLength));
        final int codedLength = new BatchDeltaCodec().encode(records, 0, recordsLength, coded, 0);
        return writeRecording(RecordingBatchDescriptor.BATCH_VERSION_PREDICTED, coded, codedLength, headerRecordsLength);
    }

    private Path writeRecording(final int version, final ExpandableDirectByteBuffer stored, final int storedLength,
        final int headerRecordsLength) throws IOException
    {
        final Path recording = temp.resolve("recording");
        Files.createDirectories(recording);
        final CRC32C crc = new CRC32C();
        final ByteBuffer view = stored.byteBuffer().duplicate();
        view.limit(storedLength).position(0);
        crc.update(view);
        try (ChronicleQueue queue = SingleChronicleQueueBuilder.binary(recording.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY))
            .build();
            ExcerptAppender appender = queue.createAppender())
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                final Bytes<?> out = dc.wire().bytes();
                out.writeInt(version);
                out.writeInt(headerRecordsLength);
                out.writeLong(7);
                out.writeLong(0);
                out.writeInt((int)crc.getValue());
                out.writeInt(recordCount);
                for (int i = 0; i < storedLength; i++)
                {
                    out.writeByte(stored.getByte(i));
                }
            }
        }
        return recording;
    }

    /**
     * Predicted records are a byte each, so a few KiB of a batch decode to MiBs, past the reader's first buffer: it
     * must grow to what the records need, not to what an unchecked header says, and a header that says too little
     * loses that batch, reported.
     */
    @Test
    void shouldDecodeACodedBatchToItsRecordsWhateverItsRecordsLengthSays() throws IOException
    {
        sessionStart();
        define(RUN, "run-1");
        runStart("{}");
        for (int i = 0; i < 40_000; i++)
        {
            goodTrainStep();
        }
        assertTrue(recordsLength > 2 << 20, "ring bytes: " + recordsLength);

        for (final int headerRecordsLength : new int[] { recordsLength, Integer.MAX_VALUE })
        {
            final Path recording = writeCodedRecording(headerRecordsLength);
            final RecordingExport.Result result = RecordingExport.export(recording, temp.resolve("export-" + headerRecordsLength));
            assertEquals(List.of(), result.damage());
            assertEquals(1 + goodTrainSteps, result.records());
            final List<String> lines = Files.readAllLines(
                temp.resolve("export-" + headerRecordsLength).resolve("gradience").resolve("run-1.jsonl"));
            assertEquals(1 + goodTrainSteps, lines.size());
            assertTrue(lines.get(lines.size() - 1).contains("\"step\":40000"), lines.get(lines.size() - 1));
            deleteRecursively(recording);
        }

        final Path recording = writeCodedRecording(recordsLength - 8);
        final RecordingExport.Result result = RecordingExport.export(recording, temp.resolve("export-short"));
        assertEquals(1, result.damage().size(), () -> String.join("\n", result.damage()));
        assertTrue(result.damage().get(0).contains("decoded records exceed " + (recordsLength - 8) + " bytes"),
            result.damage().get(0));
    }

    private static void deleteRecursively(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList()))
            {
                Files.delete(file);
            }
        }
    }

    @Test
    void shouldSkipAndReportEachUndecodableRecordAndExportTheOthersWhole() throws IOException
    {
        sessionStart();
        define(RUN, "run-1");
        define(SPLIT, "val");
        final List<String> expectedProblems = new ArrayList<>();

        runStart("{\"lr\":0.001}");
        goodTrainStep();

        record(17, offset -> // a gradience template id no version knows
        {
            header.wrap(records, offset).blockLength(0).templateId(17).schemaId(MessageHeaderEncoder.SCHEMA_ID).version(0);
            return MessageHeaderEncoder.ENCODED_LENGTH;
        });
        expectedProblems.add("unknown gradience template 17");
        goodTrainStep();

        trainStep(RUN, "", (offset, extrasLengthOffset) -> header.wrap(records, offset).blockLength(200));
        expectedProblems.add("runs past its record");
        goodTrainStep();

        trainStep(RUN, "", (offset, extrasLengthOffset) -> header.wrap(records, offset).blockLength(4));
        expectedProblems.add("block length 4 is shorter");
        goodTrainStep();

        trainStep(RUN, "", (offset, extrasLengthOffset) -> records.putShort(extrasLengthOffset, (short)60_000));
        expectedProblems.add("extras: length 60000 runs past the record");
        goodTrainStep();

        trainStep(RUN, "{\"note\":1} {\"x\":2}", (offset, extrasLengthOffset) -> {});
        expectedProblems.add("extras: ");
        goodTrainStep();

        trainStep(RUN, "{\"note\":", (offset, extrasLengthOffset) -> {});
        expectedProblems.add("extras: not valid JSON");
        goodTrainStep();

        trainStep(RUN, "{\"note\":1,\"lr\":2}", (offset, extrasLengthOffset) -> {}); // lr is a field too
        expectedProblems.add("key \"lr\" would be written twice");
        goodTrainStep();

        trainStep(99, "", (offset, extrasLengthOffset) -> {});
        expectedProblems.add("run: undefined symbol 99");
        goodTrainStep();

        runStart("{\"lr\":");
        expectedProblems.add("config: not valid JSON");
        goodTrainStep();

        runStart("[1, 2]");
        expectedProblems.add("config: not a JSON object");
        goodTrainStep();

        runStart("");
        expectedProblems.add("config: missing");
        goodTrainStep();

        record(GradienceRunStartEncoder.TEMPLATE_ID, offset -> // a config length of 2^31: read as a negative int
        {
            final GradienceRunStartEncoder encoder = new GradienceRunStartEncoder()
                .wrapAndApplyHeader(records, offset, header).timestamp(TIMESTAMP).run(RUN).step(1);
            final int configLengthOffset = encoder.limit();
            encoder.putConfig(new byte[0], 0, 0).putMeta(new byte[0], 0, 0).putExtras(new byte[0], 0, 0);
            records.putInt(configLengthOffset, Integer.MIN_VALUE);
            return encoder.limit() - offset;
        });
        expectedProblems.add("config: length 2147483648 runs past the record");
        goodTrainStep();

        record(GradienceAlertEncoder.TEMPLATE_ID, offset ->
        {
            final byte[] code = "loss_spike".getBytes(StandardCharsets.UTF_8);
            final GradienceAlertEncoder encoder = new GradienceAlertEncoder().wrapAndApplyHeader(records, offset, header)
                .timestamp(TIMESTAMP).run(RUN).step(3).severity(GradienceSeverity.WARNING)
                .putCode(code, 0, code.length).putMessage(code, 0, code.length)
                .putContext(new byte[0], 0, 0).putExtras(new byte[0], 0, 0);
            records.putByte(offset + MessageHeaderEncoder.ENCODED_LENGTH + GradienceAlertEncoder.severityEncodingOffset(),
                (byte)9);
            return encoder.limit() - offset;
        });
        expectedProblems.add("severity: unknown value 9");
        goodTrainStep();

        record(GradienceRunEndEncoder.TEMPLATE_ID, offset ->
        {
            final GradienceRunEndEncoder encoder = new GradienceRunEndEncoder().wrapAndApplyHeader(records, offset, header)
                .timestamp(TIMESTAMP).run(RUN).step(4).status(GradienceRunStatus.OK);
            encoder.fields().clear();
            encoder.putReason(new byte[0], 0, 0).putExtras(new byte[0], 0, 0);
            records.putByte(offset + MessageHeaderEncoder.ENCODED_LENGTH + GradienceRunEndEncoder.statusEncodingOffset(),
                (byte)7);
            return encoder.limit() - offset;
        });
        expectedProblems.add("status: unknown value 7");
        goodTrainStep();

        record(GradienceRunEndEncoder.TEMPLATE_ID, offset -> // version 1 with version 0's block: exitCode is not there
        {
            final GradienceRunEndEncoder encoder = new GradienceRunEndEncoder().wrapAndApplyHeader(records, offset, header)
                .timestamp(TIMESTAMP).run(RUN).step(4).status(GradienceRunStatus.OK).exitCode(1);
            encoder.fields().clear();
            encoder.putReason(new byte[0], 0, 0).putExtras(new byte[0], 0, 0);
            header.wrap(records, offset).blockLength(GradienceRunEndEncoder.exitCodeEncodingOffset())
                .version(GradienceRunEndEncoder.exitCodeSinceVersion());
            return encoder.limit() - offset;
        });
        expectedProblems.add("run_end: block length " + GradienceRunEndEncoder.exitCodeEncodingOffset() +
            " is shorter than its " + GradienceRunEndEncoder.BLOCK_LENGTH + " bytes of fields (schema version 1)");
        goodTrainStep();

        record(GradienceEvalEncoder.TEMPLATE_ID, offset ->
        {
            final GradienceEvalEncoder encoder = new GradienceEvalEncoder().wrapAndApplyHeader(records, offset, header)
                .timestamp(TIMESTAMP).run(RUN).step(5).split(SPLIT).ppl(1).accuracy(0.5).loss(0.1).n(10);
            encoder.fields().clear().loss(true);
            final int groupOffset = encoder.limit();
            encoder.doubleMetricsCount(1).next().key(SPLIT).value(1.0);
            encoder.longMetricsCount(0);
            encoder.putMetricsExtras(new byte[0], 0, 0).putExtras(new byte[0], 0, 0);
            new SmallGroupSizeEncodingEncoder().wrap(records, groupOffset).blockLength((short)2);
            return encoder.limit() - offset;
        });
        expectedProblems.add("doubleMetrics: entry length 2 is shorter");
        goodTrainStep();

        record(GradienceTrainStepEncoder.TEMPLATE_ID, offset -> // framed as a train_step, encoded as a run_end
            new GradienceRunEndEncoder().wrapAndApplyHeader(records, offset, header).timestamp(TIMESTAMP).run(RUN).step(6)
                .status(GradienceRunStatus.OK).putReason(new byte[0], 0, 0).putExtras(new byte[0], 0, 0).limit() - offset);
        expectedProblems.add("does not match its frame");
        goodTrainStep();

        record(StringDefinitionEncoder.TEMPLATE_ID, offset -> // a symbol value of almost 4 GiB
        {
            final StringDefinitionEncoder encoder = new StringDefinitionEncoder().wrapAndApplyHeader(records, offset, header)
                .symbol(3);
            final int valueLengthOffset = encoder.limit();
            encoder.putValue(new byte[0], 0, 0);
            records.putInt(valueLengthOffset, 0xFFFF_FFF0);
            return encoder.limit() - offset;
        });
        expectedProblems.add("value length 4294967280 runs past the record");
        goodTrainStep();

        final Path recording = writeRecording();
        final Path root = temp.resolve("export");
        final RecordingExport.Result result = RecordingExport.export(recording, root);

        final Path runFile = root.resolve("gradience").resolve("run-1.jsonl");
        final String text = Files.readString(runFile);
        assertTrue(text.endsWith("\n"), () -> "whole lines only:\n" + text);
        final List<String> lines = text.lines().collect(Collectors.toList());
        final GradienceValidator validator = new GradienceValidator();
        final List<Problem> problems = new ArrayList<>();
        final ObjectMapper mapper = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++)
        {
            validator.validate(runFile.toString(), i + 1, (ObjectNode)mapper.readTree(lines.get(i)), problems);
        }
        assertEquals(List.of(), problems);
        final long goodRecords = 1 + goodTrainSteps;
        assertEquals(goodRecords, lines.size(), () -> String.join("\n", lines) + "\n" + result.damage());
        assertEquals(goodRecords, result.records());
        assertEquals(expectedProblems.size(), result.damage().size(), () -> String.join("\n", result.damage()));
        for (int i = 0; i < expectedProblems.size(); i++)
        {
            final String line = result.damage().get(i);
            final String expected = expectedProblems.get(i);
            assertTrue(line.contains(expected), () -> "damage line should say '" + expected + "': " + line);
            assertTrue(line.contains(".cq4 offset ") && line.contains("record at offset "),
                () -> "damage line should name the file, excerpt and record: " + line);
        }
        try (Stream<Path> files = Files.walk(root))
        {
            assertEquals(List.of(), files.filter(file -> file.getFileName().toString().endsWith(".tmp"))
                .collect(Collectors.toList()));
        }
    }
}
