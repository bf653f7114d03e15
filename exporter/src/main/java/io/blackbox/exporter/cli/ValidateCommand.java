package io.blackbox.exporter.cli;

import io.blackbox.exporter.FamilyValidator;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.ReadProgress;
import io.blackbox.exporter.family.FamilyValidation;
import io.blackbox.exporter.family.TelemetryFamily;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
     * The subcommand of one family, with the family's own validate options mixed in when it has some.
     *
     * @param family the family.
     * @return the subcommand.
     */
    static CommandLine forFamily(final TelemetryFamily family)
    {
        final FamilyValidation validation = family.newValidation();
        final CommandLine command = new CommandLine(new ForFamily(family, validation));
        if (null != validation)
        {
            command.addMixin("validation", validation);
            final Map<String, String> exitCodes = new LinkedHashMap<>();
            exitCodes.put("0", "every file is valid");
            exitCodes.put("1", "a problem was found, a file cannot be read, or a limit set by an option was passed");
            exitCodes.put(Integer.toString(BlackboxCommand.EXIT_USAGE), BlackboxCommand.EXIT_USAGE_HELP
                .substring(BlackboxCommand.EXIT_USAGE_HELP.indexOf(':') + 1));
            command.getCommandSpec().usageMessage().exitCodeList(exitCodes);
        }
        return command;
    }

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
        private final FamilyValidation validation;

        @Spec
        private CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to check.")
        private List<Path> files;

        ForFamily(final TelemetryFamily family, final FamilyValidation validation)
        {
            this.family = family;
            this.validation = validation;
        }

        @Override
        public Integer call()
        {
            // Check every name first: a mistyped one should not cost the time of validating the others.
            for (final Path file : files)
            {
                InputFiles.requireReadableFile(file);
            }

            if (null != validation)
            {
                try
                {
                    validation.checkOptions();
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
                }
            }

            final PrintWriter out = spec.commandLine().getOut();
            final FamilyValidator validator = family.validator();
            long problemCount = 0;
            boolean reportsPassed = true;
            long total = 0;
            for (final Path file : files)
            {
                total += InputFiles.size(file);
            }
            long before = 0;
            for (final Path file : files)
            {
                final List<Problem> problems;
                final long offset = before;
                // A bar a file, counting from the files before it: it is cleared before the file's problems print.
                try (ProgressBar bar = ProgressBar.forBytes("validate", total, spec.commandLine().getErr()))
                {
                    problems = ReadProgress.during(read -> bar.update(offset + read), () -> validator.validate(file));
                }
                before += InputFiles.size(file);
                ProblemOutput.print(out, problems);
                problemCount += problems.size();
                if (problems.isEmpty() && null != validation)
                {
                    reportsPassed &= validation.report(file, out);
                }
            }
            spec.commandLine().getErr().println(ProblemOutput.summary(files.size(), problemCount));

            return 0 == problemCount && reportsPassed ? BlackboxCommand.EXIT_OK : BlackboxCommand.EXIT_FAILURE;
        }
    }
}
