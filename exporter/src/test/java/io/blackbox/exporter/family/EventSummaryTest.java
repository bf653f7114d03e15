package io.blackbox.exporter.family;

import io.blackbox.exporter.clamp.ClampSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The summaries of the families without a summary of their own: Gradience's and agent's by event kind
 * ({@link EventSummary}), Clamp's of a session file ({@link ClampSummary}); each expected value worked out by hand from
 * the sample named.
 */
class EventSummaryTest
{
    @TempDir
    Path temp;

    private Path sample(final String resource, final String name) throws Exception
    {
        try (InputStream in = EventSummaryTest.class.getResourceAsStream(resource))
        {
            return Files.write(temp.resolve(name), in.readAllBytes());
        }
    }

    private static Map<String, FamilySummary.Field> byName(final FamilySummary.Summary summary)
    {
        assertEquals(List.of(), summary.problems());
        return summary.fields().stream().collect(Collectors.toMap(FamilySummary.Field::name, Function.identity()));
    }

    @Test
    void shouldSummariseGradienceByEventAndSplit() throws Exception
    {
        final FamilySummary.Summary summary = TelemetryFamilies.byName("gradience").summary()
            .summarize(sample("/samples/gradience/run.jsonl", "run.jsonl"));
        final Map<String, FamilySummary.Field> fields = byName(summary);

        assertEquals(9, summary.records());
        assertEquals(6, fields.get("events.train_step").numbers());
        final FamilySummary.Field loss = fields.get("train_step.loss");
        assertEquals(4, loss.numbers(), "two of the six train_steps carry no loss: counted where present only");
        assertEquals(0.6918, loss.min());
        assertEquals(0.6981, loss.max());
        assertEquals(1, fields.get("events.run_start").numbers());
    }

    @Test
    void shouldSummariseAClampSessionFile() throws Exception
    {
        // sample_b: one record, duration 4 ms, score 0.6, released.
        final Path file = sample("/samples/clamp/sample_b.json", "sample_b.json");
        Files.writeString(file, Files.readString(file).replace("{\n  \"records\"",
            "{\n  \"stability_score\": 0.6,\n  \"records\""));
        final Map<String, FamilySummary.Field> fields = byName(new ClampSummary().summarize(file));

        assertEquals(4.0, fields.get("duration_ms").mean());
        assertEquals("0.6", fields.get("stability_score").last());
        assertEquals("0", fields.get("in_flight").last());
        assertEquals(1, fields.get("context.test").numbers());
    }
}
