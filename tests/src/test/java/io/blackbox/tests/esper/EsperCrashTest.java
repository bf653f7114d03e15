package io.blackbox.tests.esper;

import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.esper.EsperEmitter;
import io.blackbox.tests.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Esper's typed records outlive their process: a child JVM emits {@code REWARD_COMPUTED} events as fast as it can,
 * says how far its commits had returned true, and is killed with SIGKILL. Reopening the recording drains what the ring
 * held; the export then has every acknowledged event, each epoch once, no event id twice, and a file that validates.
 */
class EsperCrashTest
{
    private static final String ACKED = "acked";
    private static final long ACKED_BEFORE_KILL = 20_000;

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldExportEveryAcknowledgedEventAfterAKill() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final long acked;
        try (ChildJvm child = ChildJvm.start(temp.resolve("child.err"), RewardEmitter.class, recording.toString()))
        {
            acked = Long.parseLong(child.awaitLine(ACKED + " ").substring(ACKED.length() + 1));
            assertEquals(137, child.kill(), () -> "exit of the child\n" + child.errors());
        }
        assertTrue(acked >= ACKED_BEFORE_KILL, "acknowledged " + acked);
        try (Recorder recorder = Recorder.open(recording))
        {
            System.out.println(recording + " reopened: " + recorder.recovery());
        }

        final RecordingExport.Result result = RecordingExport.export(recording, temp.resolve("export"));
        assertEquals(List.of(), result.damage());
        final List<FamilyExport.ExportedFile> files = result.files().get("esper");
        assertEquals(1, files.size(), files::toString);
        final Path file = files.get(0).path();
        assertEquals(List.of(), TelemetryFamilies.byName("esper").validator().validate(file));

        final TreeSet<Long> epochs = new TreeSet<>();
        final Set<String> eventIds = new HashSet<>();
        final List<Problem> problems = new ArrayList<>();
        final long[] duplicates = new long[2];
        JsonLinesReader.read(file, (line, record) ->
        {
            if (!epochs.add(record.get("epoch").asLong()))
            {
                duplicates[0]++;
            }
            if (!eventIds.add(record.get("event_id").asText()))
            {
                duplicates[1]++;
            }
        }, problems::add);
        assertEquals(List.of(), problems);
        assertEquals(0, duplicates[0], "an epoch exported twice");
        assertEquals(0, duplicates[1], "an event id exported twice");
        assertEquals(0L, epochs.first());
        assertTrue(epochs.last() >= acked, "the last acknowledged epoch " + acked + " is exported: " + epochs.last());
        assertEquals(epochs.last() + 1, epochs.size(), "no epoch missing up to the last exported");
    }

    /**
     * The child: {@code REWARD_COMPUTED} events, epoch 0, 1, 2 ..., as fast as the recorder takes them; once
     * {@link #ACKED_BEFORE_KILL} have returned true it prints how far, then goes on until it is killed.
     */
    public static final class RewardEmitter
    {
        public static void main(final String[] args)
        {
            final Recorder recorder = Recorder.open(Path.of(args[0]));
            final EsperEmitter esper = recorder.emitter(EsperEmitter::new, "crash-run").eventIdSeed(17);
            final int action = esper.symbol("WAIT");
            long epoch = 0;
            while (true)
            {
                final boolean recorded = esper.rewardComputed((int)(epoch % 4), 0.25, action, 0.5, 0.75)
                    .valAcc(61.5).epoch(epoch).commit();
                if (!recorded)
                {
                    throw new IllegalStateException("epoch " + epoch + " refused");
                }
                if (epoch == ACKED_BEFORE_KILL)
                {
                    System.out.println(ACKED + " " + epoch);
                    System.out.flush();
                }
                epoch++;
            }
        }
    }
}
