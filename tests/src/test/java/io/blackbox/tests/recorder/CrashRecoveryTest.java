package io.blackbox.tests.recorder;

import io.blackbox.codecs.GradienceTrainStepDecoder;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.codecs.layout.RingFileDescriptor;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.TestRecordings;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
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
    void shouldRecoverRecordsCommittedAfterAClaimWhoseWriterStalled() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final Path errors = temp.resolve("stalled.err");
        final Process child = new ProcessBuilder(TestRecordings.javaCommand(StalledClaimRecorder.class, recording.toString()))
            .redirectError(errors.toFile())
            .start();
        final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        try
        {
            child.getOutputStream().close();
            final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            final Thread stdout = new Thread(() -> readOutput(child.getInputStream(), acknowledged, lines), "stalled-stdout");
            stdout.setDaemon(true);
            stdout.start();
            awaitLine(READY, lines, new ArrayList<>(), errors);
            child.toHandle().destroyForcibly();
            assertTrue(child.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS), "child did not die");
            assertEquals(137, child.exitValue(), () -> "exit of the child\n" + readQuietly(errors));
        }
        finally
        {
            child.destroyForcibly();
        }
        assertEquals(Map.of(StalledClaimRecorder.RUN, (long)StalledClaimRecorder.RECORDS), acknowledged);

        try (Recorder recorder = Recorder.open(recording))
        {
            System.out.println("reopened after a stalled claim: " + recorder.recovery());
        }
        assertEveryAcknowledgedRecordOnceInOrder(recording,
            List.of(new Round("stalled", new Kill(READY, 0), Map.copyOf(acknowledged), List.of())));
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldReopenARecordingWhoseQueueFileWasBeingCreatedWhenTheProcessDied() throws Exception
    {
        final Path recording = temp.resolve("recording");
        try (Recorder recorder = Recorder.open(recording))
        {
            assertTrue(recorder.gradience("before").trainStep(0, lossOf(0), lrOf(0)));
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
            final GradienceEmitter emitter = recorder.gradience("after-crash-0");
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
     */
    private static void assertEveryAcknowledgedRecordOnceInOrder(final Path recording, final List<Round> rounds)
    {
        final Map<String, long[]> nextStepByRun = new HashMap<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final GradienceTrainStepDecoder trainStep = new GradienceTrainStepDecoder();
        final long records;
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            records = reader.read((templateId, buffer, offset, length, symbols) ->
            {
                assertEquals(GradienceTrainStepDecoder.TEMPLATE_ID, templateId, "template of a record");
                header.wrap(buffer, offset);
                trainStep.wrapAndApplyHeader(buffer, offset, header);
                final String run = symbols.get(trainStep.run());
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
            assertEquals(List.of(), reader.damage(), "damage found reading " + recording);
        }

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
     * A child that leaves its ring as a thread preempted inside {@code ManyToOneRingBuffer.tryClaim} would: space
     * claimed (the tail moved on) but no record header written yet, then {@link #RECORDS} records of another thread
     * committed after it, their emits returned and acknowledged. Then it waits for the kill.
     */
    public static final class StalledClaimRecorder
    {
        static final String RUN = "after-stall-0";
        static final int RECORDS = 1000;

        public static void main(final String[] args) throws Exception
        {
            final Path recording = Path.of(args[0]);
            final Recorder recorder = Recorder.open(recording);
            final GradienceEmitter emitter = recorder.gradience(RUN);
            final int check = emitter.symbol("check");

            // A second mapping of the ring file, to take a claim the way tryClaim does (a CAS on the tail) and
            // stop where a preempted thread would, before the header store.
            final MappedByteBuffer mapped = IoUtil.mapExistingFile(
                recording.resolve(RecordingDirectoryLayout.RING_FILE).toFile(), "ring");
            final int capacity = new UnsafeBuffer(mapped, 0, RingFileDescriptor.HEADER_LENGTH)
                .getInt(RingFileDescriptor.RING_CAPACITY_OFFSET);
            final UnsafeBuffer ring = new UnsafeBuffer(
                mapped, RingFileDescriptor.HEADER_LENGTH, capacity + RingBufferDescriptor.TRAILER_LENGTH);
            final int tailIndex = capacity + RingBufferDescriptor.TAIL_POSITION_OFFSET;
            final int claimed = GradienceEmitter.trainStepRecordBytes(0, 0, 1);
            long tail;
            do
            {
                tail = ring.getLongVolatile(tailIndex);
            }
            while (!ring.compareAndSetLong(tailIndex, tail, tail + claimed));

            for (long step = 0; step < RECORDS; step++)
            {
                if (!emitter.trainStep(step).loss(lossOf(step)).lr(lrOf(step)).metric(check, checkOf(step, 0)).commit())
                {
                    System.out.println(REFUSED + " " + RUN + " step " + step);
                }
            }
            System.out.println("acked " + RUN + " " + RECORDS);
            System.out.println(READY);
            System.out.flush();
            while (true)
            {
                Thread.sleep(1000);
            }
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
                warmUp.gradience("warm-up").trainStep(0, 0.0, 0.0);
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
                final GradienceEmitter emitter = recorder.gradience(prefix + "-" + t);
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
