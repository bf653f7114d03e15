package io.blackbox.exporter.cli;

import io.blackbox.exporter.Problem;
import io.blackbox.exporter.gradience.GradienceValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code blackbox validate FAMILY FILE...}: check telemetry files against their family's specification.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description = {
        "Check telemetry files against their family's specification.",
        "Prints every problem to standard output as FILE:LINE: field: problem, then a summary to standard error." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every file is valid",
        "1:a problem was found, or a file cannot be read",
        "2:wrong command line" })
public final class ValidateCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private FamilyParameter family;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "Files to check.")
    private List<Path> files;

    /**
     * {@inheritDoc}
     */
    @Override
    public Integer call()
    {
        // Check every name first: a mistyped one should not cost the time of validating the others.
        for (final Path file : files)
        {
            InputFiles.requireReadableFile(file);
        }

        final PrintWriter out = spec.commandLine().getOut();
        long problemCount = 0;
        for (final Path file : files)
        {
            final List<Problem> problems = validate(family.family(), file);
            ProblemOutput.print(out, problems);
            problemCount += problems.size();
        }
        spec.commandLine().getErr().println(ProblemOutput.summary(files.size(), problemCount));

        return 0 == problemCount ? BlackboxCommand.EXIT_OK : BlackboxCommand.EXIT_FAILURE;
    }

    /**
     * Validate one file of a family.
     *
     * @param family the family.
     * @param file   the file.
     * @return its problems in file order, empty when it is valid.
     */
    public static List<Problem> validate(final Family family, final Path file)
    {
        return switch (family)
        {
            case GRADIENCE -> new GradienceValidator().validate(file);
        };
    }
}
