package io.blackbox.tests.clamp;

import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.Samples;
import io.blackbox.exporter.clamp.ClampWire;
import io.blackbox.tests.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The original's pretty-printed session files ({@code samples/clamp/sample_a.json}, {@code sample_b.json}) imported
 * through the command line and exported again come back as the same records under the same names, every value equal
 * (the layout is the export's: a record a line, {@code duration_ms} with 3 decimals, the file's mean added); a file
 * the validator refuses imports nothing.
 */
class ClampSamplesImportTest
{
    @TempDir
    Path temp;

    @Test
    void shouldExportTheImportedSamplesRecordForRecord() throws Exception
    {
        final Path a = Samples.copy(ClampWire.FAMILY, "sample_a.json", temp);
        final Path b = Samples.copy(ClampWire.FAMILY, "sample_b.json", temp);
        final Path recording = temp.resolve("recording");
        for (final Path sample : new Path[] { a, b })
        {
            final CommandRun run = CommandRun.of("import", ClampWire.FAMILY, sample.toString(), "--recording",
                recording.toString());
            assertEquals(0, run.exit(), run::toString);
        }

        final RecordingExport.Result result = RecordingExport.export(recording, temp.resolve("export"));
        assertEquals(3, result.records());
        for (final Path sample : new Path[] { a, b })
        {
            final Path exported = temp.resolve("export").resolve(ClampWire.TELEMETRY_DIRECTORY)
                .resolve(sample.getFileName());
            final JsonNode original = JsonLinesReader.MAPPER.readTree(Files.readString(sample)).get("records");
            final JsonNode back = JsonLinesReader.MAPPER.readTree(Files.readString(exported)).get("records");
            assertEquals(original.size(), back.size());
            for (int i = 0; i < original.size(); i++)
            {
                for (final String key : ClampWire.RECORD_KEYS)
                {
                    final JsonNode want = original.get(i).get(key);
                    final JsonNode got = back.get(i).get(key);
                    if (want.isNumber())
                    {
                        assertEquals(want.decimalValue().stripTrailingZeros(), got.decimalValue().stripTrailingZeros(),
                            () -> sample + " record " + key);
                    }
                    else
                    {
                        assertEquals(want, got, () -> sample + " record " + key);
                    }
                }
            }
            final CommandRun validate = CommandRun.of("validate", ClampWire.FAMILY, exported.toString());
            assertEquals(0, validate.exit(), validate::toString);
        }
    }

    @Test
    void shouldImportNothingFromAFileWithAZeroSeed() throws Exception
    {
        final Path sample = Samples.copy(ClampWire.FAMILY, "sample_b.json", temp);
        Files.writeString(sample, Files.readString(sample).replace("\"seed\": 1", "\"seed\": 0"));
        final Path recording = temp.resolve("recording");

        final CommandRun run = CommandRun.of("import", ClampWire.FAMILY, sample.toString(), "--recording",
            recording.toString());

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.out().contains(sample + ":1: seed: zero: a failed acquisition, the spec says"), run::toString);
        assertTrue(Files.notExists(recording), run::toString);
    }
}
