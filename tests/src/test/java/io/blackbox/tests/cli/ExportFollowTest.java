package io.blackbox.tests.cli;

import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code blackbox export --follow} in a child JVM, tailing a recording this JVM writes: the run's file only grows, by
 * lines that are each a JSON object, while records are emitted, the command ends by itself when the recorder closes, and then the file is the same,
 * byte for byte, as a plain export of the closed recording. Interrupted instead, it ends its files on whole lines
 * and writes the summary.
 */
class ExportFollowTest
{
    private static final String RUN = "follow-run";
    private static final long WAIT_MS = 60_000;

    @TempDir
    Path temp;

    @Test
    void shouldGrowByWholeLinesAndEndWhenTheRecorderCloses() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final Path out = temp.resolve("out");
        final Path runFile = out.resolve("gradience").resolve(RUN + ".jsonl");
        final Process follow;
        try (Recorder recorder = Recorder.open(recording))
        {
            final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, RUN);
            assertTrue(run.runStart(Map.of("model_name", "tiny"), null));
            follow = start(recording, out);

            long step = 0;
            for (int round = 1; round <= 3; round++)
            {
                for (int i = 0; i < 100; i++)
                {
                    assertTrue(run.trainStep(++step, 1.0 / step, 1e-4));
                }
                // The records just emitted appear without the recorder closing, as whole lines only.
                final long expectedLines = 1 + step;
                awaitLines(runFile, expectedLines, follow);
            }
            assertTrue(follow.isAlive(), "still following while the recorder is open");
            assertTrue(run.runEnd(step, io.blackbox.codecs.GradienceRunStatus.OK, null));
            run.close();
        }

        assertTrue(follow.waitFor(WAIT_MS, TimeUnit.MILLISECONDS), "follow ends by itself when the recorder closes");
        final String said = output(follow);
        assertEquals(0, follow.exitValue(), said);
        assertTrue(Files.exists(out.resolve(RecordingExport.SUMMARY_FILE)), said);

        final Path plain = temp.resolve("plain");
        RecordingExport.export(recording, plain);
        assertArrayEquals(Files.readAllBytes(plain.resolve("gradience").resolve(RUN + ".jsonl")), Files.readAllBytes(runFile),
            "the followed file is the plain export's");
    }

    @Test
    void shouldEndOnWholeLinesWhenInterrupted() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final Path out = temp.resolve("out");
        final Path runFile = out.resolve("gradience").resolve(RUN + ".jsonl");
        try (Recorder recorder = Recorder.open(recording))
        {
            final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, RUN);
            for (long step = 1; step <= 50; step++)
            {
                assertTrue(run.trainStep(step, 0.5, 1e-4));
            }
            final Process follow = start(recording, out);
            awaitLines(runFile, 50, follow);

            follow.destroy(); // SIGTERM: the shutdown hook stops the follow and waits for it
            assertTrue(follow.waitFor(WAIT_MS, TimeUnit.MILLISECONDS), "ends when interrupted");
            final String said = output(follow);
            assertTrue(Files.exists(out.resolve(RecordingExport.SUMMARY_FILE)), "summary written\n" + said);
            assertEquals(50, TestRecordings.readJsonl(runFile).size(), said);
            run.close();
        }
    }

    @Test
    void shouldFollowAPacedDemoAsItRecords() throws Exception
    {
        // 400 steps at 200 a second: the demo records for 2 s, long enough to be seen growing.
        final Path demoOut = temp.resolve("demo");
        final Path home = Files.createDirectories(temp.resolve("home"));
        final Process demo = BlackboxJar.command(home, temp, "demo", "--out", demoOut.toString(), "--steps", "400",
                "--threads", "1", "--eval-every", "100", "--steps-per-second", "200")
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("demo.log").toFile())
            .start();
        final Path recording = demoOut.resolve("recording");
        final long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!Files.isDirectory(recording.resolve("queue")) || !Files.exists(recording.resolve("ring.dat")))
        {
            assertTrue(System.currentTimeMillis() < deadline && demo.isAlive(), "the demo's recording appears");
            Thread.sleep(5);
        }
        final Path out = temp.resolve("out");
        final Process follow = start(recording, out);

        boolean seenGrowing = false;
        while (demo.isAlive())
        {
            final Path gradience = out.resolve("gradience");
            if (Files.isDirectory(gradience))
            {
                try (var files = Files.list(gradience))
                {
                    for (final Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList())
                    {
                        final long size = Files.size(file);
                        seenGrowing |= size > 0 && demo.isAlive();
                    }
                }
            }
            Thread.sleep(20);
        }
        assertEquals(0, demo.exitValue(), Files.readString(temp.resolve("demo.log")));
        assertTrue(follow.waitFor(WAIT_MS, TimeUnit.MILLISECONDS), "follow ends with the demo's recorder");
        assertEquals(0, follow.exitValue(), output(follow));
        assertTrue(seenGrowing, "lines appeared while the demo was still recording");

        // Every file of the demo's export (each family's, wherever its layout puts it, as the export's summary lists
        // them: not what a family's tools made from them after), as followed; a family whose files are documents
        // (Clamp's session files) writes them when the recorder's session ends.
        final Path demoExport = demoOut.resolve("export");
        final List<Path> demoFiles = new java.util.ArrayList<>();
        final var exported = JsonLinesReader.MAPPER.readTree(
            Files.readString(demoExport.resolve(RecordingExport.SUMMARY_FILE))).get("families");
        exported.forEach(family -> family.forEach(file -> demoFiles.add(demoExport.resolve(file.get("file").asText()))));
        for (final Path demoFile : demoFiles)
        {
            assertArrayEquals(Files.readAllBytes(demoFile), Files.readAllBytes(out.resolve(demoExport.relativize(demoFile))),
                () -> demoFile + " as followed");
        }
        final long families = TelemetryFamilies.all().stream().filter(family -> null != family.demo()).count();
        assertEquals(families, demoFiles.size(), "one run of each family's workload, each file as followed: " +
            demoFiles);
    }

    private Process start(final Path recording, final Path out) throws IOException
    {
        final Path home = Files.createDirectories(temp.resolve("home"));
        return BlackboxJar.command(home, temp, "export", "--recording", recording.toString(), "--out", out.toString(),
                "--follow", "--poll-ms", "5")
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("follow.log").toFile())
            .start();
    }

    private String output(final Process follow) throws IOException
    {
        return "exit " + (follow.isAlive() ? "(running)" : follow.exitValue()) + "\n" +
            Files.readString(temp.resolve("follow.log"), StandardCharsets.UTF_8);
    }

    /**
     * Wait until {@code file} holds {@code lines} lines, checking at every look that it only ever grew (what a reader
     * saw is never taken back) and that every line ended so far is a JSON object. What follows the last newline is a
     * write in progress: Linux makes an appended write visible a page at a time, so a reader that looks during one may
     * see part of its last line, and must wait for the newline as every JSONL follower (tail -f) does.
     */
    private void awaitLines(final Path file, final long lines, final Process follow) throws Exception
    {
        final long deadline = System.currentTimeMillis() + WAIT_MS;
        byte[] before = new byte[0];
        while (System.currentTimeMillis() < deadline)
        {
            if (Files.exists(file))
            {
                final byte[] bytes = Files.readAllBytes(file);
                assertTrue(bytes.length >= before.length &&
                    Arrays.equals(before, 0, before.length, bytes, 0, before.length), () -> file + " only grows");
                before = bytes;
                int ended = 0;
                int lineStart = 0;
                for (int i = 0; i < bytes.length; i++)
                {
                    if (bytes[i] == '\n')
                    {
                        final String line = new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8);
                        assertTrue(JsonLinesReader.MAPPER.readTree(line).isObject(), () -> file + ": " + line);
                        ended++;
                        lineStart = i + 1;
                    }
                }
                final long seen = ended;
                if (seen == lines)
                {
                    return;
                }
                assertTrue(seen < lines, () -> "at most " + lines + " lines, saw " + seen);
            }
            if (!follow.isAlive())
            {
                fail("follow ended early: " + output(follow));
            }
            Thread.sleep(2);
        }
        fail(file + " did not reach " + lines + " lines: " + output(follow));
    }
}
