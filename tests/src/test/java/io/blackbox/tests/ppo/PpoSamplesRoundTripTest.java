package io.blackbox.tests.ppo;

import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.Samples;
import io.blackbox.exporter.ppo.PpoWire;
import io.blackbox.tests.CommandRun;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The original harness's files ({@code samples/ppo}: a 1.1 and a 1.0 record) imported through the command line and
 * exported again come back byte for byte: the same keys in the same order, the same values, the same number forms and
 * layout (Python's {@code json.dumps}).
 */
class PpoSamplesRoundTripTest
{
    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = { Samples.PPO_1_1, Samples.PPO_1_0 })
    void shouldExportAnImportedSampleByteForByte(final String name) throws Exception
    {
        final Path sample = Samples.copy(PpoWire.FAMILY, name, temp);
        final Path recording = temp.resolve("recording");
        final CommandRun run = CommandRun.of("import", PpoWire.FAMILY, sample.toString(), "--recording",
            recording.toString());
        assertEquals(0, run.exit(), run::toString);

        final RecordingExport.Result result = RecordingExport.export(recording, temp.resolve("export"));
        assertEquals(1, result.records());
        assertArrayEquals(Files.readAllBytes(sample), Files.readAllBytes(temp.resolve("export/ppo/" + name)), name);
    }
}
