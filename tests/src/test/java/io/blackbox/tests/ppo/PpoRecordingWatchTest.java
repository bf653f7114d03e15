package io.blackbox.tests.ppo;

import io.blackbox.codecs.PpoDataMode;
import io.blackbox.exporter.cli.BlackboxCommand;
import io.blackbox.exporter.ppo.PpoWire;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.recorder.ppo.PpoEmitter;
import io.blackbox.tests.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code blackbox watch ppo --recording DIR} through the real command line, on recordings a real {@link PpoEmitter}
 * writes: it alerts on each run's records as their exported lines, writes nothing but its state, resumes per run
 * across a recorder reopening the recording for more of the run, follows a recording whose recorder is still open (as
 * restarted {@code --once} watchers and as one continuous watcher), and
 * refuses a state that is not this recording's.
 */
class PpoRecordingWatchTest
{
    private static final String RUN = "ppo-a";
    private static final String OTHER_RUN = "ppo-b";

    @TempDir
    Path temp;

    private static CommandRun watch(final String... args)
    {
        final String[] command = new String[args.length + 2];
        command[0] = "watch";
        command[1] = PpoWire.FAMILY;
        System.arraycopy(args, 0, command, 2, args.length);
        return CommandRun.of(command);
    }

    /**
     * One epoch of one mini-batch: a healthy one unless {@code kl} or {@code grad} is past the default thresholds.
     */
    private static void epoch(final PpoEmitter ppo, final long epoch, final double kl, final double grad)
    {
        ppo.epochStart(epoch, PpoDataMode.ROLLOUT, 1, 10);
        ppo.miniBatch(32, 0.1, 0.2, 1.2, 0.3, 0.1, kl, grad, 0.0, 1.0);
        assertTrue(ppo.epochEnd(3e-4, 10 * epoch));
    }

    private static String alert(final Path recording, final String run, final int line, final String rest)
    {
        return "ALERT " + recording.toAbsolutePath().normalize() + "#" + run + ":" + line + ": log_stream_offset " +
            line + ", epoch " + line + ": " + rest;
    }

    private static List<String> listing(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            return files.map(directory::relativize).map(Path::toString).sorted().toList();
        }
    }

    @Test
    void shouldAlertOnEachRunOfAClosedRecordingAndResumeWhenTheRunGoesOn() throws IOException
    {
        final Path recording = temp.resolve("recording");
        final Path state = temp.resolve("watch.state");
        try (Recorder recorder = Recorder.open(recording))
        {
            final PpoEmitter a = recorder.emitter(PpoEmitter::new, RUN);
            final PpoEmitter b = recorder.emitter(PpoEmitter::new, OTHER_RUN);
            final GradienceEmitter gradience = recorder.emitter(GradienceEmitter::new, "not-ppo");
            gradience.runStart(Map.of(), Map.of());
            epoch(a, 1, 0.01, 1.0);
            epoch(a, 2, 0.08, 1.0);
            epoch(b, 1, 0.01, 12.5);
            epoch(a, 3, 0.01, 1.0);
        }
        final List<String> before = listing(recording);

        final CommandRun first = watch("--recording", recording.toString(), "--once", "--state", state.toString());
        assertEquals(2, first.exit(), first::toString);
        assertEquals(List.of(
            alert(recording, RUN, 2, "KL: kl_divergence_max 0.08 above 0.05"),
            alert(recording, OTHER_RUN, 1, "gradient norm: grad_norm_max 12.5 above 10")), first.outLines("ALERT "));
        assertEquals("", first.err(), first::toString);
        assertEquals(before, listing(recording), "a watch writes nothing to the recording");

        // A second process records more of run a: its offsets go on from 4.
        try (Recorder recorder = Recorder.open(recording))
        {
            final PpoEmitter a = recorder.emitter(PpoEmitter::new, RUN);
            epoch(a, 4, 0.01, 1.0);
            epoch(a, 5, 0.09, 1.0);
        }
        final CommandRun second = watch("--recording", recording.toString(), "--once", "--state", state.toString());
        assertEquals(2, second.exit(), second::toString);
        assertEquals(List.of(alert(recording, RUN, 5, "KL: kl_divergence_max 0.09 above 0.05")),
            second.outLines("ALERT "), "only the new record alerts; run b's alert is not repeated");

        final CommandRun third = watch("--recording", recording.toString(), "--once", "--state", state.toString());
        assertEquals(0, third.exit(), third::toString);
        assertEquals(List.of(), third.outLines("ALERT "));

        final CommandRun stateless = watch("--recording", recording.toString(), "--once");
        assertEquals(3, stateless.outLines("ALERT ").size(), "without a state every alert is given: " + stateless);
    }

    @Test
    void shouldFollowARecordingWhoseRecorderIsStillOpen() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final Path state = temp.resolve("watch.state");
        try (Recorder recorder = Recorder.open(recording))
        {
            final PpoEmitter a = recorder.emitter(PpoEmitter::new, RUN);
            final List<String> alerts = new ArrayList<>();
            for (int epoch = 1; epoch <= 4; epoch++)
            {
                epoch(a, epoch, epoch % 2 == 0 ? 0.5 : 0.01, 1.0);
                // Restarted watchers with one state, while the recorder drains: each alert once, as it reaches the
                // queue. The loop ends when this epoch's alert (or, for a healthy epoch, a look after it) is in.
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                final int expected = epoch / 2;
                do
                {
                    final CommandRun run = watch("--recording", recording.toString(), "--once", "--state",
                        state.toString());
                    assertTrue(run.exit() == 0 || run.exit() == 2, run::toString);
                    alerts.addAll(run.outLines("ALERT "));
                }
                while (alerts.size() < expected && System.nanoTime() < deadline);
            }
            assertEquals(List.of(
                alert(recording, RUN, 2, "KL: kl_divergence_max 0.5 above 0.05"),
                alert(recording, RUN, 4, "KL: kl_divergence_max 0.5 above 0.05")), alerts);
        }
    }

    @Test
    void shouldAlertAsTheRecorderWritesWhenRunningContinuously() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Recorder recorder = Recorder.open(recording);
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            // No --once: the command polls until interrupted, as a user's watch runs until Ctrl-C.
            final Thread watcher = new Thread(() -> BlackboxCommand.execute(o, e, "watch", PpoWire.FAMILY,
                "--recording", recording.toString(), "--poll-ms", "5"), "continuous-watch");
            watcher.start();
            final PpoEmitter a = recorder.emitter(PpoEmitter::new, RUN);
            for (int epoch = 1; epoch <= 3; epoch++)
            {
                epoch(a, epoch, epoch == 1 ? 0.01 : 0.3, 1.0);
                final int expected = epoch - 1;
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (alertLines(out).size() < expected && System.nanoTime() < deadline)
                {
                    Thread.sleep(5);
                }
                assertEquals(expected, alertLines(out).size(), () -> "epoch " + expected + "'s alert, as it is " +
                    "recorded: " + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
            }
            watcher.interrupt();
            watcher.join(TimeUnit.SECONDS.toMillis(30));
            assertEquals(List.of(
                alert(recording, RUN, 2, "KL: kl_divergence_max 0.3 above 0.05"),
                alert(recording, RUN, 3, "KL: kl_divergence_max 0.3 above 0.05")), alertLines(out));
        }
    }

    private static List<String> alertLines(final ByteArrayOutputStream out)
    {
        synchronized (out)
        {
            return out.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("ALERT ")).toList();
        }
    }

    @Test
    void shouldRefuseAStateThatIsNotThisRecordings() throws IOException
    {
        final Path recording = temp.resolve("recording");
        final Path other = temp.resolve("other");
        final Path state = temp.resolve("watch.state");
        for (final Path directory : List.of(recording, other))
        {
            try (Recorder recorder = Recorder.open(directory))
            {
                epoch(recorder.emitter(PpoEmitter::new, RUN), 1, 0.01, 1.0);
            }
        }
        assertEquals(0, watch("--recording", recording.toString(), "--once", "--state", state.toString()).exit());

        final CommandRun otherRecording = watch("--recording", other.toString(), "--once", "--state", state.toString());
        assertEquals(1, otherRecording.exit(), otherRecording::toString);
        assertTrue(otherRecording.err().contains("belongs to the recording " + recording.toAbsolutePath().normalize()),
            otherRecording::toString);

        final Path file = Files.writeString(temp.resolve("run.jsonl"), "");
        final CommandRun fileWatch = watch(file.toString(), "--once", "--state", state.toString());
        assertEquals(1, fileWatch.exit(), fileWatch::toString);
        assertTrue(fileWatch.err().contains("belongs to the recording " + recording.toAbsolutePath().normalize()),
            fileWatch::toString);
    }

    @Test
    void shouldRefuseNeitherOrBothOfAFileAndARecordingAndANonRecording() throws IOException
    {
        final CommandRun neither = watch("--once");
        assertEquals(BlackboxCommand.EXIT_USAGE, neither.exit(), neither::toString);
        assertTrue(neither.err().contains("name a FILE or a --recording DIR to watch, not neither"), neither::toString);

        final Path file = Files.writeString(temp.resolve("run.jsonl"), "");
        final CommandRun both = watch(file.toString(), "--recording", temp.toString(), "--once");
        assertEquals(BlackboxCommand.EXIT_USAGE, both.exit(), both::toString);

        final CommandRun notRecording = watch("--recording", temp.resolve("nothing").toString(), "--once");
        assertEquals(1, notRecording.exit(), notRecording::toString);
        assertTrue(notRecording.err().contains("no such recording directory"), notRecording::toString);
    }
}
