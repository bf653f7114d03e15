package io.blackbox.exporter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
}
