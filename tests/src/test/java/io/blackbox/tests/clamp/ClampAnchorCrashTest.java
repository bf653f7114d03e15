package io.blackbox.tests.clamp;

import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.clamp.ClampSessionFile;
import io.blackbox.exporter.clamp.ClampWire;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.clamp.ClampAnchor;
import io.blackbox.recorder.clamp.ClampEmitter;
import io.blackbox.tests.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An anchor held when its process is killed with SIGKILL is exported in flight: a child JVM takes anchors, releases
 * most, and is killed holding one; the export's session file has every released anchor with its release, the held one
 * with {@code released_at: null}, and is a valid session file (the validator's rules) with non-zero seeds and the
 * child's own OS thread id.
 */
class ClampAnchorCrashTest
{
    private static final String HOLDING = "holding";

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldExportTheAnchorHeldAtAKillInFlight() throws Exception
    {
        final Path recording = temp.resolve("recording");
        String threadId;
        try (ChildJvm child = ChildJvm.start(temp.resolve("child.err"), AnchorHolder.class, recording.toString()))
        {
            final String line = child.awaitLine(HOLDING);
            threadId = line.substring(HOLDING.length() + 1);
            assertEquals(137, child.kill(), () -> "exit of the child\n" + child.errors());
        }
        try (Recorder recorder = Recorder.open(recording))
        {
            // Opening drains what the killed process left in the ring into the queue.
            System.out.println(recording + " reopened: " + recorder.recovery());
        }

        final RecordingExport.Result result = RecordingExport.export(recording, temp.resolve("export"));
        assertEquals(List.of(), result.damage());
        final List<FamilyExport.ExportedFile> files = result.files().get(ClampWire.FAMILY);
        assertEquals(1, files.size(), files::toString);
        final Path file = files.get(0).path();
        assertTrue(file.getFileName().toString().matches("clamp_run_\\d{8}T\\d{6}Z\\.json"), file::toString);
        assertEquals(List.of(), ClampSessionFile.read(file).problems());

        final JsonNode records = JsonLinesReader.MAPPER.readTree(Files.readString(file)).get(ClampWire.RECORDS);
        assertEquals(11, records.size(), records::toString);
        for (int i = 0; i < records.size(); i++)
        {
            final JsonNode record = records.get(i);
            assertNotEquals("0", record.get(ClampWire.SEED).asText());
            assertEquals(threadId, record.get(ClampWire.THREAD_ID).asText(), "the child's OS thread id");
            if (i < 10)
            {
                assertEquals("cycle", record.get(ClampWire.CONTEXT).asText());
                assertTrue(record.get(ClampWire.RELEASED_AT).isTextual(), record::toString);
                assertEquals(0.5, record.get(ClampWire.STABILITY_SCORE).doubleValue());
            }
            else
            {
                assertEquals("held-at-the-kill", record.get(ClampWire.CONTEXT).asText());
                assertTrue(record.get(ClampWire.RELEASED_AT).isNull(), record::toString);
            }
        }
    }

    /**
     * The child: ten anchor cycles, then an anchor it still holds when it says so and is killed.
     */
    public static final class AnchorHolder
    {
        public static void main(final String[] args) throws Exception
        {
            final Recorder recorder = Recorder.open(Path.of(args[0]));
            final ClampEmitter clamp = recorder.emitter(ClampEmitter::new, "worker");
            for (int i = 0; i < 10; i++)
            {
                try (ClampAnchor anchor = clamp.lock("cycle"))
                {
                    anchor.stability(0.5);
                }
            }
            final ClampAnchor held = clamp.lock("held-at-the-kill");
            if (!held.recorded())
            {
                throw new IllegalStateException("the held anchor was not recorded");
            }
            System.out.println(HOLDING + " " + held.threadId());
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }
}
