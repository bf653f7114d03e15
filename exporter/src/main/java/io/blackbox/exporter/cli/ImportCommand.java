package io.blackbox.exporter.cli;

import io.blackbox.exporter.Problem;
import io.blackbox.exporter.gradience.GradienceImporter;
import io.blackbox.recorder.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code blackbox import FAMILY FILE --recording DIR}: read an existing telemetry file into a recording.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description = {
        "Read an existing telemetry file into a recording, so that export gives back the same records.",
        "The file is checked first; a file with any problem imports nothing (problems print as FILE:LINE: field: problem)." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:imported",
        "1:the file has problems (nothing imported), or an error",
        "2:wrong command line" })
public final class ImportCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private FamilyParameter family;

    @Parameters(index = "1", paramLabel = "FILE", description = "The file to import.")
    private Path file;

    @Option(names = "--recording", required = true, paramLabel = "DIR", description = "The recording to import into (created if absent).")
    private Path recording;

    public Integer call()
    {
        InputFiles.requireReadableFile(file);
        return switch (family.family())
        {
            case GRADIENCE -> importGradience();
        };
    }

    private int importGradience()
    {
        final List<Problem> problems = GradienceImporter.check(file);
        if (!problems.isEmpty())
        {
            ProblemOutput.print(spec.commandLine().getOut(), problems);
            spec.commandLine().getErr().println("blackbox: " + file + ": " + problems.size() +
                (problems.size() == 1 ? " problem" : " problems") + ", nothing imported");
            return BlackboxCommand.EXIT_FAILURE;
        }
        final long records;
        final int runs;
        try (Recorder recorder = Recorder.open(recording))
        {
            final GradienceImporter importer = new GradienceImporter(recorder);
            records = importer.importFile(file);
            runs = importer.runs();
        }
        catch (final IllegalStateException ex)
        {
            throw new UserError(ex.getMessage());
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "imported %,d records of %d runs from %s into %s%n",
            records, runs, file, recording);
        return BlackboxCommand.EXIT_OK;
    }
}
