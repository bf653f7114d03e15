package io.blackbox.tests.ppo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.PpoDataMode;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.ppo.PpoWire;
import io.blackbox.recorder.EmitterContext;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.ppo.PpoEmitter;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PPO emitter's contract at its edges, through a real recording and its export: what a misused call does, an
 * extra key whose symbol could not be defined, an epoch without a mini-batch, two emitters of one run (one stream of
 * numbers: the run's counter is shared).
 */
class PpoEmitterTest
{
    @TempDir
    Path temp;

    @Test
    void shouldRefuseAnEpochEndWithoutAnEpochStart()
    {
        try (Recorder recorder = Recorder.open(temp.resolve("recording")))
        {
            final PpoEmitter ppo = recorder.emitter(PpoEmitter::new, "run");
            assertThrows(IllegalStateException.class, () -> ppo.epochEnd(3e-4, 1));
            ppo.epochStart(1, PpoDataMode.REPLAY, 0, 0);
            assertTrue(ppo.epochEnd(3e-4, 1));
            assertThrows(IllegalStateException.class, () -> ppo.epochEnd(3e-4, 1), "an epoch ends once");
        }
    }

    @Test
    void shouldNotRecordAnEpochWithAKeyThatHasNoSymbolAndCountIt()
    {
        try (Recorder recorder = Recorder.open(temp.resolve("recording")))
        {
            final PpoEmitter ppo = recorder.emitter(PpoEmitter::new, "run");
            ppo.epochStart(1, PpoDataMode.ROLLOUT, 1, 10);
            ppo.metric(EmitterContext.NO_SYMBOL, 1.0);
            assertFalse(ppo.epochEnd(3e-4, 10));
            assertEquals(1, recorder.droppedRecords());

            ppo.epochStart(2, PpoDataMode.ROLLOUT, 1, 10);
            assertTrue(ppo.epochEnd(3e-4, 20), "the next epoch starts without the undefined key");
        }
    }

    @Test
    void shouldWriteNaNMeansForAnEpochWithoutAMiniBatch() throws Exception
    {
        try (Recorder recorder = Recorder.open(temp.resolve("recording")))
        {
            final PpoEmitter ppo = recorder.emitter(PpoEmitter::new, "run");
            ppo.epochStart(1, PpoDataMode.REPLAY, 0, 0);
            assertTrue(ppo.epochEnd(3e-4, 0));
        }
        RecordingExport.export(temp.resolve("recording"), temp.resolve("export"));
        final ObjectNode record = TestRecordings.readJsonl(temp.resolve("export/ppo/run.jsonl")).get(0);

        assertEquals(0.0, record.get(PpoWire.UPDATES).doubleValue());
        assertTrue(Double.isNaN(record.get(PpoWire.LOSS_TOTAL).doubleValue()), record::toString);
        assertEquals(0.0, record.get(PpoWire.ADV_MIN_STD).doubleValue(), "the harness's 0 for no mini-batch");
        assertEquals(0.0, record.get(PpoWire.REWARD_ADVANTAGE_CORR).doubleValue());
    }

    @Test
    void shouldNumberTheRecordsOfTwoEmittersOfOneRunAsOneStream() throws Exception
    {
        try (Recorder recorder = Recorder.open(temp.resolve("recording")))
        {
            final PpoEmitter first = recorder.emitter(PpoEmitter::new, "run");
            final PpoEmitter second = recorder.emitter(PpoEmitter::new, "run");
            final PpoEmitter other = recorder.emitter(PpoEmitter::new, "other-run");
            for (int epoch = 1; epoch <= 6; epoch++)
            {
                final PpoEmitter ppo = epoch % 2 == 0 ? second : first;
                ppo.epochStart(epoch, PpoDataMode.MIXED, epoch, 0);
                assertTrue(ppo.epochEnd(3e-4, epoch));
                other.epochStart(epoch, PpoDataMode.MIXED, epoch, 0);
                assertTrue(other.epochEnd(3e-4, epoch));
            }
        }
        RecordingExport.export(temp.resolve("recording"), temp.resolve("export"));
        for (final String run : List.of("run", "other-run"))
        {
            // Two emitters write through two lanes of the ring, which the drainer takes lane by lane: the file's order
            // need not be the emit order, but each record keeps the number it took when it was emitted, once.
            final List<ObjectNode> records = TestRecordings.readJsonl(temp.resolve("export/ppo/" + run + ".jsonl"));
            final Set<Double> offsets = new TreeSet<>();
            for (final ObjectNode record : records)
            {
                final double offset = record.get(PpoWire.LOG_STREAM_OFFSET).doubleValue();
                assertEquals(record.get(PpoWire.EPOCH).doubleValue(), offset, () -> run + ": " + record);
                offsets.add(offset);
            }
            assertEquals(Set.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0), offsets, run);
        }
    }
}
