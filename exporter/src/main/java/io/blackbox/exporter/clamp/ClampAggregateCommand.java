package io.blackbox.exporter.clamp;

import io.blackbox.exporter.Problem;
import io.blackbox.exporter.cli.BlackboxCommand;
import io.blackbox.exporter.cli.ManifestVersionProvider;
import io.blackbox.exporter.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code blackbox clamp aggregate [DIR] [--snapshot FILE] [--out FILE]}: the original's {@code TemporalAggregator}
 * ({@link ClampAggregator}) over the session files of DIR.
 */
@Command(
    name = "aggregate",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description = {
        "Summarise every Clamp session file of DIR (default build/telemetry) into telemetry_summary.json, as the " +
            "original TemporalAggregator does: source_directory, session_count (records), mean_stability (6 " +
            "decimals), stability_variance (sample), drift_index (ms between the earliest and latest acquired_at), " +
            "build_info (the snapshot, as it is), each also under its camelCase name.",
        "A file or record that cannot be read is named (FILE:RECORD: field: problem) and skipped; the summary is " +
            "written all the same, whole (a temporary file, then a rename)." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:written, nothing skipped",
        "1:nothing written: DIR is not a directory, or the summary cannot be written",
        "2:written; a file, record or the snapshot was skipped (listed)",
        BlackboxCommand.EXIT_USAGE_HELP })
public final class ClampAggregateCommand implements Callable<Integer>
{
    /** The summary was written but something was skipped. */
    static final int EXIT_SKIPPED = 2;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = ClampWire.TELEMETRY_DIRECTORY,
        description = "The session files' directory (default: ${DEFAULT-VALUE}).")
    private Path directory;

    @Option(names = "--snapshot", paramLabel = "FILE",
        description = "The provenance snapshot copied into build_info (default: rocm_snapshot.json beside DIR).")
    private Path snapshot;

    @Option(names = "--out", paramLabel = "FILE",
        description = "Where the summary goes (default: telemetry_summary.json beside DIR).")
    private Path out;

    @Override
    public Integer call()
    {
        if (!Files.isDirectory(directory))
        {
            throw new UserError(directory + ": not a directory of session files");
        }
        final Path parent = directory.toAbsolutePath().normalize().getParent();
        final Path snapshotFile = null != snapshot ? snapshot : parent.resolve("rocm_snapshot.json");
        final Path outFile = null != out ? out : parent.resolve("telemetry_summary.json");
        final ClampAggregator.Result result;
        try
        {
            result = ClampAggregator.aggregate(directory, snapshotFile);
            ClampAggregator.write(result.summary(), outFile);
        }
        catch (final UncheckedIOException ex)
        {
            throw new UserError(ex.getMessage(), ex);
        }
        final PrintWriter stdout = spec.commandLine().getOut();
        for (final Problem problem : result.skipped())
        {
            stdout.println(problem);
        }
        stdout.printf(Locale.ROOT, "%s: %d records of %d files, mean_stability %s, %d skipped%n", outFile,
            result.summary().get("session_count").longValue(), result.files(),
            result.summary().get("mean_stability").decimalValue().toPlainString(), result.skipped().size());
        return result.skipped().isEmpty() ? BlackboxCommand.EXIT_OK : EXIT_SKIPPED;
    }
}
