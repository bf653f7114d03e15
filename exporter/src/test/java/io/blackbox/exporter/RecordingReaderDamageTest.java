package io.blackbox.exporter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdCompressCtx;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.GradienceAlertEncoder;
import io.blackbox.codecs.GradienceEvalEncoder;
import io.blackbox.codecs.GradienceRunEndEncoder;
import io.blackbox.codecs.GradienceRunStartEncoder;
import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.codecs.GradienceTrainStepEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;
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
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

    private final RingRecords ring = new RingRecords();
    private final ExpandableDirectByteBuffer records = ring.buffer();
    private final MessageHeaderEncoder header = ring.header();
    private long step;
    private long goodTrainSteps;

    private void record(final int type, final IntUnaryOperator encoder)
    {
        ring.record(type, encoder);
    }

    private void sessionStart()
    {
        ring.sessionStart(TIMESTAMP, 1, 7, "");
    }

    private void define(final int symbol, final String value)
    {
        ring.define(symbol, value);
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
        return writeRecording(RecordingBatchDescriptor.BATCH_VERSION, records, ring.length(), ring.length());
    }

    /**
     * The records as one batch of the drainer's coding, its header saying {@code headerRecordsLength}.
     */
    private Path writeCodedRecording(final int headerRecordsLength) throws IOException
    {
        final ExpandableDirectByteBuffer coded = new ExpandableDirectByteBuffer(BatchDeltaCodec.maxEncodedLength(ring.length()));
        final int codedLength = new BatchDeltaCodec().encode(records, 0, ring.length(), coded, 0);
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
                out.writeInt(ring.count());
                for (int i = 0; i < storedLength; i++)
                {
                    out.writeByte(stored.getByte(i));
                }
            }
        }
        return recording;
    }

    /**
     * A session start written before schema version 2 (no rank fields, a 24-byte block) still begins a session with
     * its timestamp, pid and host, and no rank; a version 2 one says its rank, world size and local rank; one whose
     * rank does not fit its world size (a writer that left the fields zero) says no rank.
     */
    @Test
    void shouldReadTheSessionStartOfEitherSchemaVersion() throws IOException
    {
        ring.sessionStartVersion1(TIMESTAMP, 41, 7, "old-host");
        define(RUN, "run-1");
        runStart("{}");
        ring.sessionStart(TIMESTAMP + 1, "node-a", 3, 8, 1);
        define(RUN, "run-1");
        runStart("{}");
        ring.sessionStart(TIMESTAMP + 2, "node-b", 0, 0, 0);

        final List<RecordingReader.Session> sessions = new ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(writeRecording()))
        {
            reader.readAll(new RecordingReader.RecordHandler()
            {
                public void onRecord(final int templateId, final org.agrona.DirectBuffer buffer, final int offset,
                    final int length, final Symbols symbols)
                {
                }

                public void onSessionStart(final RecordingReader.Session session)
                {
                    sessions.add(session);
                }
            });
            assertEquals(List.of(), reader.damage());
        }
        final int none = RecordingReader.Session.NO_RANK;
        assertEquals(List.of(
            new RecordingReader.Session(1, TIMESTAMP, 41, "old-host", none, none, none),
            new RecordingReader.Session(2, TIMESTAMP + 1, 1, "node-a", 3, 8, 1),
            new RecordingReader.Session(3, TIMESTAMP + 2, 1, "node-b", none, none, none)), sessions);
        assertFalse(sessions.get(0).hasRank());
        assertTrue(sessions.get(1).hasRank());
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
        assertTrue(ring.length() > 2 << 20, "ring bytes: " + ring.length());

        for (final int headerRecordsLength : new int[] { ring.length(), Integer.MAX_VALUE })
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

        final Path recording = writeCodedRecording(ring.length() - 8);
        final RecordingExport.Result result = RecordingExport.export(recording, temp.resolve("export-short"));
        assertEquals(1, result.damage().size(), () -> String.join("\n", result.damage()));
        assertTrue(result.damage().get(0).contains("decoded records exceed " + (ring.length() - 8) + " bytes"),
            result.damage().get(0));
    }

    /**
     * The records as one batch of the drainer's coding compressed as the drainer compresses it (version 5).
     *
     * @param frame what to do to the zstd frame before it is stored (and its CRC taken).
     */
    private Path writeCompressedRecording(final int headerRecordsLength, final java.util.function.UnaryOperator<byte[]> frame)
        throws IOException
    {
        final ExpandableDirectByteBuffer coded = new ExpandableDirectByteBuffer(BatchDeltaCodec.maxEncodedLength(ring.length()));
        final int codedLength = new BatchDeltaCodec().encode(records, 0, ring.length(), coded, 0);
        final byte[] codedBytes = new byte[codedLength];
        coded.getBytes(0, codedBytes);
        final byte[] stored;
        try (ZstdCompressCtx zstd = new ZstdCompressCtx().setLevel(1).setContentSize(true))
        {
            stored = frame.apply(zstd.compress(codedBytes));
        }
        final ExpandableDirectByteBuffer storedBuffer = new ExpandableDirectByteBuffer(stored.length);
        storedBuffer.putBytes(0, stored);
        return writeRecording(RecordingBatchDescriptor.BATCH_VERSION_COMPRESSED, storedBuffer, stored.length,
            headerRecordsLength);
    }

    /**
     * A version 5 batch decodes to exactly the records of the version 4 batch it compresses; a frame the CRC passes
     * (only a buggy drainer writes one) that declares more than Records Length allows, or does not decompress, costs
     * its batch, reported with the reason, and nothing is thrown.
     */
    @Test
    void shouldReadACompressedBatchAndReportAFrameThatDoesNotHold() throws IOException
    {
        sessionStart();
        define(RUN, "run-1");
        runStart("{}");
        for (int i = 0; i < 5_000; i++)
        {
            trainStep(RUN, "{\"note\":\"step " + (i % 7) + "\"}", (offset, extrasLengthOffset) -> {});
            goodTrainSteps++;
        }

        final Path recording = writeCompressedRecording(ring.length(), frame -> frame);
        final RecordingExport.Result result = RecordingExport.export(recording, temp.resolve("export-compressed"));
        assertEquals(List.of(), result.damage());
        deleteRecursively(recording);
        final Path coded = writeCodedRecording(ring.length());
        final RecordingExport.Result codedResult = RecordingExport.export(coded, temp.resolve("export-coded"));
        assertEquals(List.of(), codedResult.damage());
        assertEquals(1 + goodTrainSteps, result.records());
        assertEquals(Files.readString(temp.resolve("export-coded/gradience/run-1.jsonl")),
            Files.readString(temp.resolve("export-compressed/gradience/run-1.jsonl")));
        deleteRecursively(coded);

        final Path tooLong = writeCompressedRecording(16, frame -> frame);
        final RecordingExport.Result tooLongResult = RecordingExport.export(tooLong, temp.resolve("export-too-long"));
        assertEquals(1, tooLongResult.damage().size(), () -> String.join("\n", tooLongResult.damage()));
        assertTrue(tooLongResult.damage().get(0).matches(".*zstd frame of \\d+ bytes declares \\d+ bytes, more than 40 " +
            "for 16 ring bytes, batch skipped"), tooLongResult.damage().get(0));
        assertEquals(0, tooLongResult.records());
        deleteRecursively(tooLong);

        final Path garbled = writeCompressedRecording(ring.length(), frame ->
        {
            final byte[] damaged = frame.clone();
            for (int i = 12; i < damaged.length; i++)
            {
                damaged[i] ^= (byte)0x5A;
            }
            return damaged;
        });
        final RecordingExport.Result garbledResult = RecordingExport.export(garbled, temp.resolve("export-garbled"));
        assertEquals(1, garbledResult.damage().size(), () -> String.join("\n", garbledResult.damage()));
        assertTrue(garbledResult.damage().get(0).contains("does not decompress"), garbledResult.damage().get(0));
        assertEquals(0, garbledResult.records());
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

    @FunctionalInterface
    private interface Damage
    {
        /**
         * Append one record whose batch is sound but whose content is not.
         */
        void write(RecordingReaderDamageTest test);
    }

    private static Arguments damage(final String name, final String problem, final Damage damage)
    {
        return Arguments.of(Named.of(name, damage), problem);
    }

    /**
     * Each damaged record with (part of) the damage line that must report it.
     */
    static Stream<Arguments> undecodableRecords()
    {
        return Stream.of(
            damage("an unknown template id", "unknown gradience template 17", test ->
            {
                test.record(17, offset -> // a gradience template id no version knows
                {
                    test.header.wrap(test.records, offset).blockLength(0).templateId(17)
                        .schemaId(MessageHeaderEncoder.SCHEMA_ID).version(0);
                    return MessageHeaderEncoder.ENCODED_LENGTH;
                });
            }),
            damage("a block length past the record", "runs past its record", test ->
            {
                test.trainStep(RUN, "", (offset, extrasLengthOffset) ->
                    test.header.wrap(test.records, offset).blockLength(200));
            }),
            damage("a block length shorter than the fields", "block length 4 is shorter", test ->
            {
                test.trainStep(RUN, "", (offset, extrasLengthOffset) ->
                    test.header.wrap(test.records, offset).blockLength(4));
            }),
            damage("an extras length past the record", "extras: length 60000 runs past the record", test ->
            {
                test.trainStep(RUN, "", (offset, extrasLengthOffset) ->
                    test.records.putShort(extrasLengthOffset, (short)60_000));
            }),
            damage("extras of two JSON values", "extras: ", test ->
            {
                test.trainStep(RUN, "{\"note\":1} {\"x\":2}", (offset, extrasLengthOffset) -> {});
            }),
            damage("extras not valid JSON", "extras: not valid JSON", test ->
            {
                test.trainStep(RUN, "{\"note\":", (offset, extrasLengthOffset) -> {});
            }),
            damage("an extras key that is also a field", "key \"lr\" would be written twice", test ->
            {
                test.trainStep(RUN, "{\"note\":1,\"lr\":2}", (offset, extrasLengthOffset) -> {}); // lr is a field too
            }),
            damage("a run of an undefined symbol", "run: undefined symbol 99", test ->
            {
                test.trainStep(99, "", (offset, extrasLengthOffset) -> {});
            }),
            damage("a config not valid JSON", "config: not valid JSON", test ->
            {
                test.runStart("{\"lr\":");
            }),
            damage("a config not a JSON object", "config: not a JSON object", test ->
            {
                test.runStart("[1, 2]");
            }),
            damage("a config missing", "config: missing", test ->
            {
                test.runStart("");
            }),
            damage("a config length of 2^31", "config: length 2147483648 runs past the record", test ->
            {
                // a config length of 2^31: read as a negative int
                test.record(GradienceRunStartEncoder.TEMPLATE_ID, offset ->
                {
                    final GradienceRunStartEncoder encoder = new GradienceRunStartEncoder()
                        .wrapAndApplyHeader(test.records, offset, test.header).timestamp(TIMESTAMP).run(RUN).step(1);
                    final int configLengthOffset = encoder.limit();
                    encoder.putConfig(new byte[0], 0, 0).putMeta(new byte[0], 0, 0).putExtras(new byte[0], 0, 0);
                    test.records.putInt(configLengthOffset, Integer.MIN_VALUE);
                    return encoder.limit() - offset;
                });
            }),
            damage("an unknown severity", "severity: unknown value 9", test ->
            {
                test.record(GradienceAlertEncoder.TEMPLATE_ID, offset ->
                {
                    final byte[] code = "loss_spike".getBytes(StandardCharsets.UTF_8);
                    final GradienceAlertEncoder encoder = new GradienceAlertEncoder()
                        .wrapAndApplyHeader(test.records, offset, test.header)
                        .timestamp(TIMESTAMP).run(RUN).step(3).severity(GradienceSeverity.WARNING)
                        .putCode(code, 0, code.length).putMessage(code, 0, code.length)
                        .putContext(new byte[0], 0, 0).putExtras(new byte[0], 0, 0);
                    test.records.putByte(
                        offset + MessageHeaderEncoder.ENCODED_LENGTH + GradienceAlertEncoder.severityEncodingOffset(),
                        (byte)9);
                    return encoder.limit() - offset;
                });
            }),
            damage("an unknown status", "status: unknown value 7", test ->
            {
                test.record(GradienceRunEndEncoder.TEMPLATE_ID, offset ->
                {
                    final GradienceRunEndEncoder encoder = new GradienceRunEndEncoder()
                        .wrapAndApplyHeader(test.records, offset, test.header)
                        .timestamp(TIMESTAMP).run(RUN).step(4).status(GradienceRunStatus.OK);
                    encoder.fields().clear();
                    encoder.putReason(new byte[0], 0, 0).putExtras(new byte[0], 0, 0);
                    test.records.putByte(
                        offset + MessageHeaderEncoder.ENCODED_LENGTH + GradienceRunEndEncoder.statusEncodingOffset(),
                        (byte)7);
                    return encoder.limit() - offset;
                });
            }),
            damage("a version 1 run_end with version 0's block",
                "run_end: block length " + GradienceRunEndEncoder.exitCodeEncodingOffset() + " is shorter than its " +
                GradienceRunEndEncoder.BLOCK_LENGTH + " bytes of fields (schema version 1)", test ->
            {
                // version 1 with version 0's block: exitCode is not there
                test.record(GradienceRunEndEncoder.TEMPLATE_ID, offset ->
                {
                    final GradienceRunEndEncoder encoder = new GradienceRunEndEncoder()
                        .wrapAndApplyHeader(test.records, offset, test.header)
                        .timestamp(TIMESTAMP).run(RUN).step(4).status(GradienceRunStatus.OK).exitCode(1);
                    encoder.fields().clear();
                    encoder.putReason(new byte[0], 0, 0).putExtras(new byte[0], 0, 0);
                    test.header.wrap(test.records, offset).blockLength(GradienceRunEndEncoder.exitCodeEncodingOffset())
                        .version(GradienceRunEndEncoder.exitCodeSinceVersion());
                    return encoder.limit() - offset;
                });
            }),
            damage("a group entry shorter than its fields", "doubleMetrics: entry length 2 is shorter", test ->
            {
                test.record(GradienceEvalEncoder.TEMPLATE_ID, offset ->
                {
                    final GradienceEvalEncoder encoder = new GradienceEvalEncoder()
                        .wrapAndApplyHeader(test.records, offset, test.header)
                        .timestamp(TIMESTAMP).run(RUN).step(5).split(SPLIT).ppl(1).accuracy(0.5).loss(0.1).n(10);
                    encoder.fields().clear().loss(true);
                    final int groupOffset = encoder.limit();
                    encoder.doubleMetricsCount(1).next().key(SPLIT).value(1.0);
                    encoder.longMetricsCount(0);
                    encoder.putMetricsExtras(new byte[0], 0, 0).putExtras(new byte[0], 0, 0);
                    new SmallGroupSizeEncodingEncoder().wrap(test.records, groupOffset).blockLength((short)2);
                    return encoder.limit() - offset;
                });
            }),
            damage("a train_step frame holding a run_end", "does not match its frame", test ->
            {
                // framed as a train_step, encoded as a run_end
                test.record(GradienceTrainStepEncoder.TEMPLATE_ID, offset -> new GradienceRunEndEncoder()
                    .wrapAndApplyHeader(test.records, offset, test.header).timestamp(TIMESTAMP).run(RUN).step(6)
                    .status(GradienceRunStatus.OK).putReason(new byte[0], 0, 0).putExtras(new byte[0], 0, 0)
                    .limit() - offset);
            }),
            damage("a symbol value of almost 4 GiB", "value length 4294967280 runs past the record", test ->
            {
                test.record(StringDefinitionEncoder.TEMPLATE_ID, offset ->
                {
                    final StringDefinitionEncoder encoder = new StringDefinitionEncoder()
                        .wrapAndApplyHeader(test.records, offset, test.header)
                        .symbol(3);
                    final int valueLengthOffset = encoder.limit();
                    encoder.putValue(new byte[0], 0, 0);
                    test.records.putInt(valueLengthOffset, 0xFFFF_FFF0);
                    return encoder.limit() - offset;
                });
            }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("undecodableRecords")
    void shouldSkipAndReportAnUndecodableRecordAndExportTheOthersWhole(final Damage damage, final String expectedProblem)
        throws IOException
    {
        sessionStart();
        define(RUN, "run-1");
        define(SPLIT, "val");
        runStart("{\"lr\":0.001}");
        goodTrainStep();
        damage.write(this);
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
        assertEquals(1, result.damage().size(), () -> String.join("\n", result.damage()));
        final String line = result.damage().get(0);
        assertTrue(line.contains(expectedProblem), () -> "damage line should say '" + expectedProblem + "': " + line);
        assertTrue(line.contains(".cq4 offset ") && line.contains("record at offset "),
            () -> "damage line should name the file, excerpt and record: " + line);
        try (Stream<Path> files = Files.walk(root))
        {
            assertEquals(List.of(), files.filter(file -> file.getFileName().toString().endsWith(".tmp"))
                .collect(Collectors.toList()));
        }
    }
}
