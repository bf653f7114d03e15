package io.blackbox.exporter.clamp;

import io.blackbox.exporter.Problem;
import io.blackbox.exporter.cli.BlackboxCommand;
import io.blackbox.exporter.cli.ManifestVersionProvider;
import io.blackbox.exporter.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code blackbox clamp align --reference TIME FILE... [--out DIR]}: the original's {@code alignToReference}, every
 * time of a session file shifted by {@code reference - earliest acquired_at} (of that file), written to a new file:
 * {@code NAME.aligned.json} beside it, or {@code DIR/NAME} with {@code --out}; never in place.
 */
@Command(
    name = "align",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description = {
        "Shift every acquired_at and released_at of each Clamp session file by (reference - its earliest " +
            "acquired_at), as the original alignToReference does, so runs compare on one time line.",
        "Each result is a new file, NAME.aligned.json beside the input or DIR/NAME with --out; an input is never " +
            "changed. A file with problems (the validator's) is named and not aligned." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every file aligned",
        "1:a file had problems, or a result could not be written",
        BlackboxCommand.EXIT_USAGE_HELP })
public final class ClampAlignCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--reference", required = true, paramLabel = "TIME",
        description = "The time the earliest acquisition moves to, ISO-8601 with an offset (2025-01-01T00:00:00Z).")
    private String reference;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the aligned files here, under their own names.")
    private Path out;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Session files.")
    private List<Path> files = new ArrayList<>();

    @Override
    public Integer call()
    {
        final long referenceNanos;
        try
        {
            referenceNanos = ClampWire.nanos(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(reference, Instant::from));
        }
        catch (final DateTimeParseException | ArithmeticException ex)
        {
            throw new ParameterException(spec.commandLine(), "--reference must be an ISO-8601 time with an offset, " +
                "e.g. 2025-01-01T00:00:00Z: " + reference);
        }
        final PrintWriter stdout = spec.commandLine().getOut();
        boolean failed = false;
        for (final Path file : files)
        {
            final ClampSessionFile.Contents contents = ClampSessionFile.read(file);
            final List<Problem> problems = ClampSessionFile.problemsButMissingScore(contents);
            if (!problems.isEmpty() || contents.records().isEmpty())
            {
                problems.forEach(stdout::println);
                stdout.println(file + ": not aligned");
                failed = true;
                continue;
            }
            final long earliest = contents.records().stream().mapToLong(ClampRecordValue::acquiredAt).min()
                .orElseThrow();
            final long delta = referenceNanos - earliest;
            final Path target = null != out ? out.resolve(file.getFileName()) : file.resolveSibling(
                file.getFileName().toString().replaceFirst("\\.json$", "") + ".aligned.json");
            try
            {
                if (Files.exists(target) && Files.isSameFile(target, file))
                {
                    throw new UserError(target + ": is " + file + "; align never writes in place (name another --out)");
                }
                ClampSessionFile.write(target, contents.records().stream().map(r -> r.shifted(delta)).toList());
            }
            catch (final java.io.IOException | UncheckedIOException | ArithmeticException ex)
            {
                throw new UserError(target + ": cannot be written: " + ex.getMessage(), ex);
            }
            stdout.println(target + ": " + contents.records().size() + " records, shifted by " +
                String.format(java.util.Locale.ROOT, "%.3f", delta / 1e6) + " ms");
        }
        return failed ? BlackboxCommand.EXIT_FAILURE : BlackboxCommand.EXIT_OK;
    }
}
