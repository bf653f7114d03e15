package io.blackbox.exporter.cli;

import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code blackbox FAMILY TOOL}: a family's own tools ({@link TelemetryFamily#commands()}), under a command named after
 * the family; reached itself only without a tool, which is a usage error naming the tools.
 */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = { "0:success", "1:problems found, or an error", BlackboxCommand.EXIT_USAGE_HELP })
final class FamilyToolsCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    /**
     * Add {@code blackbox FAMILY} for each registered family that has tools of its own.
     *
     * @param blackbox the top command.
     */
    static void addFamilyTools(final CommandLine blackbox)
    {
        for (final TelemetryFamily family : TelemetryFamilies.all())
        {
            final List<Object> tools = family.commands();
            if (tools.isEmpty())
            {
                continue;
            }
            final CommandLine group = new CommandLine(new FamilyToolsCommand());
            group.getCommandSpec().usageMessage().description(family.title() + ": its own tools.");
            for (final Object tool : tools)
            {
                group.addSubcommand(tool);
            }
            blackbox.addSubcommand(family.name(), group);
        }
    }

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing tool; one of: " +
            String.join(", ", spec.subcommands().keySet()));
    }
}
