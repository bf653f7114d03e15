package io.blackbox.tests.agent;

import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.agent.AgentWire;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.agent.AgentEmitter;
import io.blackbox.recorder.agent.AgentRedaction;
import io.blackbox.recorder.agent.AgentVerdict;
import io.blackbox.tests.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redaction happens before anything reaches a file: a child JVM writes known secrets through every core event, a
 * custom event and the tags, says so, and is killed with SIGKILL while still recording; no secret's bytes are in any
 * file of the recording directory (the ring it left, the queue, the metadata), nor, after a reopen drains the ring,
 * in any file of the export, which holds the events with their {@code redacted_fields}. Run with the literal and with
 * the keyed-hash redaction.
 */
class AgentSecretCrashTest
{
    /** Each secret, in a form the redaction must catch: by key name, by shape, in arguments, in tags. */
    static final List<String> SECRETS = List.of(
        "hunter2-" + "p4ssw0rd",
        "ghp_" + "SecretGitHubTokenAbcdefghijklmnopqrstuv01",
        "AKIA" + "Z7SECRETACCESSKY",
        "sk-" + "SecretApiKeyAbcdefghijklmnopqrst",
        "Bearer " + "secretBearerValue.123456789",
        "xoxb-" + "1234567890-secretslack");

    private static final String WRITTEN = "written";

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "literal", "keyed-hash" })
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldKeepEverySecretOutOfEveryFileAcrossAKill(final String mode) throws Exception
    {
        final Path recording = temp.resolve("recording");
        try (ChildJvm child = ChildJvm.start(temp.resolve("child.err"), SecretWriter.class, recording.toString(),
            mode))
        {
            child.awaitLine(WRITTEN);
            assertEquals(137, child.kill(), () -> "exit of the child\n" + child.errors());
        }
        assertNoSecretIn(recording, "the killed process's recording");

        try (Recorder recorder = Recorder.open(recording))
        {
            System.out.println(recording + " reopened: " + recorder.recovery());
        }
        assertNoSecretIn(recording, "the recording after its ring was drained");
        final RecordingExport.Result result = RecordingExport.export(recording, temp.resolve("export"));
        assertEquals(List.of(), result.damage());
        assertTrue(result.records() >= 11, "every event exported: " + result.records());
        assertNoSecretIn(temp.resolve("export"), "the export");
        final String lines = Files.readString(temp.resolve("export").resolve(AgentWire.DIRECTORY)
            .resolve("secret-run.jsonl"));
        assertTrue(lines.contains("\"redacted_fields\":[\""), lines);
        assertTrue(lines.contains("literal".equals(mode) ? "\"REDACTED\"" : "\"hmac-sha256:"), lines);
    }

    private static void assertNoSecretIn(final Path directory, final String what) throws Exception
    {
        final List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory))
        {
            for (final Path file : files.filter(Files::isRegularFile).toList())
            {
                final String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (final String secret : SECRETS)
                {
                    // The value after its prefix too: a redaction that kept "Bearer " and wrote the rest would leak.
                    final String core = secret.substring(secret.length() - 12);
                    if (bytes.contains(secret) || bytes.contains(core))
                    {
                        found.add(file + " holds " + secret);
                    }
                }
            }
        }
        assertFalse(directory.toFile().list().length == 0, what + " has files");
        assertEquals(List.of(), found, what);
    }

    @Test
    void shouldHaveSecretsThatTheRedactionMatches()
    {
        // The test proves something only if each secret is one the redaction is meant to catch somewhere.
        final AgentRedaction redaction = AgentRedaction.literal();
        for (final String secret : SECRETS.subList(1, SECRETS.size()))
        {
            assertTrue(redaction.hasSecretShape(secret), secret);
        }
        assertTrue(redaction.isSecretKey("password"));
    }

    /**
     * The child: every event carrying the secrets, then a line saying so, then more events until it is killed.
     */
    public static final class SecretWriter
    {
        public static void main(final String[] args) throws Exception
        {
            final Recorder recorder = Recorder.open(Path.of(args[0]));
            final AgentEmitter agent = recorder.emitter(AgentEmitter::new, "secret-run")
                .redaction("literal".equals(args[1]) ? AgentRedaction.literal() : AgentRedaction.keyedHash())
                .source("executor")
                .tags(Map.of("environment", "ci", "auth_token", SECRETS.get(1)));
            final String password = SECRETS.get(0);
            final String github = SECRETS.get(1);
            final String aws = SECRETS.get(2);
            final String openai = SECRETS.get(3);
            final String bearer = SECRETS.get(4);
            final String slack = SECRETS.get(5);
            for (long cycle = 1; ; cycle++)
            {
                agent.planGenerated(cycle, 3, 0.7, List.of("shell", github));
                agent.planStepStarted(cycle, 0, "shell", "export AWS key " + aws);
                agent.commandStarted(cycle, "deploy", List.of("--password", password, "--token=" + github,
                    "api_key=" + openai, slack));
                agent.commandCompleted(cycle, "deploy", 0, ("Authorization: " + bearer).getBytes(), new byte[0]);
                agent.executorError(cycle, "AuthError", "rejected " + bearer, true);
                agent.planStepCompleted(cycle, 0, 12.5, "used " + openai, "succeeded");
                agent.feedbackGenerated(cycle, 0.1, List.of("leaked " + slack), List.of(aws));
                agent.decision(cycle, AgentVerdict.REVISE);
                agent.profileSelected(cycle, github, "fast");
                agent.benchmarkCompleted(cycle, 900.0, 42.0);
                agent.custom(cycle, "memory.stored", Map.of("password", password, "note", "ok"));
                if (1 == cycle)
                {
                    System.out.println(WRITTEN);
                }
                Thread.sleep(5);
            }
        }
    }
}
