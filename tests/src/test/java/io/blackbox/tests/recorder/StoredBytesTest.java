package io.blackbox.tests.recorder;

import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.SteppingEpochNanoClock;
import io.blackbox.tests.TestRecordings;
import io.blackbox.recorder.gradience.GradienceEmitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    /**
     * A loss with noise in it leaves the delta coder several changed bytes a record, among which zstd finds repeats:
     * the drainer stores those batches compressed (version 5), fewer bytes than coded alone (version 4, which is all
     * it writes with compression off), and the export reads back the same lines to the byte.
     */
    @Test
    void shouldCompressBatchesWhenThatSavesAndExportTheSameLines() throws Exception
    {
        final Path compressed = temp.resolve("compressed");
        final Path coded = temp.resolve("coded");
        final long compressedBytes = recordNoisyRun(compressed, true);
        final long codedBytes = recordNoisyRun(coded, false);

        final int[] compressedVersions = batchVersions(compressed);
        final int[] codedVersions = batchVersions(coded);
        assertTrue(compressedVersions[RecordingBatchDescriptor.BATCH_VERSION_COMPRESSED] > 0,
            () -> "batches by version: " + Arrays.toString(compressedVersions));
        assertEquals(0, codedVersions[RecordingBatchDescriptor.BATCH_VERSION_COMPRESSED],
            () -> "batches by version: " + Arrays.toString(codedVersions));
        assertTrue(compressedBytes < codedBytes * 0.9, "stored " + compressedBytes + " compressed, " + codedBytes + " coded");

        final RecordingExport.Result compressedExport = RecordingExport.export(compressed, temp.resolve("export-compressed"));
        final RecordingExport.Result codedExport = RecordingExport.export(coded, temp.resolve("export-coded"));
        assertEquals(List.of(), compressedExport.damage());
        assertEquals(List.of(), codedExport.damage());
        assertEquals(compressedBytes, compressedExport.dataBytes());
        final String lines = Files.readString(temp.resolve("export-compressed/gradience/run-1.jsonl"));
        assertEquals(Files.readString(temp.resolve("export-coded/gradience/run-1.jsonl")), lines);
        assertTrue(lines.contains("\"step\":99999,"), "the last step is exported");
    }

    /**
     * A higher zstd level is a choice of disk over the drainer's CPU: it stores fewer bytes of the same records, and the
     * reader, which does not need to know the level, exports the same lines. A level zstd has no such meaning for is
     * refused when the recorder opens.
     */
    @Test
    void shouldStoreLessAtAHigherCompressionLevelAndExportTheSameLines() throws Exception
    {
        final Path fast = temp.resolve("level-1");
        final Path small = temp.resolve("level-12");
        final long fastBytes = recordNoisyRun(fast, 1);
        final long smallBytes = recordNoisyRun(small, 12);

        assertTrue(smallBytes < fastBytes * 0.97, "stored " + smallBytes + " at level 12, " + fastBytes + " at level 1");
        RecordingExport.export(fast, temp.resolve("export-1"));
        RecordingExport.export(small, temp.resolve("export-12"));
        assertEquals(Files.readString(temp.resolve("export-1/gradience/run-1.jsonl")),
            Files.readString(temp.resolve("export-12/gradience/run-1.jsonl")));

        for (final int level : new int[]{-1, Recorder.Context.MAX_COMPRESSION_LEVEL + 1})
        {
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Recorder.open(new Recorder.Context().directory(temp.resolve("refused")).compressionLevel(level)));
            assertEquals("compressionLevel must be 0 (off) to 19: compressionLevel=" + level, refused.getMessage());
        }
        assertFalse(Files.exists(temp.resolve("refused")), "nothing is created for a refused context");
    }

    private static long recordNoisyRun(final Path recording, final boolean compressBatches)
    {
        return recordNoisyRun(recording,
            compressBatches ? Recorder.Context.DEFAULT_COMPRESSION_LEVEL : Recorder.Context.NO_COMPRESSION);
    }

    /**
     * @return the bytes the drainer stored.
     */
    private static long recordNoisyRun(final Path recording, final int compressionLevel)
    {
        final SplittableRandom random = new SplittableRandom(7);
        final Recorder recorder = Recorder.open(new Recorder.Context().directory(recording)
            .compressionLevel(compressionLevel).clock(new SteppingEpochNanoClock(1_768_253_565_118_277_000L, 1_000L)));
        try
        {
            final GradienceEmitter emitter = recorder.emitter(GradienceEmitter::new, "run-1");
            for (int step = 0; step < 100_000; step++)
            {
                assertTrue(emitter.trainStep(step, 0.3 + 2.0 * Math.exp(-step / 20_000.0) + 0.05 * random.nextGaussian(),
                    1e-3));
            }
            emitter.close();
        }
        finally
        {
            recorder.close();
        }
        return recorder.storedBytes();
    }

    /**
     * @return how many of the queue's batches have each version, by version.
     */
    private static int[] batchVersions(final Path recording)
    {
        final ByteBuffer excerpts = ByteBuffer.wrap(TestRecordings.readQueueExcerpts(recording)).order(ByteOrder.LITTLE_ENDIAN);
        final int[] versions = new int[RecordingBatchDescriptor.BATCH_VERSION_COMPRESSED + 1];
        while (excerpts.hasRemaining())
        {
            final int length = excerpts.getInt();
            versions[excerpts.getInt(excerpts.position() + RecordingBatchDescriptor.BATCH_VERSION_OFFSET)]++;
            excerpts.position(excerpts.position() + length);
        }
        return versions;
    }
}
