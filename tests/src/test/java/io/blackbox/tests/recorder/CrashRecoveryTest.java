package io.blackbox.tests.recorder;

import io.blackbox.codecs.GradienceAlertDecoder;
import io.blackbox.codecs.GradienceEvalDecoder;
import io.blackbox.codecs.GradienceMetricsDecoder;
import io.blackbox.codecs.GradienceRecommendationDecoder;
import io.blackbox.codecs.GradienceRunEndDecoder;
import io.blackbox.codecs.GradienceRunStartDecoder;
import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.codecs.GradienceTrainStepDecoder;
import io.blackbox.codecs.GradienceTrainStepEncoder;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.RingBacklog;
import io.blackbox.exporter.Symbols;
import io.blackbox.recorder.Backpressure;
import io.blackbox.recorder.RecordWriter;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.VarData;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.ChildJvm;
import io.blackbox.tests.RingFileLanes;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RECORD_HEADER_LENGTH;
import static io.blackbox.tests.TestRecordings.readTrainSteps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Children record into one recording and the parent kills each with SIGKILL at a moment drawn from a seed, round
 * after round: in {@code Recorder.open} while it recovers what the previous child left, in the first milliseconds
 * of emitting, or up to a second in. Each child runs {@link #THREADS} threads, more than the ring has lanes, so
 * some share lane 0 with the recorder's own records; each thread emits every kind of Gradience record in an order
 * its steps determine, starts a new run (a new run id, a new split name: symbols defined mid-run) every
 * {@link #RUN_RECORDS} records, and one child of a batch records under {@code Backpressure.DROP} into a ring small
 * enough to fill. Afterwards every acknowledged record is there once, intact (its kind and values are its step's),
 * each run's order kept; under {@code DROP} exactly the acknowledged drops are missing and the recording counts at
 * least them.
 * <p>
 * {@code -Dblackbox.crash.seed=S} replays a run (every failure names the seed and round);
 * {@code -Dblackbox.crash.rounds=N} sets how many children are killed (default {@value #DEFAULT_ROUNDS}).
 * Two ways a recording is reopened after a crash, both real: by the next process that records into it (the
 * children recover each other, and a child may itself die while recovering), or by whoever opens it afterwards
 * (here the test JVM, after a third of the kills).
 */
class CrashRecoveryTest
{
    private static final int DEFAULT_ROUNDS = 16;
    /** Rounds over one recording before it is checked and a new one begins: keeps the recording small. */
    private static final int ROUNDS_PER_RECORDING = 8;
    private static final int LANES = 4;
    private static final int THREADS = LANES + 2;
    /** Small enough that six threads fill it: {@code DROP} drops and {@code BLOCK} waits. */
    private static final int RING_BYTES = 64 * 1024;
    private static final int RUN_RECORDS = 50;
    private static final String OPENING = "opening";
    private static final String READY = "ready";
    private static final String REFUSED = "refused";
    private static final String ACKED = "acked";
    private static final GradienceSeverity[] SEVERITIES = {
        GradienceSeverity.INFO, GradienceSeverity.WARNING, GradienceSeverity.ERROR, GradienceSeverity.CRITICAL};

    @TempDir
    Path temp;

    /**
     * One killed child: {@code delayMs} after it printed {@code marker} (after {@link #OPENING} it is inside
     * {@code Recorder.open}, recovering what the previous child left; after {@link #READY} its threads emit), and
     * what it acknowledged: per thread, how many emits had returned and how many of those returned false.
     */
    private record Round(String id, String prefix, Backpressure backpressure, String marker, long delayMs,
        Map<String, long[]> acknowledged)
    {
    }

    @Test
    // A guard for hundreds of rounds (-Dblackbox.crash.rounds); each wait on a child has its own deadline.
    @Timeout(value = 60, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldKeepEveryAcknowledgedRecordThroughKillsAtRandomMoments() throws Exception
    {
        final long seed = Long.getLong("blackbox.crash.seed", new SecureRandom().nextLong());
        final int rounds = Integer.getInteger("blackbox.crash.rounds", DEFAULT_ROUNDS);
        System.out.println("crash rounds: -Dblackbox.crash.seed=" + seed + " -Dblackbox.crash.rounds=" + rounds);
        final SplittableRandom random = new SplittableRandom(seed);
        List<Round> killed = new ArrayList<>();
        Path recording = null;
        int dropRound = -1;
        for (int i = 0; i < rounds; i++)
        {
            if (i % ROUNDS_PER_RECORDING == 0)
            {
                recording = temp.resolve("recording" + i / ROUNDS_PER_RECORDING);
                dropRound = i + random.nextInt(Math.min(ROUNDS_PER_RECORDING, rounds - i));
            }
            final String id = "seed " + seed + " round " + i;
            final Backpressure backpressure = i == dropRound ? Backpressure.DROP : Backpressure.BLOCK;
            // A fifth of the kills land in the open that recovers the ring; the others spread over a second of
            // emitting, as many in its first 10 ms as in the rest (log-uniform). The DROP child emits for at least
            // 100 ms, long enough to fill the ring.
            final boolean inOpen = i != dropRound && random.nextInt(5) == 0;
            final double log2Ms = i == dropRound ? Math.log(100) / Math.log(2) + random.nextDouble() * 3.3 : random.nextDouble() * 10;
            final long delayMs = inOpen ? random.nextInt(60) : (long)Math.pow(2, log2Ms) - 1;
            killed.add(killChild(recording, id, "r" + i, backpressure, inOpen ? OPENING : READY, delayMs));
            if (random.nextInt(3) == 0)
            {
                try (Recorder recorder = Recorder.open(context(recording, Backpressure.BLOCK)))
                {
                    System.out.println(id + " reopened by the test: " + recorder.recovery());
                }
            }
            if ((i + 1) % ROUNDS_PER_RECORDING == 0 || i + 1 == rounds)
            {
                try (Recorder recorder = Recorder.open(context(recording, Backpressure.BLOCK)))
                {
                    System.out.println(id + " reopened by the test to check: " + recorder.recovery());
                }
                assertEveryAcknowledgedRecordOnce(recording, killed, "seed " + seed + " rounds " +
                    killed.get(0).id().substring(killed.get(0).id().lastIndexOf(' ') + 1) + "-" + i);
                deleteRecursively(recording);
                killed = new ArrayList<>();
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldRecoverRecordsCommittedAfterARecordItsWriterNeverCommitted() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final Map<String, Long> acknowledged = new HashMap<>();
        try (ChildJvm child = ChildJvm.start(temp.resolve("uncommitted.err"), UncommittedRecordRecorder.class,
            recording.toString()))
        {
            child.awaitLine(READY);
            assertEquals(137, child.kill(), () -> "exit of the child\n" + child.errors());
            System.out.println("uncommitted child said " + child.lines());
            for (final String line : child.lines())
            {
                final String[] parts = line.split(" ");
                if (parts.length == 3 && parts[0].equals(ACKED))
                {
                    acknowledged.put(parts[1], Long.parseLong(parts[2]));
                }
            }
        }
        assertEquals(Map.of(UncommittedRecordRecorder.RUN, (long)UncommittedRecordRecorder.RECORDS), acknowledged);

        // The child drained nothing (no room for the queue): every record it committed is still in the ring, the
        // uncommitted ones beyond their lanes' tails, and the read-only look of an export counts exactly the former.
        final long committed = UncommittedRecordRecorder.RECORDS + UncommittedRecordRecorder.CONTROL_RECORDS;
        final Path ring = recording.resolve(RecordingDirectoryLayout.RING_FILE);
        final RingBacklog backlog = RingBacklog.inspect(ring, new Long2LongHashMap(-1));
        assertEquals(null, backlog.problem(), backlog::toString);
        assertEquals(committed, backlog.records(), backlog::toString);
        assertEquals(0, backlog.unframedBytes(), backlog::toString);

        try (Recorder recorder = Recorder.open(recording))
        {
            System.out.println("reopened after a record that was never committed: " + recorder.recovery());
            assertEquals(new Recorder.Recovery(committed, 0, 0), recorder.recovery(),
                "recovery drains the committed records, all of them and nothing else, and finds nothing unframed");
        }
        final Map<String, Long> recorded = assertEveryAcknowledgedRecordOnceInOrder(recording, acknowledged);
        assertEquals(Map.of(UncommittedRecordRecorder.RUN, (long)UncommittedRecordRecorder.RECORDS), recorded,
            "records per run: every acknowledged one, nothing of the records that were never committed");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldReopenARecordingWhoseQueueFileWasBeingCreatedWhenTheProcessDied() throws Exception
    {
        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(recording))
        {
            assertTrue(recorder.emitter(GradienceEmitter::new, "before").trainStep(0, lossOf(0), lrOf(0)));
        }
        // The state a recorder killed while Chronicle creates a cycle file leaves behind (3 of 10 children killed
        // within milliseconds of a recording's first open left it): the file at its full length, all zero but its
        // first header, still marked as being written.
        try (Stream<Path> files = Files.list(recording.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY)))
        {
            for (final Path file : files.filter(path -> path.toString().endsWith(".cq4")).collect(Collectors.toList()))
            {
                final long length = Files.size(file);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
                {
                    channel.truncate(0);
                    channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x8000_0000), 0);
                    channel.write(ByteBuffer.allocate(1), length - 1);
                }
            }
        }

        try (Recorder recorder = Recorder.open(recording))
        {
            final GradienceEmitter emitter = recorder.emitter(GradienceEmitter::new, "after-crash-0");
            final int check = emitter.symbol("check");
            assertTrue(emitter.trainStep(0).loss(lossOf(0)).lr(lrOf(0)).metric(check, checkOf(0, 0)).commit());
        }
        assertEveryAcknowledgedRecordOnceInOrder(recording, Map.of("after-crash-0", 1L));
    }

    private static Recorder.Context context(final Path recording, final Backpressure backpressure)
    {
        return new Recorder.Context().directory(recording).ringCapacity(RING_BYTES).lanes(LANES).backpressure(backpressure);
    }

    /**
     * Start a child recording into {@code recording}, SIGKILL it {@code delayMs} after it says {@code marker}, and
     * collect what it acknowledged.
     */
    private Round killChild(final Path recording, final String id, final String prefix, final Backpressure backpressure,
        final String marker, final long delayMs) throws Exception
    {
        try (ChildJvm child = ChildJvm.start(temp.resolve(prefix + ".err"), MixedRecorder.class,
            recording.toString(), prefix, temp.resolve(prefix + "-warm-up").toString(), backpressure.name()))
        {
            child.awaitLine(marker);
            pause(delayMs);
            // 128 + SIGKILL: the child died of the kill, not of something of its own.
            assertEquals(137, child.kill(), () -> id + ": exit of the child\n" + child.errors());
            final Map<String, long[]> acknowledged = new HashMap<>();
            for (final String line : child.lines())
            {
                assertFalse(line.startsWith(REFUSED), () -> id + ": an emit was refused: " + line + "\n" + child.errors());
                // "acked THREAD EMITS DROPS .": EMITS emits of the thread had returned when the line was printed,
                // DROPS of them false. The dot ends a whole line: one the kill cut short is not used.
                final String[] parts = line.split(" ");
                if (parts.length == 5 && parts[0].equals(ACKED) && parts[4].equals("."))
                {
                    final long emits = Long.parseLong(parts[2]);
                    final long drops = Long.parseLong(parts[3]);
                    final long[] known = acknowledged.computeIfAbsent(parts[1], thread -> new long[] {0, 0, 0});
                    if (emits >= known[0])
                    {
                        known[0] = emits;
                        known[1] = drops;
                    }
                }
            }
            final String said = child.lines().stream().filter(line -> !line.startsWith(ACKED)).collect(Collectors.joining(", "));
            final long total = acknowledged.values().stream().mapToLong(counts -> counts[0]).sum();
            final long drops = acknowledged.values().stream().mapToLong(counts -> counts[1]).sum();
            System.out.println(id + " (" + backpressure + ") killed " + delayMs + " ms after " + marker + ": [" + said +
                "], acknowledged " + total + " emits, " + drops + " of them dropped");
            return new Round(id, prefix, backpressure, marker, delayMs, acknowledged);
        }
    }

    private static void pause(final long delayMs)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(Math.min(remaining, 100_000));
        }
    }

    /**
     * What the recording holds of one run (one emitter of one thread): its steps must come in order, and under
     * {@code BLOCK} with no gap.
     */
    private static final class RunRead
    {
        long first = -1;
        long last = -1;
        long records;
        /** Records of steps below the emits its thread acknowledged. */
        long belowAcknowledged;
    }

    /**
     * Read the whole recording and check it against what the children acknowledged: see the class comment.
     */
    private static void assertEveryAcknowledgedRecordOnce(final Path recording, final List<Round> rounds, final String id)
    {
        final Map<String, Round> roundByPrefix = new HashMap<>();
        rounds.forEach(round -> roundByPrefix.put(round.prefix(), round));
        final Map<String, RunRead> runs = new HashMap<>();
        final MixedRecordCheck check = new MixedRecordCheck(id);
        final long records;
        final long droppedRecords;
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            records = reader.read((templateId, buffer, offset, length, symbols) ->
            {
                final String run = check.check(templateId, buffer, offset, symbols);
                final long step = check.step();
                final RunRead read = runs.computeIfAbsent(run, name -> new RunRead());
                final String thread = run.substring(0, run.lastIndexOf('-'));
                final Round round = roundByPrefix.get(thread.substring(0, thread.indexOf('-')));
                if (round == null)
                {
                    fail(id + ": a record of " + run + ", a run no child of these rounds wrote");
                }
                if (step / RUN_RECORDS != Long.parseLong(run.substring(run.lastIndexOf('-') + 1)))
                {
                    fail(id + ": " + run + " holds step " + step + " of another run");
                }
                final boolean gapless = round.backpressure() == Backpressure.BLOCK;
                final long expected = read.last < 0 ? step / RUN_RECORDS * RUN_RECORDS : read.last + 1;
                if (gapless ? step != expected : step < expected)
                {
                    fail(id + ": " + run + " step " + step + " where " + expected + " comes next (" +
                        (step < expected ? "a duplicate or out of order" : "a gap") + ")");
                }
                if (read.first < 0)
                {
                    read.first = step;
                }
                read.last = step;
                read.records++;
                final long[] acknowledged = round.acknowledged().get(thread);
                if (acknowledged != null && step < acknowledged[0])
                {
                    read.belowAcknowledged++;
                }
            });
            assertEquals(List.of(), reader.damage(), id + ": damage");
            droppedRecords = reader.droppedRecords();
        }

        // Per thread: its runs one after the other, each whole but the last (a thread starts the next run only after
        // the last emit of this one returned); at least what it acknowledged.
        final Map<String, List<Map.Entry<String, RunRead>>> runsByThread = runs.entrySet().stream()
            .collect(Collectors.groupingBy(run -> run.getKey().substring(0, run.getKey().lastIndexOf('-'))));
        long acknowledgedDrops = 0;
        long missing = 0;
        for (final Round round : rounds)
        {
            for (int t = 0; t < THREADS; t++)
            {
                final String thread = round.prefix() + "-" + t;
                final long[] acknowledged = round.acknowledged().getOrDefault(thread, new long[] {0, 0});
                final List<Map.Entry<String, RunRead>> threadRuns = runsByThread.getOrDefault(thread, List.of());
                long recorded = 0;
                long recordedBelowAcknowledged = 0;
                long end = 0;
                for (final Map.Entry<String, RunRead> run : threadRuns)
                {
                    final RunRead read = run.getValue();
                    recorded += read.records;
                    recordedBelowAcknowledged += read.belowAcknowledged;
                    end = Math.max(end, read.last + 1);
                }
                final long finalRecorded = recorded;
                final long finalEnd = end;
                if (round.backpressure() == Backpressure.BLOCK)
                {
                    assertEquals(end, recorded, () -> round.id() + ": " + thread + " recorded " + finalRecorded +
                        " records with steps up to " + (finalEnd - 1) + ": a run is missing or cut short");
                    assertTrue(recorded >= acknowledged[0], () -> round.id() + " (killed " + round.delayMs() +
                        " ms after " + round.marker() + "): " + thread + " acknowledged " + acknowledged[0] +
                        " records, the recording holds " + finalRecorded);
                }
                else
                {
                    missing += end - recorded;
                    acknowledgedDrops += acknowledged[1];
                    final long emitted = acknowledged[0] - acknowledged[1];
                    final long below = recordedBelowAcknowledged;
                    assertEquals(emitted, below, () -> round.id() + " (DROP): " + thread + " acknowledged " +
                        acknowledged[0] + " emits of which " + acknowledged[1] + " dropped; the recording holds " +
                        below + " records of those steps");
                }
            }
        }
        // Only the DROP child drops: the recording's count covers every acknowledged drop, and every step missing
        // below a thread's last recorded one is a drop it counted.
        final long finalAcknowledgedDrops = acknowledgedDrops;
        final long finalMissing = missing;
        assertTrue(droppedRecords >= acknowledgedDrops, () -> id + ": the recording counts " + droppedRecords +
            " dropped records, the DROP child acknowledged " + finalAcknowledgedDrops);
        assertTrue(droppedRecords >= missing, () -> id + ": the recording counts " + droppedRecords +
            " dropped records, " + finalMissing + " steps are missing below the DROP threads' last recorded ones");
        System.out.println(id + ": recording holds " + records + " records of " + runs.size() + " runs; " +
            droppedRecords + " dropped (" + acknowledgedDrops + " acknowledged, " + missing + " steps missing)");
    }

    /**
     * Read a recording of train_steps only: each run's steps must run 0, 1, 2... with no gap or repeat, each record
     * must carry the values its step determines, and each run must hold at least what was acknowledged of it.
     *
     * @return the records of each run the recording holds.
     */
    private static Map<String, Long> assertEveryAcknowledgedRecordOnceInOrder(final Path recording,
        final Map<String, Long> acknowledged)
    {
        final Map<String, long[]> nextStepByRun = new HashMap<>();
        readTrainSteps(recording, (run, trainStep, symbols) ->
        {
            final long[] nextStep = nextStepByRun.computeIfAbsent(run, name -> new long[1]);
            final long step = trainStep.step();
            if (step != nextStep[0])
            {
                fail(run + ": step " + step + " where " + nextStep[0] + " comes next (" +
                    (step < nextStep[0] ? "a duplicate or out of order" : "a gap") + ")");
            }
            assertRecordCarriesItsValues(run, step, trainStep);
            nextStep[0]++;
        });
        for (final Map.Entry<String, Long> run : acknowledged.entrySet())
        {
            final long[] nextStep = nextStepByRun.get(run.getKey());
            final long recorded = nextStep == null ? 0 : nextStep[0];
            assertTrue(recorded >= run.getValue(), () -> run.getKey() + ": acknowledged " + run.getValue() +
                " records, the recording holds " + recorded);
        }
        final Map<String, Long> recordsByRun = new HashMap<>();
        nextStepByRun.forEach((run, nextStep) -> recordsByRun.put(run, nextStep[0]));
        return recordsByRun;
    }

    private static void assertRecordCarriesItsValues(final String run, final long step, final GradienceTrainStepDecoder trainStep)
    {
        final int thread = run.charAt(run.length() - 1) - '0';
        if (trainStep.loss() != lossOf(step) || trainStep.lr() != lrOf(step) ||
            !trainStep.fields().loss() || !trainStep.fields().lr() || trainStep.fields().lrPerGroup())
        {
            fail(run + " step " + step + ": loss " + trainStep.loss() + " lr " + trainStep.lr() + " fields " +
                trainStep.fields() + ", expected loss " + lossOf(step) + " lr " + lrOf(step));
        }
        final GradienceTrainStepDecoder.LrGroupsDecoder lrGroups = trainStep.lrGroups();
        final GradienceTrainStepDecoder.DoubleMetricsDecoder doubleMetrics = trainStep.doubleMetrics();
        final GradienceTrainStepDecoder.LongMetricsDecoder longMetrics = trainStep.longMetrics();
        if (lrGroups.count() != 0 || doubleMetrics.count() != 0 || longMetrics.count() != 1 ||
            longMetrics.next().value() != checkOf(step, thread) || trainStep.extrasLength() != 0)
        {
            fail(run + " step " + step + ": groups or metrics are not the ones written");
        }
    }

    // The values a child writes with each step, so that the reader can tell a whole record from a torn one.

    private static double lossOf(final long step)
    {
        return 1.0 / (1 + step);
    }

    private static double lrOf(final long step)
    {
        return step * 1e-7;
    }

    private static long checkOf(final long step, final int thread)
    {
        return step * 31 + thread;
    }

    private static void deleteRecursively(final Path directory) throws IOException
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList()))
            {
                Files.delete(path);
            }
        }
    }

    /**
     * A child that leaves in its ring what a writer that died (or stalled for good) in the middle of an emit leaves: a
     * record claimed in the writer's lane and written up to its middle, beyond the lane's tail, never committed; then
     * {@link #RECORDS} records of another emitter committed after it, their emits returned and acknowledged. Every
     * other lane gets the same by hand: a record header beyond its tail and part of a body, then garbage. So beyond
     * every tail lies what looks like the start of a record, and only the tails tell what was published. The file
     * system has no room for the queue (a reserve larger than any disk), so the drainer drains nothing and every
     * record is still in the ring for the recovery after the kill. Then it waits for the kill.
     */
    public static final class UncommittedRecordRecorder
    {
        static final String RUN = "after-uncommitted-0";
        /** The run of the records never committed: the recording must hold none. */
        static final String UNCOMMITTED_RUN = "uncommitted-1";
        static final int RECORDS = 1000;
        /** Committed besides {@link #RUN}'s records: the session start and the definitions of 3 symbols. */
        static final int CONTROL_RECORDS = 4;
        private static final byte GARBAGE = (byte)0xA5;

        public static void main(final String[] args) throws Exception
        {
            final Path recording = Path.of(args[0]);
            final Recorder recorder = Recorder.open(new Recorder.Context()
                .directory(recording)
                .storageReserveBytes(Long.MAX_VALUE / 2));
            final GradienceEmitter emitter = recorder.emitter(GradienceEmitter::new, RUN);
            final int check = emitter.symbol("check");
            final int uncommittedRun = recorder.symbol(UNCOMMITTED_RUN);
            final int length = GradienceEmitter.trainStepMessageLength(0, 0, 1);

            // The writer that never commits: a lane of its own, as an emitter's, and a claim made the recorder's way.
            final RecordWriter stalled = recorder.newWriter();
            final int claimed = stalled.claim(GradienceTrainStepEncoder.TEMPLATE_ID, length);
            if (claimed < 0)
            {
                throw new IllegalStateException("the claim of the writer that never commits was refused");
            }
            writeHalfARecord(stalled.buffer(), claimed, length, uncommittedRun);

            for (long step = 0; step < RECORDS; step++)
            {
                if (!emitter.trainStep(step).loss(lossOf(step)).lr(lrOf(step)).metric(check, checkOf(step, 0)).commit())
                {
                    System.out.println(REFUSED + " " + RUN + " step " + step);
                }
            }

            // A second mapping of the ring file: check the claim is where an uncommitted record is (its header at its
            // lane's tail), and leave one beyond the tail of every other lane, by hand, as their producers would.
            final MappedByteBuffer mapped = IoUtil.mapExistingFile(
                recording.resolve(RecordingDirectoryLayout.RING_FILE).toFile(), "ring");
            final RingFileLanes lanes = new RingFileLanes(new UnsafeBuffer(mapped));
            final int stalledLane = lanes.laneOf(claimed);
            if (stalledLane < 1 || lanes.indexOf(stalledLane, lanes.tail(stalledLane)) + RECORD_HEADER_LENGTH != claimed)
            {
                throw new IllegalStateException("the uncommitted claim at " + claimed + " is not right beyond the " +
                    "tail of a lane of its own: lane " + stalledLane);
            }
            for (int lane = 0; lane < lanes.laneCount(); lane++)
            {
                if (lane != stalledLane)
                {
                    final RingFileLanes.Claim claim = lanes.claim(lane, GradienceTrainStepEncoder.TEMPLATE_ID, length);
                    if (claim == null)
                    {
                        throw new IllegalStateException("lane " + lane + " has no room");
                    }
                    writeHalfARecord(lanes.file(), claim.messageIndex(), length, uncommittedRun);
                }
            }
            System.out.println("uncommitted records beyond the tails of " + lanes.laneCount() + " lanes, " +
                "the recorder's claim in lane " + stalledLane);
            System.out.println("acked " + RUN + " " + RECORDS);
            System.out.println(READY);
            System.out.flush();
            while (true)
            {
                Thread.sleep(1000);
            }
        }

        /**
         * A train_step of {@link #UNCOMMITTED_RUN} encoded as far as its loss, then garbage to the end of the message.
         */
        private static void writeHalfARecord(final MutableDirectBuffer buffer, final int index, final int length, final int run)
        {
            buffer.setMemory(index, length, GARBAGE);
            new GradienceTrainStepEncoder().wrapAndApplyHeader(buffer, index, new MessageHeaderEncoder())
                .timestamp(1).run(run).step(0).loss(lossOf(0));
        }
    }

    // What each step of a thread emits, and the values it carries, so that the reader can tell a whole record of
    // the right kind from a torn, misplaced or invented one.

    private static int templateOf(final long step)
    {
        final long position = step % RUN_RECORDS;
        if (position == 0)
        {
            return GradienceRunStartDecoder.TEMPLATE_ID;
        }
        if (position == RUN_RECORDS - 1)
        {
            return GradienceRunEndDecoder.TEMPLATE_ID;
        }
        return switch ((int)(position % 16))
        {
            case 3, 11 -> GradienceEvalDecoder.TEMPLATE_ID;
            case 5, 13 -> GradienceMetricsDecoder.TEMPLATE_ID;
            case 7 -> GradienceAlertDecoder.TEMPLATE_ID;
            case 15 -> GradienceRecommendationDecoder.TEMPLATE_ID;
            default -> GradienceTrainStepDecoder.TEMPLATE_ID;
        };
    }

    private static String runOf(final String prefix, final int thread, final long step)
    {
        return prefix + "-" + thread + "-" + step / RUN_RECORDS;
    }

    private static String splitOf(final long step)
    {
        return "split-" + step / RUN_RECORDS;
    }

    private static String kindOf(final long step)
    {
        return "kind-" + step % 3;
    }

    private static String configOf(final long step, final int thread)
    {
        return "{\"step\":" + step + ",\"thread\":" + thread + "}";
    }

    private static String metricsOf(final long step, final int thread)
    {
        return "{\"v\":" + checkOf(step, thread) + "}";
    }

    private static String codeOf(final long step)
    {
        return "code-" + step;
    }

    private static String messageOf(final long step, final int thread)
    {
        return "alert of thread " + thread + " at " + step;
    }

    private static String recommendationsOf(final long step)
    {
        return "[{\"step\":" + step + "}]";
    }

    private static String reasonOf(final long step)
    {
        return "end at " + step;
    }

    /**
     * Decodes one record of a {@link MixedRecorder} and fails unless it is the record its step determines.
     */
    private static final class MixedRecordCheck
    {
        private static final String META = "{\"child\":\"crash\"}";
        private final String id;
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final GradienceRunStartDecoder runStart = new GradienceRunStartDecoder();
        private final GradienceTrainStepDecoder trainStep = new GradienceTrainStepDecoder();
        private final GradienceEvalDecoder eval = new GradienceEvalDecoder();
        private final GradienceMetricsDecoder metrics = new GradienceMetricsDecoder();
        private final GradienceAlertDecoder alert = new GradienceAlertDecoder();
        private final GradienceRecommendationDecoder recommendation = new GradienceRecommendationDecoder();
        private final GradienceRunEndDecoder runEnd = new GradienceRunEndDecoder();
        private long step;

        MixedRecordCheck(final String id)
        {
            this.id = id;
        }

        long step()
        {
            return step;
        }

        /**
         * @return the run the record belongs to.
         */
        String check(final int templateId, final DirectBuffer buffer, final int offset, final Symbols symbols)
        {
            header.wrap(buffer, offset);
            final int run;
            final String problem;
            switch (templateId)
            {
                case GradienceRunStartDecoder.TEMPLATE_ID ->
                {
                    runStart.wrapAndApplyHeader(buffer, offset, header);
                    run = runStart.run();
                    step = runStart.step();
                    final int thread = threadOf(symbols.get(run));
                    problem = same("config", configOf(step, thread), runStart.config()) +
                        same("meta", META, runStart.meta()) + same("extras", "", runStart.extras());
                }
                case GradienceTrainStepDecoder.TEMPLATE_ID ->
                {
                    trainStep.wrapAndApplyHeader(buffer, offset, header);
                    run = trainStep.run();
                    step = trainStep.step();
                    final int thread = threadOf(symbols.get(run));
                    final boolean fields = trainStep.fields().loss() && trainStep.fields().lr() && !trainStep.fields().lrPerGroup();
                    final GradienceTrainStepDecoder.LongMetricsDecoder longMetrics =
                        trainStep.lrGroups().count() == 0 && trainStep.doubleMetrics().count() == 0 ? trainStep.longMetrics() : null;
                    final boolean metric = longMetrics != null && longMetrics.count() == 1 && longMetrics.next() != null &&
                        "check".equals(symbols.get(longMetrics.key())) && longMetrics.value() == checkOf(step, thread);
                    problem = fields && metric && trainStep.loss() == lossOf(step) && trainStep.lr() == lrOf(step) &&
                        trainStep.extrasLength() == 0 ? "" : "train_step " + trainStep;
                }
                case GradienceEvalDecoder.TEMPLATE_ID ->
                {
                    eval.wrapAndApplyHeader(buffer, offset, header);
                    run = eval.run();
                    step = eval.step();
                    final int thread = threadOf(symbols.get(run));
                    problem = same("split", splitOf(step), symbols.get(eval.split())) +
                        (eval.fields().ppl() && eval.fields().n() && !eval.fields().accuracy() && !eval.fields().loss() &&
                        eval.ppl() == lossOf(step) && eval.n() == checkOf(step, thread) ? "" : "eval " + eval);
                }
                case GradienceMetricsDecoder.TEMPLATE_ID ->
                {
                    metrics.wrapAndApplyHeader(buffer, offset, header);
                    run = metrics.run();
                    step = metrics.step();
                    final int thread = threadOf(symbols.get(run));
                    problem = same("kind", kindOf(step), symbols.get(metrics.kind())) +
                        same("metrics", metricsOf(step, thread), metrics.metrics()) + same("extras", "", metrics.extras());
                }
                case GradienceAlertDecoder.TEMPLATE_ID ->
                {
                    alert.wrapAndApplyHeader(buffer, offset, header);
                    run = alert.run();
                    step = alert.step();
                    final int thread = threadOf(symbols.get(run));
                    problem = same("severity", SEVERITIES[(int)(step % 4)].name(), alert.severity().name()) +
                        same("code", codeOf(step), alert.code()) + same("message", messageOf(step, thread), alert.message()) +
                        same("context", configOf(step, thread), alert.context()) + same("extras", "", alert.extras());
                }
                case GradienceRecommendationDecoder.TEMPLATE_ID ->
                {
                    recommendation.wrapAndApplyHeader(buffer, offset, header);
                    run = recommendation.run();
                    step = recommendation.step();
                    problem = same("recommendations", recommendationsOf(step), recommendation.recommendations()) +
                        same("extras", "", recommendation.extras());
                }
                case GradienceRunEndDecoder.TEMPLATE_ID ->
                {
                    runEnd.wrapAndApplyHeader(buffer, offset, header);
                    run = runEnd.run();
                    step = runEnd.step();
                    problem = same("status", GradienceRunStatus.OK.name(), runEnd.status().name()) +
                        same("reason", reasonOf(step), runEnd.reason()) + same("extras", "", runEnd.extras());
                }
                default -> throw new AssertionError(id + ": a record of template " + templateId + ", which no child wrote");
            }
            final String runName = symbols.get(run);
            if (templateOf(step) != templateId)
            {
                fail(id + ": " + runName + " step " + step + " is a record of template " + templateId + ", not " + templateOf(step));
            }
            if (!problem.isEmpty())
            {
                fail(id + ": " + runName + " step " + step + " does not carry its step's values: " + problem);
            }
            return runName;
        }

        private int threadOf(final String run)
        {
            final int end = run.lastIndexOf('-');
            return Integer.parseInt(run.substring(run.lastIndexOf('-', end - 1) + 1, end));
        }

        private static String same(final String field, final String expected, final String actual)
        {
            return expected.equals(actual) ? "" : field + " " + actual + " where " + expected + " was written; ";
        }
    }

    /**
     * The child: records on {@link #THREADS} threads as fast as it can, each thread every kind of record in the
     * order {@link #templateOf} gives, a new emitter (run) every {@link #RUN_RECORDS} steps, and prints what
     * returned. Arguments: the recording, the prefix of its run ids, a directory for a throwaway warm-up recording,
     * the backpressure.
     */
    public static final class MixedRecorder
    {
        /** Drops are kept in the low bits of a thread's acknowledgement, emits in the high ones: read in one load. */
        private static final int DROP_BITS = 28;

        public static void main(final String[] args) throws Exception
        {
            final String prefix = args[1];
            final Backpressure backpressure = Backpressure.valueOf(args[3]);
            // Load the recorder's classes in a throwaway recording first, so that a kill aimed just after "opening"
            // lands in the real open (recovering the ring the previous child left), not in class loading.
            try (Recorder warmUp = Recorder.open(Path.of(args[2])))
            {
                warmUp.emitter(GradienceEmitter::new, "warm-up").trainStep(0, 0.0, 0.0);
            }
            System.out.println(OPENING);
            System.out.flush();
            final long openStartNs = System.nanoTime();
            final Recorder recorder = Recorder.open(context(Path.of(args[0]), backpressure));
            final long openNs = System.nanoTime() - openStartNs;

            final AtomicLongArray acked = new AtomicLongArray(THREADS);
            final List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int thread = t;
                final Thread worker = new Thread(() ->
                {
                    GradienceEmitter emitter = null;
                    long drops = 0;
                    for (long step = 0; ; step++)
                    {
                        if (step % RUN_RECORDS == 0)
                        {
                            if (emitter != null)
                            {
                                emitter.close();
                            }
                            emitter = recorder.emitter(GradienceEmitter::new, runOf(prefix, thread, step));
                        }
                        if (!emit(emitter, step, thread))
                        {
                            if (backpressure == Backpressure.BLOCK)
                            {
                                System.out.println(REFUSED + " " + prefix + "-" + thread + " step " + step + ": " + recorder.failure());
                                return;
                            }
                            drops++;
                        }
                        acked.lazySet(thread, (step + 1) << DROP_BITS | drops);
                    }
                }, prefix + "-" + t);
                worker.setDaemon(true);
                workers.add(worker);
            }
            System.out.println(READY + " after an open of " + openNs / 1_000_000 + " ms that recovered " + recorder.recovery());
            System.out.flush();
            workers.forEach(Thread::start);
            final StringBuilder out = new StringBuilder();
            while (true)
            {
                out.setLength(0);
                for (int t = 0; t < THREADS; t++)
                {
                    final long ack = acked.get(t);
                    out.append(ACKED).append(' ').append(prefix).append('-').append(t).append(' ')
                        .append(ack >>> DROP_BITS).append(' ').append(ack & ((1L << DROP_BITS) - 1)).append(" .\n");
                }
                System.out.print(out);
                System.out.flush();
                LockSupport.parkNanos(1_000_000);
            }
        }

        private static boolean emit(final GradienceEmitter emitter, final long step, final int thread)
        {
            final long now = System.currentTimeMillis() * 1_000_000L;
            return switch (templateOf(step))
            {
                case GradienceRunStartDecoder.TEMPLATE_ID -> emitter.runStartJson(now, step, utf8(configOf(step, thread)),
                    utf8(MixedRecordCheck.META), VarData.EMPTY);
                case GradienceTrainStepDecoder.TEMPLATE_ID -> emitter.trainStep(step).loss(lossOf(step)).lr(lrOf(step))
                    .metric(emitter.symbol("check"), checkOf(step, thread)).commit();
                case GradienceEvalDecoder.TEMPLATE_ID -> emitter.eval(step, splitOf(step)).ppl(lossOf(step))
                    .n(checkOf(step, thread)).commit();
                case GradienceMetricsDecoder.TEMPLATE_ID -> emitter.metricsJson(now, step, emitter.symbol(kindOf(step)),
                    utf8(metricsOf(step, thread)), VarData.EMPTY);
                case GradienceAlertDecoder.TEMPLATE_ID -> emitter.alertJson(now, step, SEVERITIES[(int)(step % 4)],
                    utf8(codeOf(step)), utf8(messageOf(step, thread)), utf8(configOf(step, thread)), VarData.EMPTY);
                case GradienceRecommendationDecoder.TEMPLATE_ID -> emitter.recommendationJson(now, step,
                    utf8(recommendationsOf(step)), VarData.EMPTY);
                case GradienceRunEndDecoder.TEMPLATE_ID -> emitter.runEndJson(now, step, GradienceRunStatus.OK,
                    utf8(reasonOf(step)), VarData.EMPTY);
                default -> throw new IllegalStateException("no record for step " + step);
            };
        }

        private static byte[] utf8(final String text)
        {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
