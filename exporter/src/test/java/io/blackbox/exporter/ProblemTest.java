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
    void shouldRejectANegativeLine()
    {
        assertThrows(IllegalArgumentException.class, () -> new Problem("f", -1, null, "m"));
    }
}
