package io.blackbox.tests.cli;

import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.clamp.ClampSessionFile;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.recorder.Recorder;
import io.blackbox.tests.ChildJvm;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code blackbox demo} killed with SIGKILL mid-run, as the packaged jar runs for a user: its {@code steps=N}
 * progress lines are acknowledgements. After each kill the recording is reopened (draining what the dead process
 * left in its ring) and exported: at least the last N reported train_steps are there, each run's steps contiguous
 * from step 1, in order, none twice.
 */
class DemoCrashTest
{
    /** Far more steps than the runs reach before the kill: the demo is always recording when it dies. */
    private static final long STEPS = 1_000_000_000L;
    private static final int THREADS = 2;
    private static final int EVAL_EVERY = 20_000;
    private static final String PROGRESS_LINE = "progress steps=";
    private static final Pattern PROGRESS = Pattern.compile("^" + PROGRESS_LINE + "(\\d+) total=\\d+ elapsed=");

    @TempDir
    Path temp;

    /**
     * When a kill lands: {@code delayMs} after the demo printed its {@code progressLines}-th progress line (they come
     * every 0.5 s).
     */
    private record Kill(int progressLines, long delayMs)
    {
        @Override
        public String toString()
        {
            return delayMs + " ms after progress line " + progressLines;
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldKeepEveryStepItsProgressReportedWhenKilledMidRun() throws Exception
    {
        // Within the first second of recording, so that the exports stay a few million records.
        final List<Kill> kills = List.of(new Kill(1, 0), new Kill(1, 150), new Kill(1, 350));
        for (int i = 0; i < kills.size(); i++)
        {
            final Path out = temp.resolve("demo-" + i);
            final long acknowledged = runDemoAndKill(out, kills.get(i));
            assertEveryAcknowledgedStepRecorded(out.resolve("recording"), temp.resolve("export-" + i), acknowledged, kills.get(i));
        }
    }

    /**
     * @return the last {@code steps=N} the demo reported before it died.
     */
    private long runDemoAndKill(final Path out, final Kill kill) throws Exception
    {
        final Path home = Files.createDirectories(temp.resolve("home"));
        final Path errors = temp.resolve(out.getFileName() + ".err");
        try (ChildJvm demo = ChildJvm.start("demo", BlackboxJar.command(home, temp, "demo", "--steps", Long.toString(STEPS),
            "--threads", Integer.toString(THREADS), "--eval-every", Integer.toString(EVAL_EVERY), "--out", out.toString()),
            errors))
        {
            demo.closeInput();
            for (int i = 0; i < kill.progressLines(); i++)
            {
                demo.awaitLine(PROGRESS_LINE);
            }
            Thread.sleep(kill.delayMs());
            // 128 + SIGKILL: it died of the kill, not of something of its own.
            assertEquals(137, demo.kill(), () -> "exit of the demo: " + demo.lines() + "\n" + demo.errors());

            final List<String> said = demo.lines();
            long acknowledged = -1;
            for (final String line : said)
            {
                // A progress line cut short by the kill does not match PROGRESS: it can only understate.
                final Matcher progress = PROGRESS.matcher(line);
                if (progress.find())
                {
                    acknowledged = Long.parseLong(progress.group(1));
                }
                // The demo must die recording: a report line means it finished first and the kill proved nothing.
                assertFalse(line.startsWith("recorded "), () -> "the demo finished before the kill: " + said);
            }
            final long last = acknowledged;
            assertTrue(last > 0, () -> "the demo reported steps before the kill " + kill + ": " + said);
            System.out.println(out.getFileName() + " killed " + kill + ": last progress " + last + " steps; " + said);
            return last;
        }
    }

    private static void assertEveryAcknowledgedStepRecorded(
        final Path recording, final Path exportDirectory, final long acknowledged, final Kill kill) throws IOException
    {
        try (Recorder recorder = Recorder.open(recording))
        {
            System.out.println(recording + " reopened: " + recorder.recovery());
        }
        final RecordingExport.Result export = RecordingExport.export(recording, exportDirectory);
        assertEquals(List.of(), export.damage(), "damage exporting " + recording);

        final List<FamilyExport.ExportedFile> files = export.files().getOrDefault("gradience", List.of());
        assertEquals(THREADS, files.size(), () -> "run files " + files);
        long trainSteps = 0;
        for (final FamilyExport.ExportedFile file : files)
        {
            trainSteps += assertStepsContiguousFromOne(file.path());
        }
        final List<FamilyExport.ExportedFile> ppoFiles = export.files().getOrDefault("ppo", List.of());
        assertEquals(THREADS, ppoFiles.size(), () -> "ppo run files " + ppoFiles);
        long miniBatches = 0;
        for (final FamilyExport.ExportedFile file : ppoFiles)
        {
            miniBatches += assertEpochsContiguousFromOne(file.path());
        }
        final List<FamilyExport.ExportedFile> esperFiles = export.files().getOrDefault("esper", List.of());
        assertEquals(THREADS, esperFiles.size(), () -> "esper run files " + esperFiles);
        long rewards = 0;
        for (final FamilyExport.ExportedFile file : esperFiles)
        {
            rewards += assertEsperEventsOnce(file.path());
        }
        long anchors = 0;
        for (final FamilyExport.ExportedFile file : export.files().getOrDefault("clamp", List.of()))
        {
            anchors += countStepAnchors(file.path());
        }
        long planSteps = 0;
        for (final FamilyExport.ExportedFile file : export.files().getOrDefault("agent", List.of()))
        {
            planSteps += TestRecordings.readJsonl(file.path()).stream()
                .filter(record -> "plan.step_completed".equals(record.get("event").textValue())).count();
        }
        final long recorded = trainSteps + miniBatches + rewards + anchors + planSteps;
        final long ppoSteps = miniBatches;
        final long esperSteps = rewards;
        assertTrue(recorded >= acknowledged, () -> "killed " + kill + ": progress acknowledged " + acknowledged +
            " steps (train_steps, mini-batches, reward events, anchor cycles and plan steps), the recording holds " + recorded +
            " (" + ppoSteps + " mini-batches, " + esperSteps + " reward events)");
        System.out.println(recording + ": " + recorded + " steps recorded (" + ppoSteps + " ppo mini-batches, " +
            esperSteps + " esper reward events), " + acknowledged + " acknowledged");
    }

    /**
     * Stream one run's file: run_start first, then train_steps 1, 2, 3... with no gap or repeat.
     *
     * @return the run's train_steps.
     */
    private static long assertStepsContiguousFromOne(final Path file)
    {
        final long[] nextStep = { 1 };
        final long[] records = { 0 };
        final List<Problem> problems = new ArrayList<>();
        JsonLinesReader.read(file, (line, record) ->
        {
            final String event = record.get("event").textValue();
            if (records[0]++ == 0)
            {
                assertEquals("run_start", event, () -> file + ": first record");
            }
            if ("train_step".equals(event))
            {
                final long step = record.get("step").longValue();
                if (step != nextStep[0])
                {
                    fail(file + " line " + line + ": train_step " + step + " where " + nextStep[0] + " comes next (" +
                        (step < nextStep[0] ? "a duplicate or out of order" : "a gap") + ")");
                }
                nextStep[0]++;
            }
        }, problems::add);
        assertEquals(List.of(), problems, file::toString);
        return nextStep[0] - 1;
    }

    /**
     * One Clamp session file's anchors of the demo's steps (kernel launches and all-reduces; checkpoints are not
     * steps), released or still in flight at the kill.
     */
    private static long countStepAnchors(final Path file) throws IOException
    {
        final ClampSessionFile.Contents contents = ClampSessionFile.read(file);
        assertEquals(List.of(), contents.problems(), file::toString);
        return contents.records().stream().filter(record -> !"checkpoint".equals(record.context())).count();
    }

    /**
     * Stream one Esper run's file: TRAINING_STARTED first, every event id once.
     *
     * @return the run's REWARD_COMPUTED events (its steps).
     */
    private static long assertEsperEventsOnce(final Path file)
    {
        final java.util.Set<String> ids = new java.util.HashSet<>();
        final long[] rewards = { 0 };
        final long[] records = { 0 };
        final List<Problem> problems = new ArrayList<>();
        JsonLinesReader.read(file, (line, record) ->
        {
            final String type = record.get("event_type").textValue();
            if (records[0]++ == 0)
            {
                assertEquals("TRAINING_STARTED", type, () -> file + ": first event");
            }
            assertTrue(ids.add(record.get("event_id").textValue()), () -> file + " line " + line + ": a repeated id");
            if ("REWARD_COMPUTED".equals(type))
            {
                rewards[0]++;
            }
        }, problems::add);
        assertEquals(List.of(), problems, file::toString);
        return rewards[0];
    }

    /**
     * Stream one PPO run's file: epochs 1, 2, 3... and log_stream_offsets 1, 2, 3... with no gap or repeat.
     *
     * @return the run's mini-batches (its epochs' updates).
     */
    private static long assertEpochsContiguousFromOne(final Path file)
    {
        final long[] next = { 1 };
        final long[] miniBatches = { 0 };
        final List<Problem> problems = new ArrayList<>();
        JsonLinesReader.read(file, (line, record) ->
        {
            final long epoch = (long)record.get("epoch").doubleValue();
            final long offset = (long)record.get("log_stream_offset").doubleValue();
            if (epoch != next[0] || offset != next[0])
            {
                fail(file + " line " + line + ": epoch " + epoch + ", log_stream_offset " + offset + " where " +
                    next[0] + " comes next");
            }
            next[0]++;
            miniBatches[0] += (long)record.get("updates").doubleValue();
        }, problems::add);
        assertEquals(List.of(), problems, file::toString);
        return miniBatches[0];
    }
}
