package io.blackbox.tests.recorder;

import io.blackbox.codecs.GradienceTrainStepDecoder;
import io.blackbox.codecs.GradienceTrainStepEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.exporter.RingBacklog;
import io.blackbox.recorder.RecordWriter;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.RingFileLanes;
import io.blackbox.tests.TestRecordings;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
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
 * A child JVM records train_steps on {@link #THREADS} threads as fast as it can and prints how many emits of each
 * thread have returned; the parent kills it with SIGKILL at a chosen moment, round after round over the same
 * recording, from the first milliseconds of emitting (and during the open that recovers the previous child's ring)
 * to a second in. Afterwards every acknowledged record is there, none twice, none torn (each carries the values
 * derived from its step), each thread's order kept.
 * <p>
 * Two ways a recording is reopened after a crash, both real: by the next process that records into it (the
 * children recover each other, and a child may itself die while recovering), or by whoever opens it afterwards
 * (here the test JVM, after every kill).
 */
class CrashRecoveryTest
{
    private static final int THREADS = 4;
    /** A guard against a hung child only, never a performance check. */
    private static final long CHILD_TIMEOUT_S = 60;
    private static final String OPENING = "opening";
    private static final String READY = "ready";
    private static final String REFUSED = "refused";
    private static final String END_OF_OUTPUT = "end-of-output";

    @TempDir
    Path temp;

    /**
     * Where in the child's life a kill lands: {@code delayMs} after it printed {@code marker}. After
     * {@link #OPENING} the child is inside {@code Recorder.open} of the recording, recovering what the previous
     * child left; after {@link #READY} its threads start emitting.
     */
    private record Kill(String marker, long delayMs)
    {
        @Override
        public String toString()
        {
            return delayMs + " ms after " + marker;
        }
    }

    /**
     * What one killed child acknowledged, and what it said about itself.
     */
    private record Round(String prefix, Kill kill, Map<String, Long> acknowledged, List<String> lines)
    {
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldKeepEveryAcknowledgedRecordWhenReopenedAfterEachKill() throws Exception
    {
        final List<Kill> kills = List.of(
            new Kill(READY, 0), new Kill(READY, 1), new Kill(READY, 3), new Kill(READY, 10),
            new Kill(READY, 50), new Kill(READY, 200), new Kill(READY, 800));
        final Path recording = temp.resolve("recording");
        final List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < kills.size(); i++)
        {
            rounds.add(killChild(recording, "round" + i, kills.get(i)));
            try (Recorder recorder = Recorder.open(recording))
            {
                System.out.println("round" + i + " reopened by the test: " + recorder.recovery());
            }
        }

        assertEveryAcknowledgedRecordOnceInOrder(recording, rounds);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldKeepEveryAcknowledgedRecordWhenKilledSeveralTimesBeforeReopening() throws Exception
    {
        // The kills after OPENING follow a child killed with a full ring, so they land in its recovery (or just
        // before it); the next child recovers what a half-done recovery left.
        final List<Kill> kills = List.of(
            new Kill(READY, 400), new Kill(OPENING, 0), new Kill(OPENING, 20), new Kill(READY, 0),
            new Kill(READY, 5), new Kill(READY, 300), new Kill(OPENING, 40), new Kill(READY, 1000));
        final Path recording = temp.resolve("recording");
        final List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < kills.size(); i++)
        {
            rounds.add(killChild(recording, "round" + i, kills.get(i)));
        }
        try (Recorder recorder = Recorder.open(recording))
        {
            System.out.println("reopened once by the test: " + recorder.recovery());
        }

        assertEveryAcknowledgedRecordOnceInOrder(recording, rounds);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldRecoverRecordsCommittedAfterARecordItsWriterNeverCommitted() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final Path errors = temp.resolve("uncommitted.err");
        final Process child = new ProcessBuilder(
            TestRecordings.javaCommand(UncommittedRecordRecorder.class, recording.toString()))
            .redirectError(errors.toFile())
            .start();
        final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        try
        {
            child.getOutputStream().close();
            final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            final Thread stdout = new Thread(() -> readOutput(child.getInputStream(), acknowledged, lines), "uncommitted-stdout");
            stdout.setDaemon(true);
            stdout.start();
            final List<String> said = new ArrayList<>();
            awaitLine(READY, lines, said, errors);
            System.out.println("uncommitted child said " + said);
            child.toHandle().destroyForcibly();
            assertTrue(child.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS), "child did not die");
            assertEquals(137, child.exitValue(), () -> "exit of the child\n" + readQuietly(errors));
        }
        finally
        {
            child.destroyForcibly();
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
        final Map<String, Long> recorded = assertEveryAcknowledgedRecordOnceInOrder(recording,
            List.of(new Round("uncommitted", new Kill(READY, 0), Map.copyOf(acknowledged), List.of())));
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
        assertEveryAcknowledgedRecordOnceInOrder(recording,
            List.of(new Round("after-crash", new Kill(READY, 0), Map.of("after-crash-0", 1L), List.of())));
    }

    /**
     * Start a child recording into {@code recording}, SIGKILL it at {@code kill}, and collect what it acknowledged.
     */
    private Round killChild(final Path recording, final String prefix, final Kill kill) throws Exception
    {
        final Path errors = temp.resolve(prefix + ".err");
        final Process child = new ProcessBuilder(TestRecordings.javaCommand(CrashingRecorder.class,
            recording.toString(), prefix, temp.resolve(prefix + "-warm-up").toString()))
            .redirectError(errors.toFile())
            .start();
        try
        {
            child.getOutputStream().close();
            final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
            final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            final Thread stdout = new Thread(() -> readOutput(child.getInputStream(), acknowledged, lines), prefix + "-stdout");
            stdout.setDaemon(true);
            stdout.start();

            final List<String> said = new ArrayList<>();
            awaitLine(kill.marker(), lines, said, errors);
            pause(kill.delayMs());
            // SIGKILL, as an OOM killer sends it: no shutdown hook, no close. ProcessHandle.destroyForcibly is
            // kill(pid, SIGKILL) with no fork of a kill command, so a kill aimed at the first milliseconds lands
            // there; Process.destroyForcibly would also close our end of the child's stdout, losing
            // acknowledgements printed just before the kill.
            child.toHandle().destroyForcibly();
            assertTrue(child.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS), prefix + ": child did not die");
            // 128 + SIGKILL: the child died of the kill, not of something of its own.
            assertEquals(137, child.exitValue(), () -> prefix + ": exit of the child\n" + readQuietly(errors));
            stdout.join(TimeUnit.SECONDS.toMillis(CHILD_TIMEOUT_S));
            assertFalse(stdout.isAlive(), prefix + ": the child's stdout did not end");
            lines.drainTo(said);
            for (final String line : said)
            {
                assertFalse(line.startsWith(REFUSED), () -> prefix + ": an emit was refused: " + line + "\n" + readQuietly(errors));
            }
            final long total = acknowledged.values().stream().mapToLong(Long::longValue).sum();
            System.out.println(prefix + " killed " + kill + ": " + said + ", acknowledged " + total + " records " + acknowledged);
            return new Round(prefix, kill, Map.copyOf(acknowledged), said);
        }
        finally
        {
            child.destroyForcibly();
        }
    }

    private static void readOutput(final InputStream in, final Map<String, Long> acknowledged, final BlockingQueue<String> lines)
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                // "acked RUN COUNT": COUNT emits of RUN had returned when the line was printed. A line cut short by
                // the kill parses to a smaller count or not at all: it can only understate what was acknowledged.
                final String[] parts = line.split(" ");
                if (parts.length == 3 && parts[0].equals("acked"))
                {
                    acknowledged.merge(parts[1], Long.parseLong(parts[2]), Math::max);
                }
                else
                {
                    lines.add(line);
                }
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            lines.add("stdout: " + ex);
        }
        lines.add(END_OF_OUTPUT);
    }

    private static void awaitLine(final String marker, final BlockingQueue<String> lines, final List<String> said,
        final Path errors) throws InterruptedException
    {
        while (true)
        {
            final String line = lines.poll(CHILD_TIMEOUT_S, TimeUnit.SECONDS);
            if (line == null || line.equals(END_OF_OUTPUT))
            {
                fail("the child never said " + marker + "; it said " + said + "\n" + readQuietly(errors));
            }
            said.add(line);
            if (line.startsWith(marker))
            {
                return;
            }
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
     * Read the whole recording: each run's steps must run 0, 1, 2... with no gap or repeat, each record must
     * carry the values its step determines, and each run must hold at least what its child acknowledged.
     *
     * @return the records of each run the recording holds.
     */
    private static Map<String, Long> assertEveryAcknowledgedRecordOnceInOrder(final Path recording, final List<Round> rounds)
    {
        final Map<String, long[]> nextStepByRun = new HashMap<>();
        final long records = readTrainSteps(recording, (run, trainStep, symbols) ->
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
        }).records();

        long acknowledgedTotal = 0;
        for (final Round round : rounds)
        {
            for (final Map.Entry<String, Long> run : round.acknowledged().entrySet())
            {
                final long[] nextStep = nextStepByRun.get(run.getKey());
                final long recorded = nextStep == null ? 0 : nextStep[0];
                assertTrue(recorded >= run.getValue(), () -> run.getKey() + " (killed " + round.kill() + "): acknowledged " +
                    run.getValue() + " records, the recording holds " + recorded);
                acknowledgedTotal += run.getValue();
            }
            if (round.kill().marker().equals(READY) && round.kill().delayMs() >= 50)
            {
                assertEquals(THREADS, round.acknowledged().size(),
                    () -> round.prefix() + ": every thread acknowledged something before the kill " + round.kill());
            }
        }
        System.out.println("recording holds " + records + " records of " + nextStepByRun.size() + " runs; " +
            acknowledgedTotal + " were acknowledged");
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

    private static String readQuietly(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return ex.toString();
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

    /**
     * The child: records train_steps as fast as it can on {@link #THREADS} threads and prints acknowledgements.
     * Arguments: the recording, the prefix of its run ids, a directory for a throwaway warm-up recording.
     */
    public static final class CrashingRecorder
    {
        public static void main(final String[] args) throws Exception
        {
            final String prefix = args[1];
            // Load the recorder's classes in a throwaway recording first, so that a kill aimed just after "opening"
            // lands in the real open (recovering the ring the previous child left), not in class loading.
            try (Recorder warmUp = Recorder.open(Path.of(args[2])))
            {
                warmUp.emitter(GradienceEmitter::new, "warm-up").trainStep(0, 0.0, 0.0);
            }
            System.out.println(OPENING);
            System.out.flush();
            final long openStartNs = System.nanoTime();
            final Recorder recorder = Recorder.open(Path.of(args[0]));
            final long openNs = System.nanoTime() - openStartNs;

            final AtomicLongArray acked = new AtomicLongArray(THREADS);
            final List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int thread = t;
                final GradienceEmitter emitter = recorder.emitter(GradienceEmitter::new, prefix + "-" + t);
                final int check = emitter.symbol("check");
                final Thread worker = new Thread(() ->
                {
                    for (long step = 0; ; step++)
                    {
                        if (!emitter.trainStep(step).loss(lossOf(step)).lr(lrOf(step)).metric(check, checkOf(step, thread)).commit())
                        {
                            System.out.println(REFUSED + " " + prefix + "-" + thread + " step " + step + ": " + recorder.failure());
                            return;
                        }
                        acked.lazySet(thread, step + 1);
                    }
                });
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
                    out.append("acked ").append(prefix).append('-').append(t).append(' ').append(acked.get(t)).append('\n');
                }
                System.out.print(out);
                System.out.flush();
                LockSupport.parkNanos(1_000_000);
            }
        }
    }
}
