package io.blackbox.tests.damage;

import io.blackbox.exporter.cli.CommandLineRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.codecs.GradienceTrainStepEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.codecs.layout.RingFileDescriptor;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.cli.BlackboxCommand;
import io.blackbox.exporter.gradience.GradienceValidator;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.RingFileLanes;
import io.blackbox.tests.TestRecordings;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.Wires;
import org.agrona.BitUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Damaged recordings: {@code blackbox export} (the real command line, in process) against a real recording damaged on
 * disk — cycle files cut short and bytes flipped, Chronicle's metadata file and the ring file damaged, directories that
 * are not recordings — never hangs, never crashes, exports every record that is still valid and nothing else, names
 * the file and position of what it skipped, and exits 0 (clean), 2 (exported with damage) or 1 (nothing usable).
 * <p>
 * The recording has one session per cycle file (a one-second roll cycle; Chronicle's clock is set, a second per
 * session), so the records of each cycle file are known: those of {@code run-N}, and the {@code shared} run's steps
 * N000 to N999.
 * Each session's symbol definitions are drained before its first family record, so its first batches hold only
 * control records and a batch's record count says how many family records it holds.
 */
class DamagedRecordingTest
{
    private static final int SESSIONS = 4;
    private static final int TRAIN_STEPS = 90;
    private static final int SHARED_STEPS = 30;
    private static final int SHARED_STEP_BASE = 1000;
    /** SessionStart and the symbols each session defines before its family records. */
    private static final List<String> SESSION_SYMBOLS = List.of("shared", "val", "grad", "tokens", "grad_norm");
    private static final int CONTROL_RECORDS = 1 + 1 + SESSION_SYMBOLS.size();
    /** Seeded flip cases; {@code -Dblackbox.damage.flips=N} runs more (a deeper local run). */
    private static final int FLIP_CASES = Integer.getInteger("blackbox.damage.flips", 60);
    private static final long SEED = 0x4D_414745L;
    /** A guard against a hang only: an export of this recording takes well under a second. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;

    @TempDir
    Path temp;

    /** Exported lines compared by value: keys in order (a run's config is a {@code Map.of}, in no order). */
    private static final ObjectMapper CANONICAL_JSON = JsonMapper.builder()
        .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true).build();

    private static Path pristine;
    /** Each session's records as the test emitted them, as export lines without their timestamp. */
    private static List<List<ObjectNode>> emitted;
    /**
     * Each session's exported lines, as exported from the undamaged recording once they are shown to be the records
     * emitted: what a damaged copy exports is compared with these, timestamps included.
     */
    private static List<Set<String>> pristineLines;
    private static List<CycleFile> cycleFiles;

    // ------------------------------------------------------------------ the recording

    @BeforeAll
    static void recordOneSessionPerCycleFile() throws Exception
    {
        // Chronicle's clock stands still within a session and moves one cycle between sessions, so each session's
        // batches land in a cycle file of their own however slowly the machine runs.
        final SetTimeProvider queueTime = new SetTimeProvider(Instant.parse("2026-01-12T21:32:45Z"));
        pristine = shared.resolve("recording");
        emitted = new ArrayList<>();
        for (int session = 0; session < SESSIONS; session++)
        {
            emitted.add(new ArrayList<>());
            recordSession(pristine, session, queueTime, emitted.get(session));
            queueTime.advanceMillis(TimeUnit.SECONDS.toMillis(1));
        }
        cycleFiles = cycleFiles(pristine);
        assertEquals(SESSIONS, cycleFiles.size(), () -> "one cycle file per session: " + cycleFiles);

        final Export export = export(pristine, shared.resolve("pristine-export"));
        assertEquals(0, export.exit(), export::toString);
        pristineLines = new ArrayList<>();
        for (int session = 0; session < SESSIONS; session++)
        {
            final int s = session;
            pristineLines.add(export.lines.stream().filter(line -> sessionOf(line) == s)
                .collect(Collectors.toCollection(LinkedHashSet::new)));
        }
        for (int session = 0; session < SESSIONS; session++)
        {
            final List<String> expected = emitted.get(session).stream().map(DamagedRecordingTest::canonical)
                .sorted().collect(Collectors.toList());
            final List<String> exported = pristineLines.get(session).stream()
                .map(line -> canonical(withoutTimestamp(line))).sorted().collect(Collectors.toList());
            assertEquals(expected, exported,
                "session " + session + ": the undamaged recording exports what was emitted");
        }
        for (int session = 0; session < SESSIONS; session++)
        {
            final CycleFile file = cycleFiles.get(session);
            assertEquals(CONTROL_RECORDS, file.controlRecords(), () -> "control records first, alone: " + file);
            assertEquals(pristineLines.get(session).size(), file.familyRecordsBefore(Long.MAX_VALUE), file::toString);
            assertTrue(file.dataDocuments().size() >= 6, () -> "several batches per cycle file: " + file);
        }
    }

    /**
     * Record one session, adding each family record it emits to {@code emitted} as its export line should read
     * (less its timestamp).
     */
    private static void recordSession(
        final Path recording, final int session, final TimeProvider queueTime, final List<ObjectNode> emitted)
        throws Exception
    {
        final String runId = "run-" + session;
        final Map<String, Object> config = Map.of("lr", 0.001, "session", session, "layers", List.of(1, 2));
        final Map<String, Object> meta = Map.of("host", "test");
        final Map<String, Object> gradMetrics = Map.of("norm", 1.5, "layer", "a");
        final Map<String, Object> alertContext = Map.of("factor", 3);
        final List<Map<String, Object>> recommendations = List.of(Map.of("action", "lower lr", "confidence", 0.5));
        try (Recorder recorder = Recorder.open(new Recorder.Context()
            .directory(recording)
            .queueTimeProvider(queueTime)
            .ringCapacity(64 * 1024)
            .maxBatchBytes(4096)
            .rollCycle(TestRollCycles.TEST_SECONDLY)))
        {
            final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, runId);
            for (final String symbol : SESSION_SYMBOLS)
            {
                recorder.symbol(symbol);
            }
            awaitDrained(recorder, CONTROL_RECORDS);
            final GradienceEmitter sharedRun = recorder.emitter(GradienceEmitter::new, "shared");
            final int tokens = recorder.symbol("tokens");
            final int gradNorm = recorder.symbol("grad_norm");

            run.runStart(config, meta);
            emitted.add(expected(runId, "run_start", null).<ObjectNode>set("config", JSON.valueToTree(config))
                .set("meta", JSON.valueToTree(meta)));
            for (int step = 0; step <= TRAIN_STEPS; step++)
            {
                final double loss = 1.0 / (step + 1);
                final long tokenCount = 10L * step;
                final double norm = 0.5 + step;
                final GradienceEmitter.TrainStep trainStep = run.trainStep(step).loss(loss).lr(1e-3)
                    .metric(tokens, tokenCount).metric(gradNorm, norm);
                final ObjectNode trainStepLine = expected(runId, "train_step", (long)step).put("loss", loss)
                    .put("lr", 1e-3).put("grad_norm", norm).put("tokens", tokenCount);
                if (step % 10 == 0)
                {
                    final String note = "step " + step;
                    trainStep.extrasJson(("{\"note\":\"" + note + "\"}").getBytes(StandardCharsets.UTF_8));
                    trainStepLine.put("note", note);
                }
                assertTrue(trainStep.commit());
                emitted.add(trainStepLine);
                if (step % 20 == 0)
                {
                    assertTrue(run.eval(step, "val").loss(0.25).accuracy(0.5).n(100).commit());
                    final ObjectNode line = expected(runId, "eval", (long)step).put("split", "val");
                    line.putObject("metrics").put("loss", 0.25).put("accuracy", 0.5).put("n", 100);
                    emitted.add(line);
                }
                if (step % 30 == 0)
                {
                    assertTrue(run.metrics(step, "grad", gradMetrics));
                    emitted.add(expected(runId, "metrics", (long)step).put("kind", "grad")
                        .set("metrics", JSON.valueToTree(gradMetrics)));
                }
                if (step < SHARED_STEPS)
                {
                    final long sharedStep = SHARED_STEP_BASE * session + step;
                    assertTrue(sharedRun.trainStep(sharedStep, 0.75, 1e-4));
                    emitted.add(expected("shared", "train_step", sharedStep).put("loss", 0.75).put("lr", 1e-4));
                }
                if (step % 15 == 0)
                {
                    // More, smaller batches: more places to damage.
                    awaitDrained(recorder, CONTROL_RECORDS + emitted.size());
                }
            }
            assertTrue(run.alert(TRAIN_STEPS, GradienceSeverity.WARNING, "loss_spike", "loss jumped", alertContext));
            emitted.add(expected(runId, "alert", (long)TRAIN_STEPS).put("severity", "warning").put("code", "loss_spike")
                .put("message", "loss jumped").set("context", JSON.valueToTree(alertContext)));
            assertTrue(run.recommendation(TRAIN_STEPS, recommendations));
            emitted.add(expected(runId, "recommendation", (long)TRAIN_STEPS)
                .set("recommendations", JSON.valueToTree(recommendations)));
            assertTrue(run.runEnd(TRAIN_STEPS, GradienceRunStatus.OK, null));
            emitted.add(expected(runId, "run_end", (long)TRAIN_STEPS).put("status", "ok"));
        }
    }

    /**
     * @return the start of an export line: schema, run, event and step (null: none).
     */
    private static ObjectNode expected(final String runId, final String event, final Long step)
    {
        return JSON.createObjectNode().put("schema", "gradience.vnext.telemetry/v1").put("run_id", runId)
            .put("event", event).put("step", step);
    }

    private static ObjectNode withoutTimestamp(final String line)
    {
        try
        {
            final ObjectNode record = (ObjectNode)JSON.readTree(line);
            assertTrue(record.remove("ts").isNumber(), line);
            return record;
        }
        catch (final IOException ex)
        {
            throw new AssertionError("not JSON: " + line, ex);
        }
    }

    private static String canonical(final ObjectNode record)
    {
        try
        {
            return CANONICAL_JSON.writeValueAsString(record);
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static void awaitDrained(final Recorder recorder, final long records) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (recorder.drainedRecords() < records)
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("the drainer did not drain " + records + " records");
            }
            Thread.sleep(1);
        }
    }

    /**
     * @return the session an exported line belongs to.
     */
    private static int sessionOf(final String line)
    {
        try
        {
            final JsonNode record = JSON.readTree(line);
            final String runId = record.get("run_id").textValue();
            return runId.equals("shared") ? (int)(record.get("step").longValue() / SHARED_STEP_BASE) :
                Integer.parseInt(runId.substring("run-".length()));
        }
        catch (final IOException ex)
        {
            throw new AssertionError("not JSON: " + line, ex);
        }
    }

    // ------------------------------------------------------------------ the layout of a cycle file (test's own reading)

    /**
     * One Chronicle document of a cycle file.
     *
     * @param records records in the batch (data documents), from the batch header.
     */
    private record Document(long offset, int length, boolean metadata, int records)
    {
        long end()
        {
            return offset + Wires.SPB_HEADER_SIZE + length;
        }
    }

    /**
     * @param dataEnd  where the written part ends: after the end-of-cycle marker, or at the zero header.
     * @param endMarker whether the file ends with Chronicle's end-of-cycle marker.
     */
    private record CycleFile(String name, long size, long dataEnd, boolean endMarker, List<Document> documents)
    {
        List<Document> dataDocuments()
        {
            return documents.stream().filter(document -> !document.metadata).collect(Collectors.toList());
        }

        int controlRecords()
        {
            int records = 0;
            for (final Document document : dataDocuments())
            {
                if (records >= CONTROL_RECORDS)
                {
                    break;
                }
                records += document.records;
            }
            return records;
        }

        boolean isControl(final Document document)
        {
            int records = 0;
            for (final Document data : dataDocuments())
            {
                if (data == document)
                {
                    return records < CONTROL_RECORDS;
                }
                records += data.records;
            }
            return false;
        }

        /**
         * @return family records in the batches that end at or before {@code cut}; none when a control batch does not.
         */
        long familyRecordsBefore(final long cut)
        {
            long family = 0;
            for (final Document document : dataDocuments())
            {
                if (isControl(document))
                {
                    if (document.end() > cut)
                    {
                        return 0; // the session's symbols are lost: none of its records can be exported
                    }
                }
                else if (document.end() <= cut)
                {
                    family += document.records;
                }
            }
            return family;
        }

        Document documentAt(final long position)
        {
            for (final Document document : documents)
            {
                if (position >= document.offset && position < document.end())
                {
                    return document;
                }
            }
            return null;
        }
    }

    private static List<CycleFile> cycleFiles(final Path recording) throws IOException
    {
        final List<CycleFile> files = new ArrayList<>();
        try (Stream<Path> paths = Files.list(recording.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY)))
        {
            for (final Path path : paths.filter(path -> path.toString().endsWith(".cq4")).sorted().collect(Collectors.toList()))
            {
                files.add(layout(path));
            }
        }
        return files;
    }

    private static CycleFile layout(final Path path) throws IOException
    {
        final long size = Files.size(path);
        final ByteBuffer bytes = ByteBuffer.allocate((int)Math.min(size, 8 << 20)).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(path))
        {
            while (bytes.hasRemaining() && channel.read(bytes) >= 0)
            {
                // fill
            }
        }
        final List<Document> documents = new ArrayList<>();
        int position = 0;
        while (true)
        {
            final int header = bytes.getInt(position);
            if (header == 0)
            {
                return new CycleFile(path.getFileName().toString(), size, position, false, documents);
            }
            if (header == Wires.END_OF_DATA)
            {
                return new CycleFile(path.getFileName().toString(), size, position + Wires.SPB_HEADER_SIZE, true, documents);
            }
            final int length = header & Wires.LENGTH_MASK;
            final boolean metadata = (header & Wires.META_DATA) != 0;
            final int records = metadata ? 0 :
                bytes.getInt(position + Wires.SPB_HEADER_SIZE + RecordingBatchDescriptor.RECORD_COUNT_OFFSET);
            documents.add(new Document(position, length, metadata, records));
            position = BitUtil.align(position + Wires.SPB_HEADER_SIZE + length, 4);
        }
    }

    // ------------------------------------------------------------------ running the command line

    /**
     * What one run of {@code blackbox export} did, and the lines it exported (checked whole and valid).
     */
    private record Export(int exit, String out, String err, List<String> lines)
    {
        @Override
        public String toString()
        {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static CommandLineRun blackbox(final String... args)
    {
        return assertTimeoutPreemptively(HANG_GUARD, () -> CommandLineRun.blackbox(args),
            () -> "blackbox " + String.join(" ", args) + " hung");
    }

    /**
     * Export, and check what holds whatever the damage: no stack trace, no temporary file left, every file whole, every
     * line valid.
     */
    private static Export export(final Path recording, final Path root) throws IOException
    {
        final CommandLineRun run = blackbox("export", "--recording", recording.toString(), "--out", root.toString());
        final String all = run.out() + run.err();
        assertFalse(all.contains("Exception") || all.contains("\tat "), () -> "no stack trace\n" + run);
        for (final String line : run.err().lines().collect(Collectors.toList()))
        {
            assertTrue(line.startsWith("blackbox: "), () -> "one-line messages only\n" + run);
        }

        final List<String> lines = new ArrayList<>();
        if (Files.isDirectory(root))
        {
            try (Stream<Path> files = Files.walk(root))
            {
                final List<Path> leftOver = files.filter(file -> file.getFileName().toString().endsWith(".tmp"))
                    .collect(Collectors.toList());
                assertEquals(List.of(), leftOver, () -> "temporary files left\n" + run);
            }
            final Path gradience = root.resolve("gradience");
            if (Files.isDirectory(gradience))
            {
                try (Stream<Path> files = Files.list(gradience))
                {
                    for (final Path file : files.sorted().collect(Collectors.toList()))
                    {
                        lines.addAll(wholeValidLines(file));
                    }
                }
            }
            final Path summary = root.resolve(RecordingExport.SUMMARY_FILE);
            if (Files.exists(summary))
            {
                final JsonNode node = JSON.readTree(summary.toFile());
                assertEquals(lines.size(), node.get("records").asLong(), () -> "summary counts the lines\n" + run);
            }
        }
        return new Export(run.exit(), run.out(), run.err(), lines);
    }

    private static List<String> wholeValidLines(final Path file) throws IOException
    {
        final String text = Files.readString(file);
        assertTrue(text.isEmpty() || text.endsWith("\n"), () -> file + " ends in the middle of a line");
        final List<String> lines = text.lines().collect(Collectors.toList());
        final GradienceValidator validator = new GradienceValidator();
        final List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final JsonNode record = JSON.readTree(lines.get(i));
            assertTrue(record.isObject(), lines.get(i));
            validator.validate(file.toString(), i + 1, (ObjectNode)record, problems);
        }
        assertEquals(List.of(), problems, () -> file + " holds invalid lines");
        return lines;
    }

    /**
     * A copy of the undamaged recording (queue files copied as far as they are written, the rest left sparse).
     */
    private Path copyOfPristine() throws IOException
    {
        final Path copy = temp.resolve("recording");
        try (Stream<Path> paths = Files.walk(pristine))
        {
            for (final Path from : paths.collect(Collectors.toList()))
            {
                final Path to = copy.resolve(pristine.relativize(from).toString());
                if (Files.isDirectory(from))
                {
                    Files.createDirectories(to);
                    continue;
                }
                final long size = Files.size(from);
                final long written = from.toString().endsWith(".cq4") ? Math.min(size, (8 << 20)) : size;
                try (FileChannel in = FileChannel.open(from);
                    FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
                {
                    long copied = 0;
                    while (copied < written)
                    {
                        copied += in.transferTo(copied, written - copied, out);
                    }
                }
                try (RandomAccessFile file = new RandomAccessFile(to.toFile(), "rw"))
                {
                    file.setLength(size);
                }
            }
        }
        return copy;
    }

    private static Path cycleFile(final Path recording, final int index)
    {
        return recording.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY).resolve(cycleFiles.get(index).name());
    }

    private static void truncate(final Path file, final long length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(length);
        }
    }

    private static void flip(final Path file, final long position, final int mask) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer b = ByteBuffer.allocate(1);
            channel.read(b, position);
            b.put(0, (byte)(b.get(0) ^ mask)).position(0);
            channel.write(b, position);
        }
    }

    private static Set<String> allPristineLines()
    {
        final Set<String> all = new HashSet<>();
        pristineLines.forEach(all::addAll);
        return all;
    }

    private static void assertSubsetOfPristine(final Export export)
    {
        final Set<String> all = allPristineLines();
        for (final String line : export.lines)
        {
            assertTrue(all.contains(line), () -> "exported a line that was never recorded: " + line + "\n" + export);
        }
        assertEquals(new HashSet<>(export.lines).size(), export.lines.size(), () -> "a line exported twice\n" + export);
    }

    private static long exportedOf(final Export export, final int session)
    {
        return export.lines.stream().filter(line -> sessionOf(line) == session).count();
    }

    private static void assertSessionsWhole(final Export export, final Predicate<Integer> sessions)
    {
        for (int session = 0; session < SESSIONS; session++)
        {
            if (sessions.test(session))
            {
                final Set<String> exported = new HashSet<>(export.lines);
                final int s = session;
                assertTrue(exported.containsAll(pristineLines.get(session)),
                    () -> "every record of session " + s + " exported\n" + export);
            }
        }
    }

    // ------------------------------------------------------------------ truncated cycle files

    static Stream<Arguments> truncations()
    {
        final List<String> points = List.of("empty", "inside the file header", "inside the index", "before the first batch",
            "inside the first excerpt header", "inside the first batch", "at a batch boundary", "mid-batch",
            "inside the last batch", "just before the end", "at the end");
        return IntStream.of(0, 1, SESSIONS - 1).boxed()
            .flatMap(file -> points.stream().map(point -> Arguments.of(file, point)));
    }

    private static long cutAt(final CycleFile file, final String point)
    {
        final List<Document> data = file.dataDocuments();
        final Document first = data.get(0);
        final Document middle = data.get(data.size() / 2);
        final Document last = data.get(data.size() - 1);
        return switch (point)
        {
            case "empty" -> 0;
            case "inside the file header" -> file.documents().get(0).end() / 2;
            case "inside the index" -> file.documents().get(1).offset() + 100;
            case "before the first batch" -> first.offset();
            case "inside the first excerpt header" -> first.offset() + 2;
            case "inside the first batch" -> first.offset() + first.length() / 2;
            case "at a batch boundary" -> middle.offset();
            case "mid-batch" -> middle.offset() + Wires.SPB_HEADER_SIZE + middle.length() / 2;
            case "inside the last batch" -> last.end() - 1;
            case "just before the end" -> file.dataEnd() - 1;
            case "at the end" -> file.dataEnd();
            default -> throw new IllegalArgumentException(point);
        };
    }

    @ParameterizedTest(name = "cycle file {0} cut {1}")
    @MethodSource("truncations")
    void shouldExportEveryWholeBatchOfATruncatedCycleFileAndEveryOtherFile(final int index, final String point)
        throws IOException
    {
        final CycleFile file = cycleFiles.get(index);
        final long cut = cutAt(file, point);
        final Path recording = copyOfPristine();
        truncate(cycleFile(recording, index), cut);

        final Export export = export(recording, temp.resolve("export"));

        assertSubsetOfPristine(export);
        assertSessionsWhole(export, session -> session != index);
        final long expected = file.familyRecordsBefore(cut);
        assertEquals(expected, exportedOf(export, index), () -> "records of " + file.name() + " before offset " + cut +
            "\n" + export);
        final boolean intact = file.endMarker() && cut >= file.dataEnd();
        assertEquals(intact ? 0 : 2, export.exit(), export::toString);
        if (!intact)
        {
            assertTrue(export.err().contains(file.name()) && export.err().contains("offset") || export.err().contains("empty"),
                () -> "names the file and where\n" + export);
        }
    }

    // ------------------------------------------------------------------ flipped bytes

    static IntStream flipCases()
    {
        return IntStream.range(0, FLIP_CASES);
    }

    @ParameterizedTest(name = "flip case {0}")
    @MethodSource("flipCases")
    void shouldLoseAtMostTheBatchHoldingAFlippedByte(final int flipCase) throws IOException
    {
        final Random random = new Random(SEED + flipCase);
        final int index = random.nextInt(SESSIONS);
        final CycleFile file = cycleFiles.get(index);
        final long position;
        switch (flipCase % 4)
        {
            case 0 ->
            {
                final Document document = file.documents().get(random.nextInt(file.documents().size()));
                position = document.offset() + random.nextInt(Wires.SPB_HEADER_SIZE); // its header
            }
            case 1 ->
            {
                final List<Document> data = file.dataDocuments();
                final Document document = data.get(random.nextInt(data.size()));
                position = document.offset() + Wires.SPB_HEADER_SIZE + random.nextInt(document.length());
            }
            default -> position = (long)(random.nextDouble() * file.dataEnd());
        }
        final int mask = 1 + random.nextInt(255);
        final Path recording = copyOfPristine();
        flip(cycleFile(recording, index), position, mask);

        final Export export = export(recording, temp.resolve("export"));

        final String what = file.name() + " offset " + position + " ^ 0x" + Integer.toHexString(mask) + "\n" + export;
        assertTrue(export.exit() == 0 || export.exit() == 2, what);
        assertSubsetOfPristine(export);
        assertSessionsWhole(export, session -> session != index);
        final long lost = pristineLines.get(index).size() - exportedOf(export, index);
        if (export.exit() == 0)
        {
            assertEquals(0, lost, () -> "exit 0, yet records are missing: " + what);
        }
        if (lost > 0)
        {
            assertTrue(export.err().contains(file.name()), () -> "names the damaged file: " + what);
        }
        final Document document = file.documentAt(position);
        if (document == null || document.metadata())
        {
            assertEquals(0, lost, () -> "a flip outside the batches costs no record: " + what);
        }
        else if (!file.isControl(document))
        {
            assertTrue(lost <= document.records(), () -> "lost " + lost + " records, more than the " + document.records() +
                " of the damaged batch: " + what);
        }
    }

    /**
     * The batch that starts a session holds its session start and usually its first symbol definitions; damaged, the
     * session's records must not be named with the symbols of the session before (same numbers, other names),
     * wherever in the batch the damage is.
     */
    @ParameterizedTest(name = "flip at byte {0} of its records")
    @MethodSource("sessionStartFlips")
    void shouldNeverNameASessionsRecordsWithTheSymbolsOfTheSessionBefore(final int byteOfRecords) throws IOException
    {
        final int index = 2;
        final CycleFile file = cycleFiles.get(index);
        final Document first = file.dataDocuments().get(0);
        final int recordsStart = Wires.SPB_HEADER_SIZE + RecordingBatchDescriptor.HEADER_LENGTH;
        final long position = first.offset() + recordsStart + Math.min(byteOfRecords, first.length() - recordsStart - 1);
        final Path recording = copyOfPristine();
        flip(cycleFile(recording, index), position, 0x04);

        final Export export = export(recording, temp.resolve("export"));

        assertEquals(2, export.exit(), export::toString);
        assertSubsetOfPristine(export);
        assertSessionsWhole(export, session -> session != index);
        // The session's definitions come in this order: its run, then "shared", then the keys. The drainer may take them
        // in more than one batch (it can wake between two definitions). The session start alone in its batch takes no
        // definition with it: everything is named. With its run's definition, that run's records (they all use it)
        // cannot be named, but the "shared" run's can, by its definition in a later, intact batch. With "shared" too,
        // no record of the session can be named.
        final long expected = switch (first.records())
        {
            case 1 -> pristineLines.get(index).size();
            case 2 -> SHARED_STEPS;
            default -> 0;
        };
        assertEquals(expected, exportedOf(export, index), export::toString);
        assertTrue(export.err().contains(file.name()) && export.err().contains("began a session"), export::toString);
    }

    static IntStream sessionStartFlips()
    {
        return IntStream.of(0, 1, 2, 4, 5, 9, 12, 40, 1000);
    }

    // ------------------------------------------------------------------ Chronicle's metadata file

    @Test
    void shouldExportEverythingWithoutTheMetadataFileAndSaySo() throws IOException
    {
        final Path recording = copyOfPristine();
        Files.delete(recording.resolve("queue").resolve("metadata.cq4t"));

        final Export export = export(recording, temp.resolve("export"));

        assertEquals(0, export.exit(), export::toString);
        assertEquals(allPristineLines(), new HashSet<>(export.lines));
        assertTrue(export.err().contains("warning") && export.err().contains("metadata.cq4t"), export::toString);
        assertFalse(Files.exists(recording.resolve("queue").resolve("metadata.cq4t")), "export wrote into the recording");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("metadataDamage")
    void shouldExportEverythingWhenTheMetadataFileIsDamagedAndSaySo(final String damage) throws IOException
    {
        final Path recording = copyOfPristine();
        final Path metadata = recording.resolve("queue").resolve("metadata.cq4t");
        switch (damage)
        {
            case "empty" -> truncate(metadata, 0);
            case "cut inside its header" -> truncate(metadata, 10);
            case "header overwritten" -> flip(metadata, 3, 0xFF);
            default -> Files.write(metadata, new byte[4096]);
        }

        final Export export = export(recording, temp.resolve("export"));

        assertEquals(2, export.exit(), export::toString);
        assertEquals(allPristineLines(), new HashSet<>(export.lines));
        assertTrue(export.err().contains("metadata.cq4t"), export::toString);
    }

    static Stream<String> metadataDamage()
    {
        return Stream.of("empty", "cut inside its header", "header overwritten", "zeroed");
    }

    // ------------------------------------------------------------------ the ring file

    @ParameterizedTest(name = "{0}")
    @MethodSource("ringDamage")
    void shouldExportEverythingWhenTheRingFileIsDamagedAndSaySo(final String damage) throws IOException
    {
        final Path recording = copyOfPristine();
        final Path ring = recording.resolve(RecordingDirectoryLayout.RING_FILE);
        switch (damage)
        {
            case "cut inside its header" -> truncate(ring, RingFileDescriptor.HEADER_LENGTH / 2);
            case "cut inside its data" -> truncate(ring, Files.size(ring) / 2);
            case "bad magic" -> flip(ring, RingFileDescriptor.MAGIC_OFFSET, 0x20);
            case "bad capacity" -> flip(ring, RingFileDescriptor.RING_CAPACITY_OFFSET, 0x01);
            case "bad lane count" -> flip(ring, RingFileDescriptor.LANE_COUNT_OFFSET, 0x02);
            case "bad shared lane capacity" -> flip(ring, RingFileDescriptor.SHARED_LANE_CAPACITY_OFFSET + 1, 0x01);
            default ->
            {
                // Head past the tail: positions no lane can have.
                final RingFileLanes lanes = RingFileLanes.read(ring);
                final long trailer = lanes.trailer(damage.endsWith("shared lane") ? 0 : lanes.laneCount() - 1);
                try (FileChannel channel = FileChannel.open(ring, StandardOpenOption.WRITE))
                {
                    channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40),
                        trailer + RingFileDescriptor.LANE_HEAD_POSITION_OFFSET);
                }
            }
        }
        final byte[] ringBefore = Files.readAllBytes(ring);

        final Export export = export(recording, temp.resolve("export"));

        assertEquals(2, export.exit(), export::toString);
        assertEquals(allPristineLines(), new HashSet<>(export.lines));
        // A damaged header makes the whole file unreadable; a lane's impossible positions only that lane.
        final String said = damage.startsWith("head past") ? "has impossible positions" : "not a ring file any more";
        assertTrue(export.err().contains(RecordingDirectoryLayout.RING_FILE) && export.err().contains(said), export::toString);
        assertTrue(Arrays.equals(ringBefore, Files.readAllBytes(ring)), "export changed ring.dat");
    }

    static Stream<String> ringDamage()
    {
        return Stream.of("cut inside its header", "cut inside its data", "bad magic", "bad capacity", "bad lane count",
            "bad shared lane capacity", "head past the tail in the shared lane", "head past the tail in the last lane");
    }

    /**
     * Records left in ring.dat by a process that died before draining them, in the shared lane (an emitter that found
     * no lane of its own) or in the run's own lane, there also as many as take the lane past its end (the last after a
     * padding record): export counts them without touching the recording, {@code blackbox recover} drains them, and
     * the next export has them.
     */
    @ParameterizedTest(name = "lane {0}, past its end: {1}")
    @MethodSource("ringBacklogs")
    void shouldWarnOfRecordsLeftInTheRingAndRecoverThem(final int lane, final boolean pastTheEnd) throws IOException
    {
        final Path recording = copyOfPristine();
        final Path ring = recording.resolve(RecordingDirectoryLayout.RING_FILE);
        final int left = pastTheEnd ? recordsBeforeTheEnd(ring, lane) + 1 : 5;
        final int padding = commitWithoutDraining(ring, lane, left);
        System.out.println("committed " + left + " records into lane " + lane + ", after " + padding +
            " bytes of padding to the lane's end");
        assertEquals(pastTheEnd, padding > 0, "a padding record to the lane's end");
        final byte[] ringBefore = Files.readAllBytes(ring);

        final Export before = export(recording, temp.resolve("export-before"));
        assertEquals(0, before.exit(), before::toString);
        assertEquals(allPristineLines(), new HashSet<>(before.lines));
        assertTrue(before.err().contains("warning") && before.err().contains(RecordingDirectoryLayout.RING_FILE) &&
            before.err().contains(" " + left + " records") && before.err().contains("blackbox recover"), before::toString);
        assertTrue(Arrays.equals(ringBefore, Files.readAllBytes(ring)), "export changed ring.dat");

        final CommandLineRun recover = blackbox("recover", "--recording", recording.toString());
        assertEquals(0, recover.exit(), recover::toString);
        assertTrue(recover.out().contains("recovered " + left + " records"), recover::toString);
        assertFalse(recover.out().contains("could not be framed"), recover::toString);

        final Export after = export(recording, temp.resolve("export-after"));
        assertEquals(0, after.exit(), after::toString);
        assertFalse(after.err().contains("warning"), after::toString);
        assertTrue(new HashSet<>(after.lines).containsAll(allPristineLines()), after::toString);
        assertEquals(allPristineLines().size() + left, after.lines.size(), after::toString);
        for (int i = 1; i <= left; i++)
        {
            final String step = "\"step\":" + (5000 + i) + ",";
            assertEquals(1, after.lines.stream().filter(line -> line.contains(step)).count(), step + "\n" + after);
        }
    }

    /**
     * Committed bytes of a lane that cannot be framed (a record length overwritten on disk) after records that can:
     * {@code blackbox recover} drains the records, skips the rest and says how many bytes, and the next export has the
     * records.
     */
    @Test
    void shouldRecoverTheRecordsBeforeWhatCannotBeFramedAndSaySo() throws IOException
    {
        final Path recording = copyOfPristine();
        final Path ring = recording.resolve(RecordingDirectoryLayout.RING_FILE);
        final int left = 2;
        final int unframable = 64;
        commitWithoutDraining(ring, 1, left);
        commitUnframable(ring, 1, unframable);

        final Export before = export(recording, temp.resolve("export-before"));
        assertEquals(2, before.exit(), "the unframable bytes are damage: " + before);
        assertEquals(allPristineLines(), new HashSet<>(before.lines));
        assertTrue(before.err().contains(" " + left + " records") && before.err().contains("blackbox recover") &&
            before.err().contains(unframable + " bytes not yet in the queue cannot be framed"), before::toString);

        final CommandLineRun recover = blackbox("recover", "--recording", recording.toString());
        assertEquals(0, recover.exit(), recover::toString);
        assertTrue(recover.out().contains("recovered " + left + " records"), recover::toString);
        assertTrue(recover.out().contains("skipped " + unframable + " bytes that could not be framed"), recover::toString);

        final Export after = export(recording, temp.resolve("export-after"));
        assertEquals(0, after.exit(), after::toString);
        assertFalse(after.err().contains("warning"), after::toString);
        assertEquals(allPristineLines().size() + left, after.lines.size(), after::toString);
        assertTrue(new HashSet<>(after.lines).containsAll(allPristineLines()), after::toString);
    }

    /**
     * Commit {@code length} bytes into lane {@code lane} that cannot be framed: a record whose length field no lane can
     * hold.
     */
    private static void commitUnframable(final Path ring, final int lane, final int length) throws IOException
    {
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(ring.toFile(), FileChannel.MapMode.READ_WRITE, "ring");
        try
        {
            final RingFileLanes lanes = new RingFileLanes(new UnsafeBuffer(mapped));
            final RingFileLanes.Claim claim = lanes.claim(lane, GradienceTrainStepEncoder.TEMPLATE_ID,
                length - RecordingBatchDescriptor.RECORD_HEADER_LENGTH);
            assertTrue(claim != null && claim.padding() == 0, "lane " + lane + " has room before its end");
            lanes.file().setMemory(claim.messageIndex(), length - RecordingBatchDescriptor.RECORD_HEADER_LENGTH, (byte)0x5A);
            lanes.file().putInt(RecordingBatchDescriptor.recordLengthOffset(claim.recordIndex()), 0x7FFF_FFF0);
            lanes.commit(claim);
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    static Stream<Arguments> ringBacklogs()
    {
        return Stream.of(Arguments.of(0, false), Arguments.of(1, false), Arguments.of(1, true));
    }

    /**
     * @return how many of the records {@link #commitWithoutDraining} writes fit between the lane's tail and its end.
     */
    private static int recordsBeforeTheEnd(final Path ring, final int lane) throws IOException
    {
        final RingFileLanes lanes = RingFileLanes.read(ring);
        final int toEnd = lanes.capacity(lane) - (int)(lanes.tail(lane) & (lanes.capacity(lane) - 1));
        return toEnd / BitUtil.align(GradienceEmitter.trainStepMessageLength(0, 0, 0) +
            RecordingBatchDescriptor.RECORD_HEADER_LENGTH, RecordingBatchDescriptor.RECORD_ALIGNMENT);
    }

    /**
     * Commit {@code count} train_steps of the last session's run into lane {@code lane} of the ring as a producer of
     * the lane does (see {@link RingFileLanes}), with no drainer.
     *
     * @return bytes of padding written before a record that did not fit before the lane's end, 0 when none.
     */
    private static int commitWithoutDraining(final Path ring, final int lane, final int count) throws IOException
    {
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(ring.toFile(), FileChannel.MapMode.READ_WRITE, "ring");
        try
        {
            final RingFileLanes lanes = new RingFileLanes(new UnsafeBuffer(mapped));
            assertTrue(lane < lanes.laneCount(), "the ring has lane " + lane);
            assertEquals(lanes.head(lane), lanes.tail(lane), "lane " + lane + " was drained");
            final MessageHeaderEncoder header = new MessageHeaderEncoder();
            final GradienceTrainStepEncoder encoder = new GradienceTrainStepEncoder();
            final int length = GradienceEmitter.trainStepMessageLength(0, 0, 0);
            int padding = 0;
            for (int i = 1; i <= count; i++)
            {
                final RingFileLanes.Claim claim = lanes.claim(lane, GradienceTrainStepEncoder.TEMPLATE_ID, length);
                assertTrue(claim != null, "lane " + lane + " has room");
                encoder.wrapAndApplyHeader(lanes.file(), claim.messageIndex(), header)
                    .timestamp(1_768_253_565_000_000_000L + i).run(1).step(5000 + i).loss(0.125).lr(1e-3);
                encoder.fields().clear().loss(true).lr(true);
                encoder.lrGroupsCount(0);
                encoder.doubleMetricsCount(0);
                encoder.longMetricsCount(0);
                encoder.putExtras(new byte[0], 0, 0);
                assertEquals(claim.messageIndex() + length, encoder.limit(), "encoded length");
                lanes.commit(claim);
                padding += claim.padding();
            }
            return padding;
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    @Test
    void shouldRefuseToRecoverADirectoryThatIsNotARecordingAndLeaveItAlone() throws IOException
    {
        final Path directory = Files.createDirectories(temp.resolve("not-a-recording"));
        Files.writeString(directory.resolve("notes.txt"), "hello");

        final CommandLineRun run = blackbox("recover", "--recording", directory.toString());

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().startsWith("blackbox: ") && run.err().lines().count() == 1, run::toString);
        try (Stream<Path> files = Files.list(directory))
        {
            assertEquals(List.of(directory.resolve("notes.txt")), files.collect(Collectors.toList()));
        }
    }

    @Test
    void shouldRefuseToRecoverADamagedQueueNamingTheDamage() throws IOException
    {
        final Path recording = copyOfPristine();
        truncate(cycleFile(recording, SESSIONS - 1), 0);
        final byte[] ringBefore = Files.readAllBytes(recording.resolve(RecordingDirectoryLayout.RING_FILE));

        final CommandLineRun run = blackbox("recover", "--recording", recording.toString());

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains(cycleFiles.get(SESSIONS - 1).name()) && run.err().lines().count() == 1, run::toString);
        assertTrue(Arrays.equals(ringBefore,
            Files.readAllBytes(recording.resolve(RecordingDirectoryLayout.RING_FILE))), "recover changed ring.dat");
        try (Stream<Path> files = Files.list(recording.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY)))
        {
            assertEquals(SESSIONS, files.filter(file -> file.toString().endsWith(".cq4")).count(),
                "recover added a cycle file");
        }
    }

    @Test
    void shouldRefuseToRecoverARecordingAnotherRecorderHasOpen() throws IOException
    {
        final Path recording = copyOfPristine();
        final Recorder holder = Recorder.open(new Recorder.Context().directory(recording).ringCapacity(64 * 1024)
            .rollCycle(TestRollCycles.TEST_SECONDLY));
        try
        {
            final CommandLineRun run = blackbox("recover", "--recording", recording.toString());

            assertEquals(1, run.exit(), run::toString);
            assertTrue(run.err().contains("has it open") && run.err().lines().count() == 1, run::toString);
            assertFalse((run.out() + run.err()).contains("Exception"), run::toString);
        }
        finally
        {
            holder.close();
        }
    }

    // ------------------------------------------------------------------ not a recording

    @ParameterizedTest(name = "{0}")
    @MethodSource("notRecordings")
    void shouldRefuseWhatIsNotARecordingInOneLine(final String what) throws IOException
    {
        final Path path = temp.resolve("input");
        switch (what)
        {
            case "a missing path" ->
            {
            }
            case "an empty directory" -> Files.createDirectories(path);
            case "a directory of other files" ->
            {
                Files.createDirectories(path.resolve("logs"));
                Files.writeString(path.resolve("train.py"), "print('hi')\n");
            }
            case "a file" -> Files.writeString(path, "not a directory\n");
            case "a queue directory with no cycle files" ->
                Files.createDirectories(path.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY));
            default ->
            {
                // every cycle file emptied: nothing usable
                final Path recording = copyOfPristine();
                for (int index = 0; index < SESSIONS; index++)
                {
                    truncate(cycleFile(recording, index), 0);
                }
                Files.move(recording, path);
            }
        }

        final Export export = export(path, temp.resolve("export"));

        assertEquals(1, export.exit(), export::toString);
        assertEquals(List.of(), export.lines);
        assertTrue(export.err().contains(path.toString()), export::toString);
        if (what.startsWith("a ") && !what.contains("queue"))
        {
            assertEquals(1, export.err().lines().count(), () -> "one line\n" + export);
        }
    }

    static Stream<String> notRecordings()
    {
        return Stream.of("a missing path", "an empty directory", "a directory of other files", "a file",
            "a queue directory with no cycle files", "every cycle file empty");
    }

    // ------------------------------------------------------------------ the real process

    /**
     * The launcher as a user runs it, in its own JVM: standard error holds one-line messages only, nothing any library
     * printed on its own.
     */
    @Test
    void shouldPrintOnlyOneLineMessagesFromARealProcess() throws Exception
    {
        final Path recording = copyOfPristine();
        final CycleFile file = cycleFiles.get(1);
        final Document middle = file.dataDocuments().get(file.dataDocuments().size() / 2);
        flip(cycleFile(recording, 1), middle.offset() + 1, 0x10); // a damaged excerpt length
        truncate(cycleFile(recording, 2), cutAt(cycleFiles.get(2), "mid-batch"));
        final Path root = temp.resolve("export");
        final Path stdout = temp.resolve("stdout.txt");
        final Path stderr = temp.resolve("stderr.txt");
        final Process process = new ProcessBuilder(TestRecordings.javaCommand(BlackboxCommand.class,
            "export", "--recording", recording.toString(), "--out", root.toString()))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
        process.getOutputStream().close();
        if (!process.waitFor(2, TimeUnit.MINUTES)) // a guard against a hang only
        {
            process.destroyForcibly().waitFor();
            fail("blackbox export hung\n" + Files.readString(stderr));
        }
        final String err = Files.readString(stderr);

        assertEquals(2, process.exitValue(), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
        for (final String line : err.lines().collect(Collectors.toList()))
        {
            assertTrue(line.startsWith("blackbox: "), () -> "only one-line messages on standard error:\n" + err);
        }
        assertTrue(err.contains(file.name()) && err.contains(cycleFiles.get(2).name()), err);
        final List<String> runZero = wholeValidLines(root.resolve("gradience").resolve("run-0.jsonl"));
        assertEquals(pristineLines.get(0).stream().filter(line -> line.contains("\"run_id\":\"run-0\""))
            .collect(Collectors.toList()), runZero, "the undamaged cycle file's run, whole");
    }
}
