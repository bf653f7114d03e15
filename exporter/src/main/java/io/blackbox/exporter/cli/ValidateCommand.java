package io.blackbox.exporter.cli;

import io.blackbox.exporter.FamilyValidator;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.family.TelemetryFamily;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code blackbox validate FAMILY FILE...}: check telemetry files against their family's specification. One
 * subcommand per registered family ({@link FamilyCommands}).
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    synopsisSubcommandLabel = "FAMILY",
    description = {
        "Check telemetry files against their family's specification: blackbox validate FAMILY FILE...",
        "Prints every problem to standard output as FILE:LINE: field: problem, then a summary to standard error." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every file is valid",
        "1:a problem was found, or a file cannot be read",
        BlackboxCommand.EXIT_USAGE_HELP })
public final class ValidateCommand extends FamilyGroupCommand
{
    /**
     * {@code blackbox validate FAMILY FILE...} for one family.
     */
    @Command(
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every file is valid",
            "1:a problem was found, or a file cannot be read",
            BlackboxCommand.EXIT_USAGE_HELP })
    static final class ForFamily implements Callable<Integer>
    {
        private final TelemetryFamily family;

        @Spec
        private CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to check.")
        private List<Path> files;

        ForFamily(final TelemetryFamily family)
        {
            this.family = family;
        }

        @Override
        public Integer call()
        {
            // Check every name first: a mistyped one should not cost the time of validating the others.
            for (final Path file : files)
            {
                InputFiles.requireReadableFile(file);
            }

            final PrintWriter out = spec.commandLine().getOut();
            final FamilyValidator validator = family.validator();
            long problemCount = 0;
            for (final Path file : files)
            {
                final List<Problem> problems = validator.validate(file);
                ProblemOutput.print(out, problems);
                problemCount += problems.size();
            }
            spec.commandLine().getErr().println(ProblemOutput.summary(files.size(), problemCount));

            return 0 == problemCount ? BlackboxCommand.EXIT_OK : BlackboxCommand.EXIT_FAILURE;
        }
    }
}
