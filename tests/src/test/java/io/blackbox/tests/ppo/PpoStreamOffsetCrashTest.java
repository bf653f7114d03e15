package io.blackbox.tests.ppo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.PpoDataMode;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.ppo.PpoWire;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.ppo.PpoEmitter;
import io.blackbox.tests.ChildJvm;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code log_stream_offset} is global to the run: a process recording PPO epochs is killed with SIGKILL mid-run, a
 * second process reopens the recording (recovering what the first left in the ring) and records more epochs of the
 * same run, and the export numbers the run's records 1, 2, 3... across both, with no gap and no repeat, every epoch
 * the first process had acknowledged among them.
 */
class PpoStreamOffsetCrashTest
{
    private static final String RUN = "ppo-offsets-across-a-crash";
    private static final String ACKED = "acked";
    /** Epochs of the second process, numbered from here so that they are told apart from the first's. */
    private static final long SECOND_PROCESS_FIRST_EPOCH = 1_000_000;
    private static final int SECOND_PROCESS_EPOCHS = 25;

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldNumberTheRunsRecordsOnAcrossAKillAndAReopen() throws Exception
    {
        final Path recording = temp.resolve("recording");
        long acknowledged = 0;
        try (ChildJvm child = ChildJvm.start(temp.resolve("child.err"), EpochRecorder.class, recording.toString()))
        {
            // Killed once it has acknowledged a few hundred epochs, while it goes on recording.
            for (int i = 0; i < 300; i++)
            {
                child.awaitLine(ACKED);
            }
            assertEquals(137, child.kill(), () -> "exit of the child\n" + child.errors());
            for (final String line : child.lines())
            {
                final String[] parts = line.split(" ");
                if (parts.length == 2 && parts[0].equals(ACKED))
                {
                    acknowledged = Math.max(acknowledged, Long.parseLong(parts[1]));
                }
            }
        }
        assertTrue(acknowledged >= 300, "epochs acknowledged before the kill: " + acknowledged);

        try (Recorder recorder = Recorder.open(recording))
        {
            final PpoEmitter ppo = recorder.emitter(PpoEmitter::new, RUN);
            for (int i = 0; i < SECOND_PROCESS_EPOCHS; i++)
            {
                recordEpoch(ppo, SECOND_PROCESS_FIRST_EPOCH + i);
            }
        }

        final RecordingExport.Result result = RecordingExport.export(recording, temp.resolve("export"));
        assertEquals(List.of(), result.damage());
        final List<ObjectNode> records = TestRecordings.readJsonl(temp.resolve("export/ppo/" + RUN + ".jsonl"));
        long expectedOffset = 1;
        long firstProcessEpochs = 0;
        for (final ObjectNode record : records)
        {
            assertEquals(expectedOffset, record.get(PpoWire.LOG_STREAM_OFFSET).doubleValue(), record::toString);
            final long epoch = (long)record.get(PpoWire.EPOCH).doubleValue();
            if (epoch < SECOND_PROCESS_FIRST_EPOCH)
            {
                assertEquals(expectedOffset, epoch, "the first process's epochs in order, each once");
                firstProcessEpochs++;
            }
            else
            {
                assertEquals(SECOND_PROCESS_FIRST_EPOCH + expectedOffset - firstProcessEpochs - 1, epoch,
                    "the second process's epochs after all of the first's");
            }
            expectedOffset++;
        }
        assertTrue(firstProcessEpochs >= acknowledged,
            "every acknowledged epoch recorded: " + firstProcessEpochs + " of " + acknowledged);
        assertEquals(firstProcessEpochs + SECOND_PROCESS_EPOCHS, records.size());
    }

    private static boolean recordEpoch(final PpoEmitter ppo, final long epoch)
    {
        ppo.epochStart(epoch, PpoDataMode.ROLLOUT, epoch, 64);
        for (int m = 0; m < 4; m++)
        {
            ppo.miniBatch(16, -0.01, 0.5, 1.0, 0.25, 0.1, 0.002, 1.5, 0.0, 1.0);
        }
        ppo.transition(1.0, 0.5);
        ppo.transition(-1.0, -0.25);
        return ppo.epochEnd(3e-4, epoch * 64);
    }

    /**
     * The first process: records epochs 1, 2, 3... of {@link #RUN} until it is killed, saying each one acknowledged.
     */
    public static final class EpochRecorder
    {
        public static void main(final String[] args)
        {
            final Recorder recorder = Recorder.open(Path.of(args[0]));
            final PpoEmitter ppo = recorder.emitter(PpoEmitter::new, RUN);
            for (long epoch = 1; epoch < SECOND_PROCESS_FIRST_EPOCH; epoch++)
            {
                if (!recordEpoch(ppo, epoch))
                {
                    throw new IllegalStateException("epoch " + epoch + " not recorded");
                }
                System.out.println(ACKED + " " + epoch);
            }
        }
    }
}
