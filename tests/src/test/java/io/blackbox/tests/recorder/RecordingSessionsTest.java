package io.blackbox.tests.recorder;

import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.Symbols;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader tells a family's export where each recorder session begins and ends (a family that writes a document per
 * session, as Clamp's does, needs it): every record comes between its session's start and end, and the last session
 * ends when the recording is read to its end.
 */
class RecordingSessionsTest
{
    @TempDir
    Path temp;

    @Test
    void shouldFrameEachSessionsRecordsBetweenItsStartAndEnd() throws Exception
    {
        final Path recording = temp.resolve("recording");
        for (int session = 1; session <= 3; session++)
        {
            try (Recorder recorder = Recorder.open(recording);
                GradienceEmitter run = recorder.emitter(GradienceEmitter::new, "run-" + session))
            {
                for (int step = 1; step <= session; step++)
                {
                    assertTrue(run.trainStep(step, 0.5, 1e-4));
                }
            }
        }

        final List<String> events = new ArrayList<>();
        final List<RecordingReader.Session> sessions = new ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            reader.readAll(new RecordingReader.RecordHandler()
            {
                public void onRecord(final int templateId, final DirectBuffer buffer, final int offset, final int length,
                    final Symbols symbols)
                {
                    events.add("record");
                }

                public void onSessionStart(final RecordingReader.Session session)
                {
                    sessions.add(session);
                    events.add("start " + session.number());
                }

                public void onSessionEnd(final RecordingReader.Session session)
                {
                    events.add("end " + session.number());
                }
            });
            assertEquals(List.of(), reader.damage());
        }

        assertEquals(List.of(
            "start 1", "record", "end 1",
            "start 2", "record", "record", "end 2",
            "start 3", "record", "record", "record", "end 3"), events);
        long previous = 0;
        for (final RecordingReader.Session session : sessions)
        {
            assertEquals(ProcessHandle.current().pid(), session.pid(), "the recording process");
            assertFalse(session.host().isEmpty(), "the recording host");
            assertTrue(session.timestampNanos() >= previous, "sessions begin in order");
            previous = session.timestampNanos();
        }
    }
}
