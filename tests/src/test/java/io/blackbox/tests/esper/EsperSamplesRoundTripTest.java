package io.blackbox.tests.esper;

import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.Samples;
import io.blackbox.exporter.esper.EsperWire;
import io.blackbox.tests.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Esper files imported through the command line and exported again come back byte for byte: esper-lite's own sample
 * (with the keys its producer added beyond the spec, mid-payload) and a file of every payload type with every field
 * (written by the typed layer, checked against the spec). An import that would lose something is refused whole.
 */
class EsperSamplesRoundTripTest
{
    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = { "demo_events.jsonl", "spec_events.jsonl" })
    void shouldExportAnImportedFileByteForByte(final String name) throws Exception
    {
        final Path sample = Samples.copy(EsperWire.FAMILY, name, temp);
        final Path recording = temp.resolve("recording");
        final CommandRun run = CommandRun.of("import", EsperWire.FAMILY, sample.toString(), "--recording",
            recording.toString());
        assertEquals(0, run.exit(), run::toString);

        final RecordingExport.Result result = RecordingExport.export(recording, temp.resolve("export"));
        assertEquals(Files.readAllLines(sample).size(), result.records());
        assertEquals(0, result.damageCount(), () -> result.damage().toString());
        assertArrayEquals(Files.readAllBytes(sample), Files.readAllBytes(temp.resolve("export/esper/" + name)), name);
    }

    @Test
    void shouldRefuseAFileWithAnEnvelopeKeyBeyondTheSpecOrAnUnknownSeverityAndImportNothing() throws Exception
    {
        final Path sample = Samples.copy(EsperWire.FAMILY, "demo_events.jsonl", temp);
        final String text = Files.readString(sample);
        final Path file = Files.writeString(temp.resolve("bad.jsonl"), text
            .replaceFirst("\"severity\": \"info\"}", "\"severity\": \"info\", \"host\": \"gpu-3\"}")
            .replaceFirst("(?s)(.*)\"severity\": \"info\"}", "$1\"severity\": \"fatal\"}"));
        final Path recording = temp.resolve("recording");

        final CommandRun run = CommandRun.of("import", EsperWire.FAMILY, file.toString(), "--recording",
            recording.toString());

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.out().contains(file + ":1: host: an envelope key beyond the spec"), run::toString);
        assertTrue(run.out().contains(file + ":2: severity: not one of debug, info, warning, error, critical: fatal"),
            run::toString);
        assertTrue(Files.notExists(recording), "nothing imported: " + run);
    }

    @Test
    void shouldRefuseALineThatIsNotATypedEventNamingThePayloadAndKey() throws Exception
    {
        final Path sample = Samples.copy(EsperWire.FAMILY, "demo_events.jsonl", temp);
        final Path file = Files.writeString(temp.resolve("bad.jsonl"),
            Files.readString(sample).replaceFirst("\"avg_accuracy\": 61.5, ", ""));

        final CommandRun run = CommandRun.of("import", EsperWire.FAMILY, file.toString(), "--recording",
            temp.resolve("recording").toString());

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.out().contains(file + ":1: data.avg_accuracy: missing, required by BatchEpochCompleted"),
            run::toString);
    }
}
