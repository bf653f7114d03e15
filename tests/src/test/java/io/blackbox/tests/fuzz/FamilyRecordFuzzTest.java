package io.blackbox.tests.fuzz;

import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.tests.family.FamilyRecordings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every registered family's real records, mutated, through the reader and the family's decoder: the records its own
 * simulated workload wrote (a few of each template), each with random bytes overwritten, one record per batch with a
 * valid CRC so that the decoder, not the checksum, meets the damage. {@link FuzzedRecording} checks the contract after
 * each: a record becomes one line that reads back, or damage naming its position, and nothing else escapes.
 * <p>
 * A family is fuzzed by this the day it registers; {@link RecordDecoderFuzzTest} holds the Gradience seeds Jazzer
 * grows from.
 */
class FamilyRecordFuzzTest
{
    private static final int RECORDS_PER_TEMPLATE = 3;
    private static final int MUTATIONS_PER_RECORD = 40;

    private static FuzzedRecording recording;

    @TempDir
    Path temp;

    @BeforeAll
    static void openRecording()
    {
        recording = FuzzedRecording.create();
    }

    @AfterAll
    static void closeRecording()
    {
        recording.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.blackbox.tests.family.FamilyRecordings#familyNames")
    void shouldTurnEachMutatedRecordIntoALineOrDamage(final String name) throws Exception
    {
        final TelemetryFamily family = FamilyRecordings.family(name);
        final Path workload = temp.resolve("workload");
        // One run after another: the same records for the seed every time, so a failure here can be reproduced.
        FamilyRecordings.recordWorkload(family, workload, 23, false);
        final List<byte[]> messages = sampleMessages(workload);
        assertFalse(messages.isEmpty(), "records of " + name);

        final Random random = new Random(name.hashCode());
        for (final byte[] message : messages)
        {
            final long damageBefore = recording.damageCount();
            final FuzzedRecording.Outcome intact = once(message);
            // Counted, not listed: the reader folds damage of the reason it reported last into that line.
            final long damaged = recording.damageCount() - damageBefore;
            assertEquals(1, intact.lines() + damaged, () -> "one record, one line or one damage: " +
                intact + "; template " + FuzzedRecording.templateIdOf(message) + ", message " + HexFormat.of().formatHex(message));
            for (int i = 0; i < MUTATIONS_PER_RECORD; i++)
            {
                final byte[] mutated = message.clone();
                final int changes = 1 + random.nextInt(4);
                for (int c = 0; c < changes; c++)
                {
                    mutated[random.nextInt(mutated.length)] = (byte)random.nextInt(256);
                }
                once(mutated);
            }
        }
    }

    private static FuzzedRecording.Outcome once(final byte[] message)
    {
        recording.appendRecordsAfterPreamble(FuzzedRecording.frame(FuzzedRecording.templateIdOf(message), message));
        return recording.readAndCheck();
    }

    /**
     * @return up to {@link #RECORDS_PER_TEMPLATE} messages of each template the recording holds, as recorded.
     */
    private static List<byte[]> sampleMessages(final Path workload)
    {
        final Map<Integer, Integer> perTemplate = new HashMap<>();
        final List<byte[]> messages = new ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(workload))
        {
            reader.readAll((templateId, buffer, offset, length, symbols) ->
            {
                if (perTemplate.merge(templateId, 1, Integer::sum) <= RECORDS_PER_TEMPLATE)
                {
                    final byte[] message = new byte[length];
                    buffer.getBytes(offset, message);
                    messages.add(message);
                }
            });
        }
        return messages;
    }
}
