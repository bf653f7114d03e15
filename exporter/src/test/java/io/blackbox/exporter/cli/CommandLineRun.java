package io.blackbox.exporter.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What one run of the real command line, in this JVM, did. Shared with the {@code tests} module through this
 * module's test jar.
 */
public record CommandLineRun(int exit, String out, String err)
{
    /**
     * Run {@code blackbox args...} as the launcher would, capturing its output.
     */
    public static CommandLineRun blackbox(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            exit = BlackboxCommand.execute(outStream, errStream, args);
        }
        return new CommandLineRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public String all()
    {
        return out + err;
    }

    @Override
    public String toString()
    {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
