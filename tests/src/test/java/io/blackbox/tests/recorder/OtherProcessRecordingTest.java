package io.blackbox.tests.recorder;

import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.cli.BlackboxCommand;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.ChildJvm;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recording held open by another process, for real: a child JVM records into it and stays open, and this JVM, a
 * process of its own, tries what a user would. A second recorder and {@code blackbox recover} refuse it, naming why;
 * {@code blackbox export} exports what the child has recorded so far and leaves the recording as it was.
 */
class OtherProcessRecordingTest
{
    private static final String READY = "recorded";
    private static final int RECORDS = 500;

    @TempDir
    Path temp;

    private Path recording;
    private ChildJvm child;

    @BeforeEach
    void startChildHoldingTheRecording() throws Exception
    {
        recording = temp.resolve("recording");
        child = ChildJvm.start(temp.resolve("child.err"), HoldingRecorder.class, recording.toString());
        child.awaitLine(READY);
        assertEquals(List.of(READY), child.lines(), "what the child said");
    }

    @AfterEach
    void stopChild() throws Exception
    {
        try
        {
            child.closeInput(); // the child closes its recorder when its stdin ends
            assertEquals(0, child.awaitExit(), () -> "exit of the child\n" + child.errors());
        }
        finally
        {
            child.close();
        }
    }

    @Test
    void shouldRefuseASecondRecorder()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> Recorder.open(recording));

        assertTrue(ex.getMessage().contains("already open for writing"), ex::getMessage);
    }

    @Test
    void shouldRefuseToRecoverARecordingAnotherProcessHasOpen()
    {
        final Run recover = run("recover", "--recording", recording.toString());

        assertEquals(BlackboxCommand.EXIT_FAILURE, recover.exit(), recover::toString);
        assertTrue(recover.err().contains("another recorder has it open"), recover::toString);
        assertFalse(recover.err().contains("Exception"), recover::toString);
    }

    @Test
    void shouldExportWhatTheOtherProcessRecordedSoFar() throws Exception
    {
        final Path out = temp.resolve("export");
        final Run export = run("export", "--recording", recording.toString(), "--out", out.toString());

        assertEquals(0, export.exit(), export::toString);
        // The child's records are all acknowledged (it printed READY after them); its drainer may not have taken the
        // last ones into the queue yet: the export holds what the queue held, and says the recording is live.
        final Path runFile = out.resolve("gradience").resolve("held.jsonl");
        final long exported = Files.exists(runFile) ? TestRecordings.readJsonl(runFile).size() : 0;
        assertTrue(exported <= RECORDS, () -> exported + " of " + RECORDS + "\n" + export);
        assertTrue(export.err().contains("open and is still recording"), () -> "says the recording is live\n" + export);
        assertTrue(child.process().isAlive(), "the child still records: export never writes to the recording or takes its lock");
    }

    private record Run(int exit, String out, String err)
    {
    }

    private static Run run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = BlackboxCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * The child: opens the recording, records {@value #RECORDS} train_steps of run {@code held}, prints
     * {@value #READY}, and keeps the recording open until its standard input ends.
     */
    public static final class HoldingRecorder
    {
        public static void main(final String[] args) throws Exception
        {
            try (Recorder recorder = Recorder.open(Path.of(args[0]));
                GradienceEmitter run = recorder.emitter(GradienceEmitter::new, "held"))
            {
                for (int step = 1; step <= RECORDS; step++)
                {
                    if (!run.trainStep(step, 1.0 / step, 1e-4))
                    {
                        throw new IllegalStateException("step " + step + " not recorded");
                    }
                }
                System.out.println(READY);
                System.out.flush();
                while (System.in.read() >= 0)
                {
                    // wait for the test to close our standard input
                }
            }
        }
    }
}
