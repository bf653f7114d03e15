package io.blackbox.tests.recorder;

import io.blackbox.exporter.RecordingExport;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Recorder#storedBytes()} is what the queue holds: the bytes of batches the export reads back from it, to the
 * byte. And a run of {@code train_step}s whose step counts up and whose loss stays put costs a byte or two a record
 * on disk (batch version 4 stores a predicted record as its tag), not the ring's 64.
 */
class StoredBytesTest
{
    @TempDir
    Path temp;

    @Test
    void shouldStoreWhatTheExportReadsBackAndARegularRunInAFewBytesARecord() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final int records = 200_000;
        final Recorder recorder = Recorder.open(recording);
        try
        {
            final GradienceEmitter emitter = recorder.emitter(GradienceEmitter::new, "run-1");
            for (int step = 0; step < records; step++)
            {
                assertTrue(emitter.trainStep(step, 0.5, 1e-3));
            }
            emitter.close();
        }
        finally
        {
            recorder.close();
        }
        // Read after close: the drainer has stored every record by then.
        final long storedBytes = recorder.storedBytes();
        final long drainedRecords = recorder.drainedRecords();

        final RecordingExport.Result export = RecordingExport.export(recording, temp.resolve("export"));
        assertEquals(List.of(), export.damage());
        assertEquals(records, export.records());
        assertEquals(export.dataBytes(), storedBytes);
        // train_steps, the session start and the run's definition
        assertEquals(records + 2, drainedRecords);
        final double perRecord = (double)storedBytes / records;
        assertTrue(perRecord < 4, "stored bytes per train_step: " + perRecord);
    }
}
