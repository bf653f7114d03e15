package io.blackbox.tests.damage;

import io.blackbox.exporter.cli.CommandLineRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.gradience.GradienceValidator;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.Wires;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.blackbox.tests.damage.CycleFileLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fixture of the damage tests: one real recording, copied and damaged by each case, and how the tests run and
 * judge the command line against it.
 * <p>
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
final class DamagedRecording
{
    static final int SESSIONS = 4;
    static final int TRAIN_STEPS = 90;
    static final int SHARED_STEPS = 30;
    static final int SHARED_STEP_BASE = 1000;
    /** SessionStart and the symbols each session defines before its family records. */
    static final List<String> SESSION_SYMBOLS = List.of("shared", "val", "grad", "tokens", "grad_norm");
    static final int CONTROL_RECORDS = 1 + 1 + SESSION_SYMBOLS.size();
    /** Seeded flip cases; {@code -Dblackbox.damage.flips=N} runs more (a deeper local run). */
    static final int FLIP_CASES = Integer.getInteger("blackbox.damage.flips", 60);
    static final long SEED = 0x4D_414745L;
    /** A guard against a hang only: an export of this recording takes well under a second. */
    static final Duration HANG_GUARD = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    /** Exported lines compared by value: keys in order (a run's config is a {@code Map.of}, in no order). */
    static final ObjectMapper CANONICAL_JSON = JsonMapper.builder()
        .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true).build();

    static Path pristine;
    /** Each session's records as the test emitted them, as export lines without their timestamp. */
    static List<List<ObjectNode>> emitted;
    /**
     * Each session's exported lines, as exported from the undamaged recording once they are shown to be the records
     * emitted: what a damaged copy exports is compared with these, timestamps included.
     */
    static List<Set<String>> pristineLines;
    static List<CycleFile> cycleFiles;

    // ------------------------------------------------------------------ the recording

    /**
     * Record the sessions into {@code shared} (a directory of the calling test class's own) and check that the
     * undamaged recording exports what was emitted.
     */
    static void recordSessions(final Path shared) throws Exception
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
            pristineLines.add(export.lines().stream().filter(line -> sessionOf(line) == s)
                .collect(Collectors.toCollection(LinkedHashSet::new)));
        }
        for (int session = 0; session < SESSIONS; session++)
        {
            final List<String> expected = emitted.get(session).stream().map(DamagedRecording::canonical)
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
    static void recordSession(
        final Path recording, final int session, final TimeProvider queueTime, final List<ObjectNode> emitted)
        throws Exception
    {
        recordSession(recording, session, queueTime, emitted, context -> context);
    }

    /**
     * {@link #recordSession(Path, int, TimeProvider, List)} with the recorder's context changed by {@code configure}
     * (how batches are stored, say), to give a test the layout it needs.
     */
    static void recordSession(
        final Path recording, final int session, final TimeProvider queueTime, final List<ObjectNode> emitted,
        final UnaryOperator<Recorder.Context> configure)
        throws Exception
    {
        final String runId = "run-" + session;
        final Map<String, Object> config = Map.of("lr", 0.001, "session", session, "layers", List.of(1, 2));
        final Map<String, Object> meta = Map.of("host", "test");
        final Map<String, Object> gradMetrics = Map.of("norm", 1.5, "layer", "a");
        final Map<String, Object> alertContext = Map.of("factor", 3);
        final List<Map<String, Object>> recommendations = List.of(Map.of("action", "lower lr", "confidence", 0.5));
        try (Recorder recorder = Recorder.open(configure.apply(new Recorder.Context()
            .directory(recording)
            .queueTimeProvider(queueTime)
            .ringCapacity(64 * 1024)
            .maxBatchBytes(4096)
            .rollCycle(TestRollCycles.TEST_SECONDLY))))
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
    static ObjectNode expected(final String runId, final String event, final Long step)
    {
        return JSON.createObjectNode().put("schema", "gradience.vnext.telemetry/v1").put("run_id", runId)
            .put("event", event).put("step", step);
    }

    static ObjectNode withoutTimestamp(final String line)
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

    static String canonical(final ObjectNode record)
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

    static void awaitDrained(final Recorder recorder, final long records) throws InterruptedException
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
    static int sessionOf(final String line)
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

    // ------------------------------------------------------------------ running the command line

    /**
     * What one run of {@code blackbox export} did, and the lines it exported (checked whole and valid).
     */
    record Export(int exit, String out, String err, List<String> lines)
    {
        @Override
        public String toString()
        {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static CommandLineRun blackbox(final String... args)
    {
        return assertTimeoutPreemptively(HANG_GUARD, () -> CommandLineRun.blackbox(args),
            () -> "blackbox " + String.join(" ", args) + " hung");
    }

    /**
     * Export, and check what holds whatever the damage: no stack trace, no temporary file left, every file whole, every
     * line valid.
     */
    static Export export(final Path recording, final Path root) throws IOException
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

    static List<String> wholeValidLines(final Path file) throws IOException
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
    static Path copyOfPristine(final Path temp) throws IOException
    {
        return sparseCopy(pristine, temp.resolve("recording"),
            from -> from.toString().endsWith(".cq4") ? 8 << 20 : Long.MAX_VALUE);
    }

    /**
     * Copy {@code recording} to {@code copy}: each file's first {@code written(file)} bytes (at most its size), the
     * rest of its length left sparse, as a queue file's preallocated blocks are.
     */
    static Path sparseCopy(final Path recording, final Path copy, final java.util.function.ToLongFunction<Path> written)
        throws IOException
    {
        try (Stream<Path> paths = Files.walk(recording))
        {
            for (final Path from : paths.collect(Collectors.toList()))
            {
                final Path to = copy.resolve(recording.relativize(from).toString());
                if (Files.isDirectory(from))
                {
                    Files.createDirectories(to);
                    continue;
                }
                final long size = Files.size(from);
                final long length = Math.min(size, written.applyAsLong(from));
                try (FileChannel in = FileChannel.open(from);
                    FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
                {
                    long copied = 0;
                    while (copied < length)
                    {
                        copied += in.transferTo(copied, length - copied, out);
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

    static Path cycleFile(final Path recording, final int index)
    {
        return recording.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY).resolve(cycleFiles.get(index).name());
    }

    static void truncate(final Path file, final long length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(length);
        }
    }

    static void flip(final Path file, final long position, final int mask) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer b = ByteBuffer.allocate(1);
            channel.read(b, position);
            b.put(0, (byte)(b.get(0) ^ mask)).position(0);
            channel.write(b, position);
        }
    }

    static Set<String> allPristineLines()
    {
        final Set<String> all = new HashSet<>();
        pristineLines.forEach(all::addAll);
        return all;
    }

    static void assertSubsetOfPristine(final Export export)
    {
        final Set<String> all = allPristineLines();
        for (final String line : export.lines())
        {
            assertTrue(all.contains(line), () -> "exported a line that was never recorded: " + line + "\n" + export);
        }
        assertEquals(new HashSet<>(export.lines()).size(), export.lines().size(), () -> "a line exported twice\n" + export);
    }

    static long exportedOf(final Export export, final int session)
    {
        return export.lines().stream().filter(line -> sessionOf(line) == session).count();
    }

    static void assertSessionsWhole(final Export export, final Predicate<Integer> sessions)
    {
        for (int session = 0; session < SESSIONS; session++)
        {
            if (sessions.test(session))
            {
                final Set<String> exported = new HashSet<>(export.lines());
                final int s = session;
                assertTrue(exported.containsAll(pristineLines.get(session)),
                    () -> "every record of session " + s + " exported\n" + export);
            }
        }
    }

    /**
     * @return where to cut {@code file} to damage it as {@code point} says.
     */
    static long cutAt(final CycleFile file, final String point)
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

    private DamagedRecording()
    {
    }
}
