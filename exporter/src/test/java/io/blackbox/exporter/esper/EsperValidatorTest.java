package io.blackbox.exporter.esper;

import io.blackbox.exporter.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code blackbox validate esper}: the original's sample and the all-types file are valid; a line written twice (its
 * event id repeated) and a payload missing a required key are each named, {@code FILE:LINE: field: problem}.
 */
class EsperValidatorTest
{
    @TempDir
    Path temp;

    private Path copy(final String name) throws Exception
    {
        try (InputStream in = EsperValidatorTest.class.getResourceAsStream("/samples/esper/" + name))
        {
            return Files.write(temp.resolve(name), in.readAllBytes());
        }
    }

    @Test
    void shouldAcceptTheSamples() throws Exception
    {
        assertEquals(List.of(), new EsperValidator().validate(copy("demo_events.jsonl")));
        assertEquals(List.of(), new EsperValidator().validate(copy("spec_events.jsonl")));
    }

    @Test
    void shouldNameALineWrittenTwiceAndAMissingKey() throws Exception
    {
        final List<String> lines = Files.readAllLines(copy("demo_events.jsonl"), StandardCharsets.UTF_8);
        final Path file = Files.writeString(temp.resolve("run.jsonl"), String.join("\n", lines.get(0), lines.get(1),
            lines.get(0), lines.get(1).replace("\"n_envs\": 4, ", "")) + "\n");

        assertEquals(List.of(
            new Problem(file.toString(), 3, "event_id", "repeats the id of line 1 " +
                "(21d21af4-c22f-49d7-a156-f748692ebd24): a line written twice"),
            new Problem(file.toString(), 4, "data.n_envs", "missing, required by TrainingStarted")),
            new EsperValidator().validate(file));
    }
}
