package io.blackbox.exporter.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command, family subcommands included, found by walking the command tree: a wrong command line exits
 * {@link BlackboxCommand#EXIT_USAGE}, a code no command uses for anything else, and its {@code --help} lists its exit
 * codes with that one among them.
 */
class ExitCodesTest
{
    public static Stream<String> commands()
    {
        final CommandLine root = BlackboxCommand.commandLine(new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()));
        final List<String> paths = new ArrayList<>();
        walk(root, "", paths);
        return paths.stream();
    }

    private static void walk(final CommandLine command, final String path, final List<String> paths)
    {
        if (command.getCommandSpec().mixinStandardHelpOptions())
        {
            paths.add(path);
        }
        command.getSubcommands().forEach((name, sub) -> walk(sub, path.isEmpty() ? name : path + " " + name, paths));
    }

    @ParameterizedTest(name = "blackbox {0}")
    @MethodSource("commands")
    void shouldExitWithTheUsageCodeOnAWrongCommandLineAndListItInHelp(final String command)
    {
        final Run wrong = run(command, "--no-such-option");
        assertEquals(BlackboxCommand.EXIT_USAGE, wrong.exit, wrong.err);

        final Run help = run(command, "--help");
        assertEquals(BlackboxCommand.EXIT_OK, help.exit, help.err);
        assertTrue(help.out.contains("Exit codes:"), help.out);
        assertTrue(help.out.contains("  64   wrong command line"), help.out);
        for (final String line : help.out.substring(help.out.indexOf("Exit codes:")).lines().toList())
        {
            assertTrue(!line.startsWith("  " + BlackboxCommand.EXIT_USAGE + " ") ||
                line.contains("wrong command line"), "64 means one thing: " + line);
        }
    }

    private static Run run(final String command, final String option)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : Arrays.asList(command.split(" ")));
        args.add(option);
        final int exit = BlackboxCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int exit, String out, String err)
    {
    }
}
