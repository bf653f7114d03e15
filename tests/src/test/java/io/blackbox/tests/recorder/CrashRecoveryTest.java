package io.blackbox.tests.recorder;

import io.blackbox.codecs.GradienceTrainStepDecoder;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child JVM records as fast as it can and prints how many emits have returned; the parent kills it with SIGKILL
 * at a random moment, three times over the same recording. Reopening recovers the ring: every acknowledged record
 * is there, none twice, each thread's order kept.
 */
class CrashRecoveryTest
{
    private static final int THREADS = 2;
    private static final int ROUNDS = 3;

    @TempDir
    Path temp;

    @Test
    void shouldKeepEveryAcknowledgedRecordThroughKillMinusNine() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final SplittableRandom random = new SplittableRandom(7);
        final Map<String, Long> acknowledged = new HashMap<>();
        for (int round = 0; round < ROUNDS; round++)
        {
            final Path errors = temp.resolve("child-" + round + ".err");
            final Process child = new ProcessBuilder(TestRecordings.javaCommand(
                CrashingRecorder.class, recording.toString(), "round" + round))
                .redirectErrorStream(false)
                .redirectError(errors.toFile())
                .start();
            final BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            final String ready = lines.readLine();
            assertEquals("ready", ready, () -> "child did not start: " + readQuietly(errors));
            final long killAfterMs = 200 + random.nextInt(1200);
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(killAfterMs);
            String line;
            while (System.nanoTime() < deadline && (line = lines.readLine()) != null)
            {
                record(line, acknowledged);
            }
            // SIGKILL from outside, as an OOM killer would: no shutdown hook, no close. (Process.destroyForcibly
            // would also close our end of its stdout, losing acknowledgements printed just before the kill.)
            assertEquals(0, new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).start().waitFor());
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            while ((line = lines.readLine()) != null)
            {
                record(line, acknowledged);
            }
            final String prefix = "round" + round + "-";
            assertTrue(acknowledged.keySet().stream().anyMatch(run -> run.startsWith(prefix)),
                "child acknowledged nothing in round " + round);
        }

        try (Recorder recorder = Recorder.open(recording))
        {
            // The last child's ring is drained by this open; what a torn record cost is counted, never duplicated.
            assertTrue(recorder.recovery().records() >= 0);
        }

        final Map<String, Long> next = new HashMap<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final GradienceTrainStepDecoder trainStep = new GradienceTrainStepDecoder();
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            reader.read((templateId, buffer, offset, length, symbols) ->
            {
                header.wrap(buffer, offset);
                trainStep.wrapAndApplyHeader(buffer, offset, header);
                final String run = symbols.get(trainStep.run());
                final long expected = next.getOrDefault(run, 0L);
                assertEquals(expected, trainStep.step(), "step of " + run + " (a gap or a duplicate)");
                next.put(run, expected + 1);
            });
            assertEquals(List.of(), reader.damage());
        }
        for (final Map.Entry<String, Long> run : acknowledged.entrySet())
        {
            final long recorded = next.getOrDefault(run.getKey(), 0L);
            assertTrue(recorded >= run.getValue(),
                run.getKey() + ": acknowledged " + run.getValue() + " records, recording holds " + recorded);
        }
    }

    private static String readQuietly(final Path file)
    {
        try
        {
            return java.nio.file.Files.readString(file);
        }
        catch (final java.io.IOException ex)
        {
            return ex.toString();
        }
    }

    private static void record(final String line, final Map<String, Long> acknowledged)
    {
        // "acked RUN COUNT": COUNT emits of RUN had returned when the line was printed.
        final String[] parts = line.split(" ");
        if (parts.length == 3 && parts[0].equals("acked"))
        {
            acknowledged.merge(parts[1], Long.parseLong(parts[2]), Math::max);
        }
    }

    /**
     * The child: records train_steps as fast as it can on {@link #THREADS} threads and prints acknowledgements.
     */
    public static final class CrashingRecorder
    {
        public static void main(final String[] args) throws Exception
        {
            final Recorder recorder = Recorder.open(Path.of(args[0]));
            final String prefix = args[1];
            final AtomicLongArray acked = new AtomicLongArray(THREADS);
            for (int t = 0; t < THREADS; t++)
            {
                final int thread = t;
                final GradienceEmitter emitter = recorder.gradience(prefix + "-" + t);
                final Thread worker = new Thread(() ->
                {
                    for (long step = 0; ; step++)
                    {
                        if (!emitter.trainStep(step, 0.5, 1e-4))
                        {
                            return;
                        }
                        acked.lazySet(thread, step + 1);
                    }
                });
                worker.setDaemon(true);
                worker.start();
            }
            System.out.println("ready");
            System.out.flush();
            while (true)
            {
                final StringBuilder out = new StringBuilder();
                for (int t = 0; t < THREADS; t++)
                {
                    out.append("acked ").append(prefix).append('-').append(t).append(' ').append(acked.get(t)).append('\n');
                }
                System.out.print(out);
                System.out.flush();
                Thread.sleep(5);
            }
        }
    }
}
