package io.blackbox.tests;

import io.blackbox.exporter.cli.BlackboxCommand;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The real command line run in-process ({@link BlackboxCommand#execute}), its exit code and what it printed to standard
 * output and standard error, for tests that check a command's output.
 *
 * @param exit the exit code.
 * @param out  what it printed to standard output.
 * @param err  what it printed to standard error.
 */
public record CommandRun(int exit, String out, String err)
{
    /**
     * @param args the command line, as typed after {@code blackbox}.
     * @return how it ran.
     */
    public static CommandRun of(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            exit = BlackboxCommand.execute(o, e, args);
        }
        return new CommandRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * @param prefix what the lines start with.
     * @return the lines of standard output that start with it, in order.
     */
    public List<String> outLines(final String prefix)
    {
        return out.lines().filter(line -> line.startsWith(prefix)).toList();
    }
}
