package io.blackbox.exporter.esper;

import io.blackbox.exporter.family.FamilySummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code blackbox summary esper}: counts, PPO health, reward components and accuracy per environment from typed
 * events, each expected value worked out by hand from the lines below; an optional field absent or null in some
 * updates is counted only where it has a value, and shows no last value when the last update had none.
 */
class EsperSummaryTest
{
    @TempDir
    Path temp;

    private static String line(final String type) throws IOException
    {
        try (InputStream in = EsperSummaryTest.class.getResourceAsStream("/samples/esper/spec_events.jsonl"))
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("\"event_type\": \"" + type + "\"")).findFirst().orElseThrow();
        }
    }

    @Test
    void shouldSummariseTypedEventsWithoutADefaultForAMissingValue() throws Exception
    {
        final String ppo = line("PPO_UPDATE_COMPLETED");
        final String reward = line("REWARD_COMPUTED");
        final String epoch = line("EPOCH_COMPLETED");
        final Path file = Files.writeString(temp.resolve("run.jsonl"), String.join("\n",
            ppo.replace("\"explained_variance\": NaN", "\"explained_variance\": 0.5")
                .replace("\"policy_loss\": -0.0123", "\"policy_loss\": -0.5"),
            ppo.replace("\"explained_variance\": NaN", "\"explained_variance\": null")
                .replace("\"nan_grad_count\": 0", "\"nan_grad_count\": 2")
                .replace("\"policy_loss\": -0.0123", "\"policy_loss\": 0.25"),
            ppo.replace("\"explained_variance\": NaN, ", "").replace("\"policy_loss\": -0.0123", "\"policy_loss\": 1.0"),
            reward,
            reward.replace("\"compute_rent\": -0.01", "\"compute_rent\": -0.03"),
            epoch,
            epoch.replace("\"env_id\": 0", "\"env_id\": 1").replace("\"val_accuracy\": 61.25", "\"val_accuracy\": 70.0"),
            epoch.replace("\"val_accuracy\": 61.25", "\"val_accuracy\": 62.75")) + "\n");

        final FamilySummary.Summary summary = new EsperSummary().summarize(file);

        assertEquals(List.of(), summary.problems());
        assertEquals(8, summary.records());
        final Map<String, FamilySummary.Field> fields = summary.fields().stream()
            .collect(Collectors.toMap(FamilySummary.Field::name, Function.identity()));
        assertEquals(3, fields.get("events.PPO_UPDATE_COMPLETED").numbers());
        assertEquals(2, fields.get("events.REWARD_COMPUTED").numbers());
        assertEquals(3, fields.get("events.EPOCH_COMPLETED").numbers());

        final FamilySummary.Field policy = fields.get("policy_loss");
        assertEquals(3, policy.numbers());
        assertEquals((-0.5 + 0.25 + 1.0) / 3, policy.mean(), 1e-15);
        assertEquals(-0.5, policy.min());
        assertEquals(1.0, policy.max());
        final FamilySummary.Field explained = fields.get("explained_variance");
        assertEquals(1, explained.numbers(), "one update of three has a value: no 0.0 stands in for the others");
        assertEquals(0.5, explained.mean());
        assertNull(explained.last(), "the last update has none");
        assertEquals("1", fields.get("updates_with_nan_grads").last());
        assertEquals("3", fields.get("updates_skipped").last(), "spec_events' update is a skipped one");

        assertEquals(-0.02, fields.get("reward.compute_rent").mean(), 1e-15);
        assertEquals("-0.03", fields.get("reward.compute_rent").last());
        final FamilySummary.Field env0 = fields.get("env[0].val_accuracy");
        assertEquals(2, env0.numbers());
        assertEquals(62.0, env0.mean());
        assertEquals("62.75", env0.last());
        assertEquals(70.0, fields.get("env[1].val_accuracy").mean());
    }

    @Test
    void shouldNotSummariseAFileWithAProblem() throws Exception
    {
        final Path file = Files.writeString(temp.resolve("run.jsonl"),
            line("PPO_UPDATE_COMPLETED").replace("\"policy_loss\": -0.0123, ", "") + "\n");

        final FamilySummary.Summary summary = new EsperSummary().summarize(file);

        assertEquals(1, summary.problems().size());
        assertTrue(summary.problems().get(0).toString().endsWith(
            ":1: data.policy_loss: missing, required by PpoUpdate"), summary.problems()::toString);
        assertEquals(List.of(), summary.fields());
    }
}
