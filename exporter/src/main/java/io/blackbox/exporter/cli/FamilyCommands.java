package io.blackbox.exporter.cli;

import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The per-family subcommands of the family commands ({@code validate}, {@code monitor}, {@code import}), made from
 * the registry ({@link TelemetryFamilies}): {@code blackbox validate gradience FILE} runs the {@code gradience}
 * subcommand of {@code validate}. A family's own options (a monitor's threshold) are mixed into its subcommand.
 * <p>
 * A family command given no family, or a name no family has, says which families there are: it takes the words
 * picocli did not match as a hidden positional parameter and refuses them in {@link #unknownFamily}.
 */
final class FamilyCommands
{
    private FamilyCommands()
    {
    }

    /**
     * Add one subcommand per registered family to a family command.
     *
     * @param command    the family command, e.g. {@code validate}.
     * @param subcommand makes the subcommand of a family; the family's title becomes its description unless it has
     *                   one.
     */
    static void addFamilies(final CommandLine command, final Function<TelemetryFamily, CommandLine> subcommand)
    {
        for (final TelemetryFamily family : TelemetryFamilies.all())
        {
            final CommandLine familyCommand = subcommand.apply(family);
            if (familyCommand.getCommandSpec().usageMessage().description().length == 0)
            {
                familyCommand.getCommandSpec().usageMessage().description(
                    String.join(", ", family.specVersions()) + ": " + family.title());
            }
            command.addSubcommand(family.name(), familyCommand);
        }
    }

    /**
     * The error of a family command run without a family subcommand.
     *
     * @param spec  the family command.
     * @param words what the user typed where the family goes; empty or null when nothing.
     * @return a usage error naming the families.
     */
    static ParameterException unknownFamily(final CommandSpec spec, final List<String> words)
    {
        if (null == words || words.isEmpty())
        {
            return new ParameterException(spec.commandLine(), "missing family; one of: " + TelemetryFamilies.names());
        }

        return new ParameterException(spec.commandLine(),
            "unknown family '" + words.get(0) + "'; known families: " + TelemetryFamilies.names());
    }

    /**
     * The error of a family subcommand for a family that does not do what the command asks yet.
     *
     * @param spec   the subcommand.
     * @param family the family.
     * @param what   what it cannot do, e.g. {@code import files}.
     * @return a usage error.
     */
    static ParameterException notSupported(final CommandSpec spec, final TelemetryFamily family, final String what)
    {
        return new ParameterException(spec.commandLine(), "family " + family.name() + " cannot " + what + " yet");
    }

    /**
     * Put a line per registered family into a command's description, where the line {@code marker} stands.
     *
     * @param command the command.
     * @param marker  the line of its description to replace.
     * @param line    a family's line, or null for a family that has none.
     */
    static void describeFamilies(
        final CommandLine command, final String marker, final Function<TelemetryFamily, String> line)
    {
        final List<String> description = new ArrayList<>();
        for (final String text : command.getCommandSpec().usageMessage().description())
        {
            if (!marker.equals(text))
            {
                description.add(text);
                continue;
            }
            for (final TelemetryFamily family : TelemetryFamilies.all())
            {
                final String familyLine = line.apply(family);
                if (null != familyLine)
                {
                    description.add(familyLine);
                }
            }
        }
        command.getCommandSpec().usageMessage().description(description.toArray(new String[0]));
    }

    /**
     * The families, one line each, for the main command's help.
     *
     * @return the lines.
     */
    static String[] familyLines()
    {
        final List<TelemetryFamily> families = TelemetryFamilies.all();
        final String[] lines = new String[2 * families.size()];
        for (int i = 0; i < families.size(); i++)
        {
            final TelemetryFamily family = families.get(i);
            final String name = nameColumn(family);
            lines[2 * i] = name + String.join(", ", family.specVersions());
            lines[2 * i + 1] = " ".repeat(name.length()) + family.title();
        }

        return lines;
    }

    /**
     * @param family a registered family.
     * @return its name indented and padded to the longest registered name, so what follows lines up in help.
     */
    static String nameColumn(final TelemetryFamily family)
    {
        final int width = TelemetryFamilies.all().stream().mapToInt(f -> f.name().length()).max().orElse(0);
        return "  " + family.name() + " ".repeat(width - family.name().length() + 2);
    }
}
