package io.blackbox.exporter.cli;

import org.junit.jupiter.api.Test;
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
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Help reads as written: lines within the usage width, broken at spaces, never inside a word or a path.
 */
class HelpTextTest
{
    @Test
    void shouldBreakAtSpacesKeepingIndentAndAlignment()
    {
        assertEquals(List.of("one two", "three"), HelpText.wrap("one two three", 8));
        assertEquals(List.of("  name  a b c", "    d"), HelpText.wrap("  name  a b c d", 13));
        assertEquals(List.of("a", "ROOT/blackbox-export.json."), HelpText.wrap("a ROOT/blackbox-export.json.", 10),
            "a word longer than a line stands alone, whole");
    }

    @ParameterizedTest(name = "blackbox {0} --help")
    @MethodSource("io.blackbox.exporter.cli.ExitCodesTest#commands")
    void shouldKeepEveryWordOfTheDescriptionWholeAndEveryLineWithinTheWidth(final String command)
    {
        final CommandLine root = BlackboxCommand.commandLine(new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()));
        CommandLine target = root;
        for (final String name : command.isEmpty() ? new String[0] : command.split(" "))
        {
            target = target.getSubcommands().get(name);
        }
        final int width = target.getCommandSpec().usageMessage().width();

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : Arrays.asList(command.split(" ")));
        args.add("--help");
        assertEquals(0, BlackboxCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), args.toArray(String[]::new)));
        final String help = out.toString(StandardCharsets.UTF_8);

        for (final String line : help.lines().toList())
        {
            assertTrue(line.length() <= width, "longer than " + width + ": " + line);
        }
        final Set<String> printed = Arrays.stream(help.split("\\s+")).collect(Collectors.toSet());
        for (final String line : target.getCommandSpec().usageMessage().description())
        {
            for (final String word : line.trim().split("\\s+"))
            {
                assertTrue(printed.contains(word), "'" + word + "' printed whole:\n" + help);
            }
        }
    }
}
