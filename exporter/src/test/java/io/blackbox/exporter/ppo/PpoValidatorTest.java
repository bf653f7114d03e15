package io.blackbox.exporter.ppo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link PpoValidator} on townlet's two samples (valid) and on each of them broken one way at a time: each rule fails
 * with its own {@code FILE:LINE: field: problem}, and only that.
 */
class PpoValidatorTest
{
    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = { Samples.PPO_1_1, Samples.PPO_1_0 })
    void shouldAcceptTheOriginalsSamples(final String name) throws IOException
    {
        assertEquals(List.of(), new PpoValidator().validate(Samples.copy(PpoWire.FAMILY, name, temp)));
    }

    static Stream<Arguments> brokenRecords()
    {
        return Stream.of(
            broken(Samples.PPO_1_1, r -> r.remove("epoch"), "epoch: missing"),
            broken(Samples.PPO_1_1, r -> r.put("telemetry_version", 1.2),
                "telemetry_version: must be the number 1.0 or 1.1, found 1.2"),
            broken(Samples.PPO_1_1, r -> r.put("telemetry_version", "1.1"),
                "telemetry_version: must be the number 1.0 or 1.1, found \"1.1\""),
            broken(Samples.PPO_1_1, r -> r.put("loss_value", "0.5"), "loss_value: must be a number, found \"0.5\""),
            broken(Samples.PPO_1_1, r -> r.put("grad_norm", Double.NaN), "grad_norm: must be a finite number, found NaN"),
            broken(Samples.PPO_1_1, r -> r.put("kl_divergence_max", Double.POSITIVE_INFINITY),
                "kl_divergence_max: must be a finite number, found Infinity"),
            broken(Samples.PPO_1_1, r -> r.put("updates", -4.0),
                "updates: must be a whole number, not negative (a count), found -4.0"),
            broken(Samples.PPO_1_1, r -> r.put("rollout_ticks", 2.5),
                "rollout_ticks: must be a whole number, not negative (a count), found 2.5"),
            broken(Samples.PPO_1_1, r -> r.put("clip_fraction", 1.5),
                "clip_fraction: must be a fraction from 0 to 1, found 1.5"),
            broken(Samples.PPO_1_1, r -> r.put("reward_advantage_corr", -1.25),
                "reward_advantage_corr: must be a correlation from -1 to 1, found -1.25"),
            broken(Samples.PPO_1_1, r -> r.put("data_mode", "online"),
                "data_mode: must be one of [replay, rollout, mixed], found \"online\""),
            broken(Samples.PPO_1_1, r -> r.remove("log_stream_offset"), "log_stream_offset: missing"),
            broken(Samples.PPO_1_1, r -> r.put("adv_min_std", 0.5).put("clip_triggered_minibatches", 1.0)
                    .put("clip_fraction_max", 0.5),
                "adv_zero_std_batches: missing: the four health keys [adv_zero_std_batches, adv_min_std, " +
                "clip_triggered_minibatches, clip_fraction_max] come together"),
            broken(Samples.PPO_1_0, r -> r.put("cycle_id", 0.0),
                "cycle_id: a telemetry_version 1.0 record carries no 1.1 key"),
            broken(Samples.PPO_1_0, r -> r.put("steps", -1), "steps: must be a whole number, not negative (a count), found -1"));
    }

    private static Arguments broken(final String sample, final Consumer<ObjectNode> change, final String problem)
    {
        return Arguments.of(sample, change, problem);
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("brokenRecords")
    void shouldReportEachRuleAsFileLineFieldProblem(final String sample, final Consumer<ObjectNode> change,
        final String problem) throws IOException
    {
        final ObjectNode record = (ObjectNode)JsonLinesReader.MAPPER.readTree(
            Files.readString(Samples.copy(PpoWire.FAMILY, sample, temp)));
        change.accept(record);
        final Path file = temp.resolve("broken.jsonl");
        Files.writeString(file, JsonLinesReader.MAPPER.writeValueAsString(record) + "\n", StandardCharsets.UTF_8);

        assertEquals(List.of(file + ":1: " + problem), lines(new PpoValidator().validate(file)));
    }

    @Test
    void shouldReportAnOffsetThatDoesNotIncreaseAndABlankLine() throws IOException
    {
        final String line = Files.readString(Samples.copy(PpoWire.FAMILY, Samples.PPO_1_1, temp)).strip();
        final String second = line.replace("\"log_stream_offset\": 1.0", "\"log_stream_offset\": 2.0");
        final Path file = temp.resolve("stream.jsonl");
        Files.writeString(file, line + "\n" + second + "\n\n" + second + "\n", StandardCharsets.UTF_8);

        assertEquals(List.of(
            file + ":4: a blank line comes before this record (lines 3..3): townlet's watcher stops at the first blank line",
            file + ":4: log_stream_offset: must increase from one record to the next, found 2.0 after 2.0 on line 2"),
            lines(new PpoValidator().validate(file)));
    }

    @Test
    void shouldReportAnEmptyFile() throws IOException
    {
        final Path file = Files.createFile(temp.resolve("empty.jsonl"));
        assertEquals(List.of(file + ": file is empty"), lines(new PpoValidator().validate(file)));
    }

    private static List<String> lines(final List<Problem> problems)
    {
        return problems.stream().map(Problem::toString).toList();
    }
}
