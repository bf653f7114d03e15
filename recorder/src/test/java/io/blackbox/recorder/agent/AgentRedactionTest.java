package io.blackbox.recorder.agent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the agent redaction replaces: values under secret key names (nested, in lists), well-known secret shapes
 * anywhere, command arguments in their three forms; what it leaves (a metric named like a token count); literal and
 * keyed-hash replacements.
 */
class AgentRedactionTest
{
    private static final String GITHUB = "ghp_" + "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String AWS = "AKIA" + "IOSFODNN7EXAMPLE";

    @Test
    void shouldRedactSecretKeysAndShapesAndListTheirPaths()
    {
        final Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("user", "ada");
        payload.put("api_key", "k-123");
        payload.put("github_token", "anything");
        payload.put("throughput_tokens_per_s", 812.5);
        payload.put("note", "header was Bearer abcdefghijkl.mnop");
        payload.put("env", Map.of("AWS_ACCESS_KEY", "x", "HOME", "/home/ada"));
        payload.put("lines", List.of("fine", "key " + AWS + " leaked"));
        final List<String> redacted = new ArrayList<>();

        final Map<String, Object> out = AgentRedaction.literal().redact(payload, redacted);

        assertEquals("ada", out.get("user"));
        assertEquals("REDACTED", out.get("api_key"));
        assertEquals("REDACTED", out.get("github_token"));
        assertEquals(812.5, out.get("throughput_tokens_per_s"), "a count of tokens is not a token");
        assertEquals("REDACTED", out.get("note"));
        assertEquals(Map.of("AWS_ACCESS_KEY", "REDACTED", "HOME", "/home/ada"), out.get("env"));
        assertEquals(List.of("fine", "REDACTED"), out.get("lines"));
        assertEquals(Set.of("api_key", "github_token", "note", "env.AWS_ACCESS_KEY", "lines[1]"), Set.copyOf(redacted));
    }

    @Test
    void shouldRedactArgumentsInTheirThreeForms()
    {
        final List<String> redacted = new ArrayList<>();
        final List<String> out = AgentRedaction.literal().redactArguments("arguments", List.of("-q",
            "--token=" + GITHUB, "--password", "hunter2", "api_key=abc", GITHUB, "--verbose", "plain"), redacted);

        assertEquals(List.of("-q", "--token=REDACTED", "--password", "REDACTED", "api_key=REDACTED", "REDACTED",
            "--verbose", "plain"), out);
        assertEquals(List.of("arguments[1]", "arguments[3]", "arguments[4]", "arguments[5]"), redacted);
    }

    @Test
    void shouldHashEqualValuesEquallyUnderOneKeyOnly()
    {
        final AgentRedaction one = AgentRedaction.keyedHash();
        final AgentRedaction other = AgentRedaction.keyedHash();
        final String a = one.replacement("hunter2");

        assertTrue(a.matches("hmac-sha256:[0-9a-f]{32}"), a);
        assertEquals(a, one.replacement("hunter2"), "equal values match within a recording");
        assertNotEquals(a, one.replacement("hunter3"));
        assertNotEquals(a, other.replacement("hunter2"), "a fresh key for another");
        assertFalse(a.contains("hunter2"));
    }

    @Test
    void shouldTakeMoreKeysAndPatterns()
    {
        final AgentRedaction redaction = AgentRedaction.literal().with(Set.of("Employee-ID"),
            List.of(Pattern.compile("\\bACME-[0-9]{6}\\b")));
        final List<String> redacted = new ArrayList<>();
        final Map<String, Object> out = redaction.redact(Map.of("employee_id", 7, "ticket", "see ACME-123456"),
            redacted);

        assertEquals("REDACTED", out.get("employee_id"));
        assertEquals("REDACTED", out.get("ticket"));
    }
}
