package io.blackbox.tests.cli;

import io.blackbox.exporter.RecordingExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM while {@code blackbox demo} records: the runs end early, and the demo goes on as after its last step, so
 * the recorder closes (nothing left in its ring), the export validates and the report is written before the JVM's
 * shutdown hook lets it halt.
 */
class DemoSignalTest
{
    private static final long WAIT_MS = 60_000;
    /** The JVM's exit status after SIGTERM: 128 + 15. */
    private static final int SIGTERM_EXIT = 143;

    @TempDir
    Path temp;

    @Test
    void shouldEndTheRecordingExportAndReportWhenStoppedWhileRecording() throws Exception
    {
        // Paced to last minutes: only the signal ends it.
        final Path demoOut = temp.resolve("demo");
        final Path home = Files.createDirectories(temp.resolve("home"));
        final Path log = temp.resolve("demo.log");
        final Process demo = BlackboxJar.command(home, temp, "demo", "--out", demoOut.toString(), "--steps", "100000",
                "--threads", "1", "--steps-per-second", "200")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        final Path recording = demoOut.resolve("recording");
        final long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!Files.isDirectory(recording.resolve("queue")))
        {
            assertTrue(System.currentTimeMillis() < deadline && demo.isAlive(), "the demo's recording appears");
            Thread.sleep(10);
        }
        Thread.sleep(1_000); // some steps recorded

        demo.destroy(); // SIGTERM
        assertTrue(demo.waitFor(WAIT_MS, TimeUnit.MILLISECONDS), "the demo ends after SIGTERM");
        final String said = Files.readString(log);
        assertEquals(SIGTERM_EXIT, demo.exitValue(), said);
        assertTrue(said.contains("validated") && said.contains("no problems"), said);
        assertTrue(Files.exists(demoOut.resolve("report.html")), said);

        final RecordingExport.Result export = RecordingExport.export(recording, temp.resolve("again"));
        assertFalse(export.damaged(), export::toString);
        assertTrue(export.warnings().isEmpty(), () -> "nothing left in the ring: " + export.warnings());
        assertTrue(export.records() > 0, export::toString);
    }
}
