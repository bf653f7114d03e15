package io.blackbox.exporter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunFileNamesTest
{
    @Test
    void shouldPassAUuidThroughUnchanged()
    {
        final String uuid = "fbbeb25f-02c0-4aa5-a7eb-5a9884cbcb51";

        assertEquals(uuid, RunFileNames.encode(uuid));
        assertEquals(uuid, RunFileNames.decode(uuid));
    }

    @Test
    void shouldKeepLettersDigitsUnderscoresHyphensAndInnerDots()
    {
        assertEquals("test_run-001.v2", RunFileNames.encode("test_run-001.v2"));
    }

    @Test
    void shouldEncodeASlash()
    {
        assertEquals("a%2Fb", RunFileNames.encode("a/b"));
        assertEquals("a/b", RunFileNames.decode("a%2Fb"));
    }

    @Test
    void shouldEncodeABackslash()
    {
        assertEquals("a%5Cb", RunFileNames.encode("a\\b"));
    }

    @Test
    void shouldEncodeTheDotsOfDotAndDotDot()
    {
        assertEquals("%2E", RunFileNames.encode("."));
        assertEquals("%2E%2E", RunFileNames.encode(".."));
        assertEquals("..", RunFileNames.decode("%2E%2E"));
    }

    @Test
    void shouldEncodeTheDotsOfAHiddenName()
    {
        assertEquals("%2Ehidden%2Etxt", RunFileNames.encode(".hidden.txt"));
        assertEquals(".hidden.txt", RunFileNames.decode("%2Ehidden%2Etxt"));
    }

    @Test
    void shouldEncodeThePercentSign()
    {
        assertEquals("50%25", RunFileNames.encode("50%"));
        assertEquals("50%", RunFileNames.decode("50%25"));
    }

    @Test
    void shouldEncodeUnicodeAsUtf8Bytes()
    {
        assertEquals("caf%C3%A9-%F0%9F%98%80", RunFileNames.encode("caf\u00e9-\uD83D\uDE00"));
        assertEquals("caf\u00e9-\uD83D\uDE00", RunFileNames.decode("caf%C3%A9-%F0%9F%98%80"));
    }

    @Test
    void shouldEncodeControlCharactersAndNul()
    {
        assertEquals("a%00b%0A%1B%7F", RunFileNames.encode("a\u0000b\n\u001b\u007f"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "fbbeb25f-02c0-4aa5-a7eb-5a9884cbcb51", "a/b", "..", ".", ".hidden", "%", "%2F", "a b", "caf\u00e9",
        "\u65e5\u672c\u8a9e", "\uD83D\uDE00", "tab\there", "nul\u0000", "../../etc/passwd", "C:\\x", "a:b*c?" })
    void shouldRoundTripAndProduceOnlySafeCharacters(final String runId)
    {
        final String stem = RunFileNames.encode(runId);

        assertEquals(runId, RunFileNames.decode(stem));
        assertTrue(stem.matches("[A-Za-z0-9_.%-]+"), stem);
        assertFalse(stem.startsWith("."), stem);
        assertFalse(stem.contains(".."), stem);
    }

    @Test
    void shouldRejectAnEmptyRunId()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> RunFileNames.encode(""));
        assertEquals("run_id must not be empty to name a file", ex.getMessage());
    }

    @Test
    void shouldAcceptARunIdThatEncodesToTheLimit()
    {
        assertEquals(240, RunFileNames.encode("r".repeat(240)).length());
    }

    @Test
    void shouldRejectARunIdThatEncodesBeyondTheLimit()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> RunFileNames.encode("\u00e9".repeat(41)));
        assertEquals("run_id is too long to name a file: its file name stem is 246 bytes, more than 240",
            ex.getMessage());
    }

    @Test
    void shouldRejectAnUnpairedSurrogate()
    {
        assertThrows(IllegalArgumentException.class, () -> RunFileNames.encode("a\uD800b"));
    }

    @Test
    void shouldRejectANonCanonicalStem()
    {
        assertThrows(IllegalArgumentException.class, () -> RunFileNames.decode("%61"));
        assertThrows(IllegalArgumentException.class, () -> RunFileNames.decode("a%2fb"));
        assertThrows(IllegalArgumentException.class, () -> RunFileNames.decode(".hidden"));
    }

    @Test
    void shouldRejectAStemWithUnsafeOrMalformedParts()
    {
        assertThrows(IllegalArgumentException.class, () -> RunFileNames.decode(""));
        assertThrows(IllegalArgumentException.class, () -> RunFileNames.decode("a/b"));
        assertThrows(IllegalArgumentException.class, () -> RunFileNames.decode("a%2"));
        assertThrows(IllegalArgumentException.class, () -> RunFileNames.decode("%C3"));
    }

    @Test
    void shouldMakeFoldersOfTheSegmentsOfARunIdPath()
    {
        assertEquals("team/exp-1/run-7", RunFileNames.encodePath("team/exp-1/run-7"));
        assertEquals("%2E%2E/x", RunFileNames.encodePath("../x"));
        assertEquals("a/%2E/b", RunFileNames.encodePath("a/./b"));
        assertEquals("%2Fa", RunFileNames.encodePath("/a"));
        assertEquals("a%2F", RunFileNames.encodePath("a/"));
        assertEquals("a%2F%2Fb", RunFileNames.encodePath("a//b"));
        assertEquals("a%5Cb/c", RunFileNames.encodePath("a\\b/c"));
    }

    @Test
    void shouldRoundTripRunIdPathsAndKeepThemUnderTheirDirectory()
    {
        final java.nio.file.Path root = java.nio.file.Path.of("/export/logs/telemetry");
        for (final String runId : List.of("r", "a/b", "../../etc/passwd", "a/../../b", "/abs", "a//b", "x/", ".hidden/y",
            "é/ü", "a%2Fb", "%2E%2E"))
        {
            final String path = RunFileNames.encodePath(runId);
            assertEquals(runId, RunFileNames.decodePath(path), path);
            final java.nio.file.Path file = root.resolve(path + ".jsonl").normalize();
            assertTrue(file.startsWith(root), () -> runId + " -> " + file);
        }
    }

    @Test
    void shouldGiveDifferentRunIdsDifferentPaths()
    {
        final java.util.Map<String, String> seen = new java.util.HashMap<>();
        for (final String runId : List.of("a/b", "a%2Fb", "a//b", "a/%2Fb", "a%2F%2Fb", "a", "a/", "/a", "%2Fa"))
        {
            final String previous = seen.put(RunFileNames.encodePath(runId), runId);
            assertEquals(null, previous, () -> runId + " and " + previous + " share a path");
        }
    }

    @Test
    void shouldRefuseAPathThatIsNotTheOneSpelling()
    {
        assertThrows(IllegalArgumentException.class, () -> RunFileNames.decodePath("a%2Fb"));  // "a/b" is folders
        assertThrows(IllegalArgumentException.class, () -> RunFileNames.decodePath("a//b"));
        assertThrows(IllegalArgumentException.class, () -> RunFileNames.decodePath("../x"));
    }
}
