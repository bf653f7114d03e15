package io.blackbox.exporter.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarTest
{
    @Test
    void shouldDrawInPlaceAndClearItsLine()
    {
        final StringWriter text = new StringWriter();
        try (ProgressBar bar = ProgressBar.alwaysDrawn("validate", 4L << 20, new PrintWriter(text)))
        {
            bar.update(1L << 20);
            bar.update(2L << 20); // within 100 ms of the first: not drawn
        }
        final String drawn = text.toString();
        assertTrue(drawn.startsWith("\rvalidate [#######.......................]  25%  1.0 MiB / 4.0 MiB"), drawn);
        assertEquals(2, drawn.chars().filter(c -> c == '\r').count() - 1, drawn); // drawn once, cleared once, ended at 0
        assertTrue(drawn.endsWith("\r"), "the line is cleared: " + drawn);
    }

    @Test
    void shouldCountRecordsWithoutATotal()
    {
        final StringWriter text = new StringWriter();
        try (ProgressBar bar = ProgressBar.alwaysDrawn("export", 0, new PrintWriter(text)))
        {
            bar.update(1_048_576);
        }
        assertTrue(text.toString().startsWith("\rexport: 1,048,576 records  "), text.toString());
    }

    @Test
    void shouldDrawNothingWhenNotOnATerminal()
    {
        org.junit.jupiter.api.Assumptions.assumeFalse(ProgressBar.onTerminal(), "surefire's forks have no console");
        final StringWriter text = new StringWriter();
        try (ProgressBar bar = ProgressBar.forRecords("export", new PrintWriter(text)))
        {
            bar.update(1_048_576);
        }
        assertEquals("", text.toString());
    }
}
