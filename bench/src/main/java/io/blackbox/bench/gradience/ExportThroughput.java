package io.blackbox.bench.gradience;

import com.fasterxml.jackson.core.JsonGenerator;
import io.blackbox.bench.BenchJvm;
import io.blackbox.bench.TemporaryDirectory;
import io.blackbox.codecs.GradienceTrainStepDecoder;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.exporter.EpochSeconds;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.RecordingSummary;
import io.blackbox.recorder.Backpressure;
import io.blackbox.recorder.JsonValues;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What turning a recording into the Gradience JSONL files costs per record, beside the least any JVM exporter
 * can pay for the same files.
 * <ul>
 *     <li>{@code blackboxExport}: {@link RecordingExport#export} of a recording of {@value #RUNS} runs x
 *     {@value #STEPS_PER_RUN} {@code train_step}s (the runs interleaved, as concurrent runs record them): read
 *     the queue, check each batch's CRC, frame and decode the records, write one file per run;</li>
 *     <li>{@code jacksonFromDecodedValues}: the same lines, byte for byte, into the same files, written with the
 *     same Jackson factory from values already decoded into primitive arrays: the JSON writing alone;</li>
 *     <li>{@code blackboxSummary}: {@link RecordingSummary#summarize} of the same recording ({@code blackbox summary
 *     --recording}): the same reading and framing, each record's outline only, a sample rendered as JSON.</li>
 * </ul>
 * The difference between the two is what reading and decoding the recording costs. The forks also print the
 * recording's queue data bytes per record and the JSONL bytes per line ({@code bench: bytes on disk: ...}).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ExportThroughput.RECORDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = BenchJvm.ARGFILE)
public class ExportThroughput
{
    public static final int RUNS = 4;
    public static final int STEPS_PER_RUN = 250_000;
    public static final int RECORDS = RUNS * STEPS_PER_RUN;

    @Benchmark
    public RecordingExport.Result blackboxExport(final RecordedRuns recorded, final ExportRoot out) throws IOException
    {
        final RecordingExport.Result result = RecordingExport.export(recorded.recording, out.root);
        out.exported = result;
        return result;
    }

    @Benchmark
    public RecordingSummary.Result blackboxSummary(final RecordedRuns recorded)
    {
        final RecordingSummary.Result result = RecordingSummary.summarize(recorded.recording, records -> {});
        if (result.records() != RECORDS)
        {
            throw new IllegalStateException("summary counted " + result.records() + " records of " + RECORDS);
        }
        return result;
    }

    @Benchmark
    public long jacksonFromDecodedValues(final RecordedRuns recorded, final ExportRoot out) throws IOException
    {
        return writeJsonLines(recorded, out.root);
    }

    /**
     * The Gradience JSONL files of {@code recorded} under {@code root}, as the export lays them out, written from
     * the decoded values.
     *
     * @return the lines written.
     */
    static long writeJsonLines(final RecordedRuns recorded, final Path root) throws IOException
    {
        final Path directory = Files.createDirectories(root.resolve("gradience"));
        final OutputStream[] streams = new OutputStream[RUNS];
        final JsonGenerator[] generators = new JsonGenerator[RUNS];
        try
        {
            for (int run = 0; run < RUNS; run++)
            {
                streams[run] = new BufferedOutputStream(
                    new FileOutputStream(directory.resolve(recorded.runIds[run] + ".jsonl").toFile()),
                    JsonLinesState.BUFFER_BYTES);
                generators[run] = JsonValues.FACTORY.createGenerator(streams[run]);
                generators[run].setRootValueSeparator(null);
            }

            final char[] number = new char[EpochSeconds.MAX_LENGTH];
            final int[] runOf = recorded.runOf;
            final long[] timestamp = recorded.timestamp;
            final long[] step = recorded.step;
            final double[] loss = recorded.loss;
            final double[] lr = recorded.lr;
            final String[] runIds = recorded.runIds;
            for (int i = 0; i < RECORDS; i++)
            {
                final int run = runOf[i];
                final JsonGenerator g = generators[run];
                g.writeStartObject();
                g.writeStringField("schema", JsonLinesState.SCHEMA);
                g.writeFieldName("ts");
                g.writeNumber(number, 0, EpochSeconds.format(timestamp[i], number));
                g.writeStringField("run_id", runIds[run]);
                g.writeStringField("event", "train_step");
                g.writeNumberField("step", step[i]);
                g.writeNumberField("loss", loss[i]);
                g.writeNumberField("lr", lr[i]);
                g.writeEndObject();
                g.writeRaw('\n');
            }
        }
        finally
        {
            for (int run = 0; run < RUNS; run++)
            {
                if (generators[run] != null)
                {
                    generators[run].close();
                }
                if (streams[run] != null)
                {
                    streams[run].close();
                }
            }
        }
        return RECORDS;
    }

    /**
     * The recording, made once per trial in a fresh temporary directory, and its {@code train_step}s decoded
     * into primitive arrays in recording order.
     */
    @State(Scope.Benchmark)
    public static class RecordedRuns
    {
        Path directory;
        Path recording;
        final String[] runIds = new String[RUNS];
        final int[] runOf = new int[RECORDS];
        final long[] timestamp = new long[RECORDS];
        final long[] step = new long[RECORDS];
        final double[] loss = new double[RECORDS];
        final double[] lr = new double[RECORDS];
        long dataBytes;
        long jsonlBytes;

        @Setup(Level.Trial)
        public void record() throws IOException
        {
            directory = TemporaryDirectory.create("blackbox-bench-export-");
            recording = directory.resolve("recording");
            for (int run = 0; run < RUNS; run++)
            {
                runIds[run] = String.format("%08x-02c0-4aa5-a7eb-5a9884cbcb5%d", 0xfbbeb25f + run, run);
            }

            // Losses falling with noise and a cosine learning-rate schedule: full-precision doubles, as training
            // loops produce them (the digits are what formatting a double costs).
            final SplittableRandom random = new SplittableRandom(42);
            final Recorder recorder = Recorder.open(new Recorder.Context()
                .directory(recording)
                .backpressure(Backpressure.BLOCK));
            try
            {
                final GradienceEmitter[] emitters = new GradienceEmitter[RUNS];
                for (int run = 0; run < RUNS; run++)
                {
                    emitters[run] = recorder.emitter(GradienceEmitter::new, runIds[run]);
                }
                for (int s = 0; s < STEPS_PER_RUN; s++)
                {
                    final double lr = 3e-4 * 0.5 * (1 + Math.cos(Math.PI * s / STEPS_PER_RUN));
                    for (int run = 0; run < RUNS; run++)
                    {
                        final double loss = 2.3 * Math.exp(-s / 60_000.0) + 0.1 + 0.02 * random.nextDouble();
                        emitters[run].trainStep(s, loss, lr);
                    }
                }
            }
            finally
            {
                recorder.close(); // drains every record into the queue
            }
            if (recorder.droppedRecords() != 0 || recorder.failure() != null)
            {
                throw new IllegalStateException("recording incomplete: dropped=" + recorder.droppedRecords() +
                    " failure=" + recorder.failure());
            }
            decode();
            checkSameLines();
        }

        /**
         * Both benchmarks must write the same bytes, or the comparison says nothing: export once, write once,
         * compare the files.
         */
        private void checkSameLines() throws IOException
        {
            final Path exported = directory.resolve("check-export");
            final Path written = directory.resolve("check-jackson");
            try
            {
                RecordingExport.export(recording, exported);
                writeJsonLines(this, written);
                for (final String runId : runIds)
                {
                    final Path a = exported.resolve("gradience").resolve(runId + ".jsonl");
                    final Path b = written.resolve("gradience").resolve(runId + ".jsonl");
                    final long mismatch = Files.mismatch(a, b);
                    if (mismatch != -1)
                    {
                        throw new IllegalStateException("jacksonFromDecodedValues writes other bytes than the export: " +
                            "file=" + b.getFileName() + " firstDifferenceAt=" + mismatch);
                    }
                }
            }
            finally
            {
                TemporaryDirectory.delete(exported);
                TemporaryDirectory.delete(written);
            }
        }

        private void decode()
        {
            final Map<String, Integer> runIndex = new HashMap<>();
            for (int run = 0; run < RUNS; run++)
            {
                runIndex.put(runIds[run], run);
            }
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            final GradienceTrainStepDecoder trainStep = new GradienceTrainStepDecoder();
            final int[] count = new int[1];
            try (RecordingReader reader = RecordingReader.open(recording))
            {
                reader.read((templateId, buffer, offset, length, symbols) ->
                {
                    if (templateId != GradienceTrainStepDecoder.TEMPLATE_ID)
                    {
                        throw new IllegalStateException("unexpected record: templateId=" + templateId);
                    }
                    final GradienceTrainStepDecoder d = trainStep.wrapAndApplyHeader(buffer, offset, header);
                    final int i = count[0]++;
                    runOf[i] = runIndex.get(symbols.get(d.run()));
                    timestamp[i] = d.timestamp();
                    step[i] = d.step();
                    loss[i] = d.loss();
                    lr[i] = d.lr();
                });
            }
            if (count[0] != RECORDS)
            {
                throw new IllegalStateException("decoded " + count[0] + " train_steps, recorded " + RECORDS);
            }
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException
        {
            try
            {
                if (dataBytes > 0)
                {
                    System.out.printf("bench: bytes on disk: Blackbox queue data %.1f B/record (%d bytes for %d records)%n",
                        (double)dataBytes / RECORDS, dataBytes, RECORDS);
                }
                if (jsonlBytes > 0) // blackboxSummary writes no file
                {
                    System.out.printf("bench: bytes on disk: JSONL %.1f B/line (%d bytes for %d lines)%n",
                        (double)jsonlBytes / RECORDS, jsonlBytes, RECORDS);
                }
            }
            finally
            {
                TemporaryDirectory.delete(directory);
            }
        }
    }

    /**
     * A fresh, empty export root for each invocation; afterwards the bytes written are counted and it is deleted.
     */
    @State(Scope.Thread)
    public static class ExportRoot
    {
        Path root;
        RecordingExport.Result exported;
        private RecordedRuns recorded;

        @Setup(Level.Invocation)
        public void create(final RecordedRuns recorded) throws IOException
        {
            this.recorded = recorded;
            root = Files.createDirectory(recorded.directory.resolve("export-" + System.nanoTime()));
            exported = null;
        }

        @TearDown(Level.Invocation)
        public void delete() throws IOException
        {
            try
            {
                final Path gradience = root.resolve("gradience");
                final long bytes = TemporaryDirectory.size(gradience);
                if (exported != null)
                {
                    if (exported.records() != RECORDS || !exported.damage().isEmpty())
                    {
                        throw new IllegalStateException("export incomplete: records=" + exported.records() +
                            " damage=" + exported.damage());
                    }
                    recorded.dataBytes = exported.dataBytes();
                }
                recorded.jsonlBytes = bytes;
            }
            finally
            {
                TemporaryDirectory.delete(root);
            }
        }
    }
}
