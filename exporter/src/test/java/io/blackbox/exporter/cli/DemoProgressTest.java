package io.blackbox.exporter.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's progress lines without a terminal: counts that never go back, and the total said once, at the end.
 */
class DemoProgressTest
{
    private static final Pattern PROGRESS = Pattern.compile("^progress steps=(\\d+) total=(\\d+) elapsed=");

    @TempDir
    Path dir;

    @Test
    void shouldPrintEachProgressLineOnceAndEndAtTheTotal()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        // Many runs that end close together: each ending woke the progress loop, and the last line came 2-3 times.
        final int exit = BlackboxCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "demo", "--steps", "20000", "--threads", "8", "--out", dir.resolve("demo").toString());
        final String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, printed + err.toString(StandardCharsets.UTF_8));

        final List<Matcher> lines = printed.lines().map(PROGRESS::matcher).filter(Matcher::find).toList();
        assertFalse(lines.isEmpty(), printed);
        long last = -1;
        for (final Matcher line : lines)
        {
            final long steps = Long.parseLong(line.group(1));
            assertTrue(steps >= last, "steps went back after steps=" + last + ":\n" + printed);
            last = steps;
        }
        final Matcher end = lines.get(lines.size() - 1);
        assertEquals(end.group(2), end.group(1), "the last line is the total");
        // A line every half second may repeat the count while the runs stall (it still says time passed); the
        // total, said once the runs are done, is said once.
        assertEquals(1, lines.stream().filter(line -> line.group(1).equals(end.group(2))).count(), printed);
    }
}
