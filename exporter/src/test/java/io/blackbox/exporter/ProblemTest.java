package io.blackbox.exporter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProblemTest
{
    @Test
    void shouldPrintFileLineFieldAndMessage()
    {
        assertEquals("run.jsonl:3: metrics.n: must be an integer, found 2.5",
            new Problem("run.jsonl", 3, "metrics.n", "must be an integer, found 2.5").toString());
    }

    @Test
    void shouldLeaveOutAnEmptyOrNullField()
    {
        assertEquals("run.jsonl:7: not a JSON object",
            new Problem("run.jsonl", 7, null, "not a JSON object").toString());
        assertEquals("run.jsonl:7: not a JSON object", new Problem("run.jsonl", 7, "", "not a JSON object").toString());
    }

    @Test
    void shouldLeaveOutTheLineOfAFileLevelProblem()
    {
        assertEquals("run.jsonl: file is empty", Problem.ofFile("run.jsonl", "file is empty").toString());
    }

    @Test
    void shouldEscapeControlCharactersSoAProblemIsOneLine()
    {
        assertEquals("run\\u000A.jsonl:2: metrics.\\u001B[2J: must not hold \\u007F or \\u0085",
            new Problem("run\n.jsonl", 2, "metrics.\u001b[2J", "must not hold \u007f or \u0085").toString());
    }

    @Test
    void shouldRejectANegativeLine()
    {
        assertThrows(IllegalArgumentException.class, () -> new Problem("f", -1, null, "m"));
    }
}
