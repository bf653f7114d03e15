package io.blackbox.tests.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.cli.BlackboxCommand;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.agent.AgentEmitter;
import io.blackbox.recorder.gradience.GradienceEmitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code blackbox serve} through the real command line, scraped over HTTP while a recorder writes, the text parsed by
 * the Prometheus project's own parser ({@code prometheus_client.parser}, Python; {@code .ci/run} installs it): the
 * agent's counters, histogram and gauges and Gradience's loss, labelled only by event, source, exit code and the one
 * allowed tag key; no run id label; bound to loopback.
 */
class AgentServeTest
{
    private static final Pattern URL = Pattern.compile("serving (http://127\\.0\\.0\\.1:(\\d+)/metrics)");
    private static final String PARSE = String.join("\n",
        "import json, sys",
        "from prometheus_client.parser import text_string_to_metric_families",
        "out = []",
        "for family in text_string_to_metric_families(sys.stdin.read()):",
        "    for s in family.samples:",
        "        out.append({'name': s.name, 'labels': s.labels, 'value': s.value})",
        "print(json.dumps(out))");

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldServeTheMirroredFieldsOfALiveRecording() throws Exception
    {
        final Path recording = temp.resolve("recording");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Recorder recorder = Recorder.open(recording);
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        {
            final AgentEmitter agent = recorder.emitter(AgentEmitter::new, "2025-10-06T12-30-00Z/serve")
                .source("planner").tags(Map.of("team", "rl", "run", "unbounded-value-not-a-label"));
            agent.planGenerated(1, 3, 0.7, List.of("shell"));
            final Thread serve = new Thread(() -> BlackboxCommand.execute(o, e, "serve", "--recording",
                recording.toString(), "--port", "0", "--tag-label", "team", "--poll-ms", "10"), "serve");
            serve.start();
            // While it serves, the recorder goes on writing.
            agent.planStepCompleted(1, 0, 20.0, "ok", "succeeded");
            agent.planStepCompleted(1, 1, 300.0, "ok", "succeeded");
            agent.planStepCompleted(1, 2, 3000.0, "slow", "succeeded");
            agent.commandCompleted(1, "pytest", 0, new byte[0], new byte[0]);
            agent.commandCompleted(1, "pytest", 0, new byte[0], new byte[0]);
            agent.commandCompleted(1, "pytest", 1, new byte[0], new byte[0]);
            agent.benchmarkCompleted(1, 900.0, 40.0);
            final GradienceEmitter gradience = recorder.emitter(GradienceEmitter::new, "train-run");
            gradience.trainStep(1, 0.69, 3e-4);

            final String url = awaitUrl(out);
            JsonNode samples = null;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline)
            {
                samples = parse(scrape(url));
                if (value(samples, "blackbox_gradience_train_steps_total", Map.of()) == 1.0 &&
                    value(samples, "blackbox_agent_events_total", Map.of("event", "optimizer.benchmark_completed",
                        "source", "planner", "tag_team", "rl")) == 1.0)
                {
                    break;
                }
                Thread.sleep(20);
            }
            serve.interrupt();
            serve.join(TimeUnit.SECONDS.toMillis(30));

            final Map<String, String> planner = Map.of("source", "planner", "tag_team", "rl");
            assertEquals(3.0, value(samples, "blackbox_agent_events_total",
                Map.of("event", "plan.step_completed", "source", "planner", "tag_team", "rl")), samples::toString);
            assertEquals(3.0, value(samples, "blackbox_agent_step_duration_ms_count", planner));
            assertEquals(3320.0, value(samples, "blackbox_agent_step_duration_ms_sum", planner));
            assertEquals(2.0, value(samples, "blackbox_agent_step_duration_ms_bucket",
                Map.of("source", "planner", "tag_team", "rl", "le", "500.0")), "20 and 300 under 500 ms");
            assertEquals(2.0, value(samples, "blackbox_agent_command_exits_total", Map.of("code", "0", "tag_team", "rl")));
            assertEquals(1.0, value(samples, "blackbox_agent_command_exits_total", Map.of("code", "1", "tag_team", "rl")));
            assertEquals(0.7, value(samples, "blackbox_agent_plan_confidence", planner));
            assertEquals(900.0, value(samples, "blackbox_agent_benchmark_throughput_tokens_per_second", planner));
            assertEquals(40.0, value(samples, "blackbox_agent_benchmark_latency_ms", planner));
            assertEquals(0.69, value(samples, "blackbox_gradience_train_loss", Map.of()));
            assertEquals(3e-4, value(samples, "blackbox_gradience_learning_rate", Map.of()));
            for (final JsonNode sample : samples)
            {
                assertFalse(sample.get("labels").has("run") || sample.get("labels").has("run_id") ||
                    sample.get("labels").has("tag_run"), () -> "no unbounded label: " + sample);
            }
        }
    }

    private static String awaitUrl(final ByteArrayOutputStream out) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline)
        {
            final Matcher matcher = URL.matcher(out.toString(StandardCharsets.UTF_8));
            if (matcher.find())
            {
                return matcher.group(1);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("serve said where it listens, on loopback: " + out.toString(StandardCharsets.UTF_8));
    }

    private static String scrape(final String url) throws Exception
    {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/plain").build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
            () -> "the Prometheus text format: " + response.headers());
        return response.body();
    }

    /** The samples, as the Prometheus project's own Python parser reads the text. */
    private static JsonNode parse(final String text) throws Exception
    {
        // Debian's python3-prometheus-client is installed for the system Python.
        final String python3 = java.nio.file.Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" :
            "python3";
        final Process python = new ProcessBuilder(python3, "-c", PARSE).redirectErrorStream(true).start();
        python.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        python.getOutputStream().close();
        final String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, python.waitFor(), () -> "prometheus_client's parser (apt: python3-prometheus-client; " +
            ".ci/run installs it): " + output);
        return JsonLinesReader.MAPPER.readTree(output);
    }

    private static double value(final JsonNode samples, final String name, final Map<String, String> labels)
    {
        if (null == samples)
        {
            return Double.NaN;
        }
        for (final JsonNode sample : samples)
        {
            if (!sample.get("name").asText().equals(name))
            {
                continue;
            }
            boolean match = true;
            for (final Map.Entry<String, String> label : labels.entrySet())
            {
                match &= label.getValue().equals(sample.get("labels").path(label.getKey()).asText(null));
            }
            if (match)
            {
                return sample.get("value").doubleValue();
            }
        }
        return Double.NaN;
    }
}
