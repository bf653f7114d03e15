package io.blackbox.exporter.gradience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class GradienceValidatorTest
{
    private static final String ENVELOPE = "\"schema\":\"gradience.vnext.telemetry/v1\",\"ts\":1.5,\"run_id\":\"r1\"";

    @TempDir
    Path dir;

    private final GradienceValidator validator = new GradienceValidator();

    @ParameterizedTest
    @ValueSource(strings = { GradienceSamples.MINIMAL, GradienceSamples.RUN })
    void shouldAcceptTheOriginalProjectsSamples(final String sample) throws IOException
    {
        final Path file = GradienceSamples.copy(sample, dir);

        assertEquals(List.of(), validator.validate(file));
    }

    @Test
    void shouldAcceptEveryEventWithItsOptionalFields() throws IOException
    {
        final Path file = write(
            record("run_start", "null", "\"config\":{},\"meta\":{\"host\":\"h\"}"),
            record("train_step", "-3", "\"loss\":NaN,\"lr\":[0.1,Infinity,2],\"extra\":true"),
            record("train_step", "4", "\"lr\":0.001"),
            record("train_step", "5", ""),
            record("eval", "5",
                "\"split\":\"val\",\"metrics\":{\"ppl\":1e3,\"accuracy\":1,\"loss\":-Infinity,\"n\":0}"),
            record("eval", "6", "\"split\":\"test\",\"metrics\":{\"accuracy\":NaN}"),
            record("metrics", "6", "\"kind\":\"spectral\",\"metrics\":{\"anything\":[1,\"x\"]}"),
            record("alert", "null",
                "\"severity\":\"critical\",\"code\":\"memorization_gap\",\"message\":\"\",\"context\":{\"gap\":2}"),
            record("recommendation", "7", "\"recommendations\":[{\"action\":\"stop\"},{}]"),
            record("recommendation", "8", "\"recommendations\":[]"),
            record("run_end", "null", "\"status\":\"aborted\",\"reason\":\"user\""));

        assertEquals(List.of(), validator.validate(file));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRules")
    void shouldReportEachBrokenRule(final String rule, final String line, final String expected) throws IOException
    {
        final Path file = write(line);

        assertEquals(List.of(file + ":1: " + expected), strings(validator.validate(file)));
    }

    static Stream<Arguments> brokenRules()
    {
        return Stream.of(
            // Envelope
            rule("schema missing",
                "{\"ts\":1,\"run_id\":\"r1\",\"event\":\"run_end\",\"step\":null,\"status\":\"ok\"}",
                "schema: missing required field"),
            rule("schema other version",
                "{\"schema\":\"gradience.vnext.telemetry/v2\",\"ts\":1,\"run_id\":\"r1\",\"event\":\"run_end\"," +
                    "\"step\":null,\"status\":\"ok\"}",
                "schema: must be \"gradience.vnext.telemetry/v1\", found \"gradience.vnext.telemetry/v2\""),
            rule("schema not a string",
                "{\"schema\":1,\"ts\":1,\"run_id\":\"r1\",\"event\":\"run_end\",\"step\":null,\"status\":\"ok\"}",
                "schema: must be a string, found 1"),
            rule("ts missing",
                "{\"schema\":\"gradience.vnext.telemetry/v1\",\"run_id\":\"r1\",\"event\":\"run_end\"," +
                    "\"step\":null,\"status\":\"ok\"}",
                "ts: missing required field"),
            rule("ts a string",
                "{\"schema\":\"gradience.vnext.telemetry/v1\",\"ts\":\"1.5\",\"run_id\":\"r1\",\"event\":\"run_end\"," +
                    "\"step\":null,\"status\":\"ok\"}",
                "ts: must be a number, found \"1.5\""),
            rule("ts a boolean",
                "{\"schema\":\"gradience.vnext.telemetry/v1\",\"ts\":true,\"run_id\":\"r1\",\"event\":\"run_end\"," +
                    "\"step\":null,\"status\":\"ok\"}",
                "ts: must be a number, found true"),
            rule("run_id missing",
                "{\"schema\":\"gradience.vnext.telemetry/v1\",\"ts\":1,\"event\":\"run_end\",\"step\":null," +
                    "\"status\":\"ok\"}",
                "run_id: missing required field"),
            rule("run_id empty",
                "{\"schema\":\"gradience.vnext.telemetry/v1\",\"ts\":1,\"run_id\":\"\",\"event\":\"run_end\"," +
                    "\"step\":null,\"status\":\"ok\"}",
                "run_id: must not be empty"),
            rule("run_id a number",
                "{\"schema\":\"gradience.vnext.telemetry/v1\",\"ts\":1,\"run_id\":7,\"event\":\"run_end\"," +
                    "\"step\":null,\"status\":\"ok\"}",
                "run_id: must be a string, found 7"),
            rule("event missing", "{" + ENVELOPE + ",\"step\":null}", "event: missing required field"),
            rule("event not a string", "{" + ENVELOPE + ",\"event\":[\"eval\"],\"step\":null}",
                "event: must be a string, found an array"),
            rule("event unknown", "{" + ENVELOPE + ",\"event\":\"checkpoint\",\"step\":null}",
                "event: must be one of run_start, train_step, eval, metrics, alert, recommendation, run_end, " +
                    "found \"checkpoint\""),
            rule("step missing", "{" + ENVELOPE + ",\"event\":\"run_end\",\"status\":\"ok\"}",
                "step: missing required field (write null when there is no step)"),
            rule("step a float", record("run_end", "2.0", "\"status\":\"ok\""),
                "step: must be an integer or null, found 2.0"),
            rule("step a string", record("run_end", "\"2\"", "\"status\":\"ok\""),
                "step: must be an integer or null, found \"2\""),

            // run_start
            rule("run_start config missing", record("run_start", "null", "\"meta\":{}"),
                "config: missing required field"),
            rule("run_start config not an object", record("run_start", "null", "\"config\":[]"),
                "config: must be an object, found an array"),
            rule("run_start meta not an object", record("run_start", "null", "\"config\":{},\"meta\":\"x\""),
                "meta: must be an object, found \"x\""),

            // train_step
            rule("train_step loss a string", record("train_step", "1", "\"loss\":\"0.5\""),
                "loss: must be a number, found \"0.5\""),
            rule("train_step loss a boolean", record("train_step", "1", "\"loss\":false"),
                "loss: must be a number, found false"),
            rule("train_step lr a string", record("train_step", "1", "\"lr\":\"1e-3\""),
                "lr: must be a number or an array of numbers, found \"1e-3\""),
            rule("train_step lr an empty list", record("train_step", "1", "\"lr\":[]"),
                "lr: must not be an empty array"),
            rule("train_step lr element not a number", record("train_step", "1", "\"lr\":[0.1,0.2,null]"),
                "lr[2]: must be a number, found null"),

            // eval
            rule("eval split missing", record("eval", "1", "\"metrics\":{}"), "split: missing required field"),
            rule("eval split empty", record("eval", "1", "\"split\":\"\",\"metrics\":{}"), "split: must not be empty"),
            rule("eval split not a string", record("eval", "1", "\"split\":1,\"metrics\":{}"),
                "split: must be a string, found 1"),
            rule("eval metrics missing", record("eval", "1", "\"split\":\"test\""), "metrics: missing required field"),
            rule("eval metrics not an object", record("eval", "1", "\"split\":\"test\",\"metrics\":[1]"),
                "metrics: must be an object, found an array"),
            rule("eval ppl not a number", record("eval", "1", "\"split\":\"test\",\"metrics\":{\"ppl\":\"high\"}"),
                "metrics.ppl: must be a number, found \"high\""),
            rule("eval loss not a number", record("eval", "1", "\"split\":\"test\",\"metrics\":{\"loss\":true}"),
                "metrics.loss: must be a number, found true"),
            rule("eval accuracy not a number",
                record("eval", "1", "\"split\":\"test\",\"metrics\":{\"accuracy\":\"90%\"}"),
                "metrics.accuracy: must be a number, found \"90%\""),
            rule("eval accuracy above 1", record("eval", "1", "\"split\":\"test\",\"metrics\":{\"accuracy\":85.5}"),
                "metrics.accuracy: must be a fraction from 0 to 1, found 85.5"),
            rule("eval accuracy below 0", record("eval", "1", "\"split\":\"test\",\"metrics\":{\"accuracy\":-0.1}"),
                "metrics.accuracy: must be a fraction from 0 to 1, found -0.1"),
            rule("eval n a float", record("eval", "1", "\"split\":\"test\",\"metrics\":{\"n\":100.0}"),
                "metrics.n: must be an integer, found 100.0"),
            rule("eval n a string", record("eval", "1", "\"split\":\"test\",\"metrics\":{\"n\":\"100\"}"),
                "metrics.n: must be an integer, found \"100\""),

            // metrics
            rule("metrics kind missing", record("metrics", "1", "\"metrics\":{}"), "kind: missing required field"),
            rule("metrics kind empty", record("metrics", "1", "\"kind\":\"\",\"metrics\":{}"),
                "kind: must not be empty"),
            rule("metrics metrics missing", record("metrics", "1", "\"kind\":\"spectral\""),
                "metrics: missing required field"),
            rule("metrics metrics null", record("metrics", "1", "\"kind\":\"spectral\",\"metrics\":null"),
                "metrics: must be an object, found null"),

            // alert
            rule("alert severity unknown",
                record("alert", "1", "\"severity\":\"fatal\",\"code\":\"c\",\"message\":\"m\""),
                "severity: must be one of info, warning, error, critical, found \"fatal\""),
            rule("alert severity missing", record("alert", "1", "\"code\":\"c\",\"message\":\"m\""),
                "severity: missing required field"),
            rule("alert code empty", record("alert", "1", "\"severity\":\"info\",\"code\":\"\",\"message\":\"m\""),
                "code: must not be empty"),
            rule("alert code missing", record("alert", "1", "\"severity\":\"info\",\"message\":\"m\""),
                "code: missing required field"),
            rule("alert message missing", record("alert", "1", "\"severity\":\"info\",\"code\":\"c\""),
                "message: missing required field"),
            rule("alert message not a string",
                record("alert", "1", "\"severity\":\"info\",\"code\":\"c\",\"message\":{}"),
                "message: must be a string, found an object"),
            rule("alert context not an object",
                record("alert", "1", "\"severity\":\"info\",\"code\":\"c\",\"message\":\"m\",\"context\":\"x\""),
                "context: must be an object, found \"x\""),

            // recommendation
            rule("recommendation list missing", record("recommendation", "1", ""),
                "recommendations: missing required field"),
            rule("recommendation list an object", record("recommendation", "1", "\"recommendations\":{}"),
                "recommendations: must be an array of objects, found an object"),
            rule("recommendation element not an object",
                record("recommendation", "1", "\"recommendations\":[{},\"stop\"]"),
                "recommendations[1]: must be an object, found \"stop\""),

            // run_end
            rule("run_end status missing", record("run_end", "null", "\"reason\":\"r\""),
                "status: missing required field"),
            rule("run_end status unknown", record("run_end", "null", "\"status\":\"done\""),
                "status: must be one of ok, aborted, error, found \"done\""),
            rule("run_end reason not a string", record("run_end", "null", "\"status\":\"error\",\"reason\":42"),
                "reason: must be a string, found 42"));
    }

    @Test
    void shouldReportEveryProblemOfOneRecordInFieldOrder() throws IOException
    {
        final Path file = write("{\"schema\":\"x\",\"ts\":\"a\",\"run_id\":\"\",\"event\":\"eval\",\"step\":2.5}");

        assertEquals(List.of(
            file + ":1: schema: must be \"gradience.vnext.telemetry/v1\", found \"x\"",
            file + ":1: ts: must be a number, found \"a\"",
            file + ":1: run_id: must not be empty",
            file + ":1: step: must be an integer or null, found 2.5",
            file + ":1: split: missing required field",
            file + ":1: metrics: missing required field"),
            strings(validator.validate(file)));
    }

    @Test
    void shouldEscapeAndShortenQuotedValues() throws IOException
    {
        final Path file = write(record("run_end", "null", "\"status\":\"\\u001b[2J\u00e9" + "x".repeat(100) + "\""));

        final List<Problem> problems = validator.validate(file);

        assertEquals(1, problems.size());
        assertEquals("must be one of ok, aborted, error, found \"\\u001B[2J\\u00E9" + "x".repeat(44) + "...",
            problems.get(0).message());
    }

    @Test
    void shouldReportReaderProblemsAndRecordProblemsInLineOrder() throws IOException
    {
        final Path file = write(
            record("run_start", "null", "\"config\":{}"),
            "",
            "{\"schema\":",
            record("run_end", "1.0", "\"status\":\"ok\""));

        assertEquals(List.of(
            file + ":3: malformed JSON at column 11: Unexpected end-of-input within/between Object entries",
            file + ":4: step: must be an integer or null, found 1.0"),
            strings(validator.validate(file)));
    }

    @Test
    void shouldValidateOneRecordForAnotherReader() throws IOException
    {
        final ObjectNode record = (ObjectNode)JsonLinesReader.MAPPER.readTree(record("train_step", "1", "\"lr\":[]"));
        final List<Problem> problems = new ArrayList<>();

        validator.validate("queue", 42, record, problems);

        assertEquals(List.of(new Problem("queue", 42, "lr", "must not be an empty array")), problems);
    }

    @Test
    void shouldMapEventWireNamesBothWays()
    {
        for (final GradienceEvent event : GradienceEvent.values())
        {
            assertEquals(event, GradienceEvent.fromWireName(event.wireName()));
        }
        assertNotNull(GradienceEvent.fromWireName("run_start"));
        assertNull(GradienceEvent.fromWireName("RUN_START"));
        assertNull(GradienceEvent.fromWireName(null));
    }


    static String record(final String event, final String step, final String payload)
    {
        return "{" + ENVELOPE + ",\"event\":\"" + event + "\",\"step\":" + step +
            (payload.isEmpty() ? "" : "," + payload) + "}";
    }

    private static Arguments rule(final String rule, final String line, final String expected)
    {
        return Arguments.of(rule, line, expected);
    }

    private Path write(final String... lines) throws IOException
    {
        return Files.write(dir.resolve("telemetry.jsonl"), List.of(lines), StandardCharsets.UTF_8);
    }

    private static List<String> strings(final List<Problem> problems)
    {
        final List<String> strings = new ArrayList<>();
        for (final Problem problem : problems)
        {
            strings.add(problem.toString());
        }

        return strings;
    }
}
