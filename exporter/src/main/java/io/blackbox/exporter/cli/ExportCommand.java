package io.blackbox.exporter.cli;

import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RecordingExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code blackbox export --recording DIR --out ROOT}: every family in a recording, at its spec's place under ROOT.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description = {
        "Write a recording as its families' telemetry files.",
        "Every family in the recording goes to its spec's files under ROOT:",
        "  gradience  ROOT/gradience/<run_id>.jsonl, one file per run",
        "and a summary of what was written, dropped and damaged to ROOT/" + RecordingExport.SUMMARY_FILE + ".",
        "Files appear whole: each is written to a temporary file, then renamed." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:exported, nothing damaged",
        "1:nothing usable: not a recording, or an error",
        "2:exported what was valid; damaged parts were skipped and listed" })
public final class ExportCommand implements Callable<Integer>
{
    /** Exported what was valid, skipped damage. */
    public static final int EXIT_DAMAGED = 2;

    @Spec
    private CommandSpec spec;

    @Option(names = "--recording", required = true, paramLabel = "DIR", description = "The recording directory.")
    private Path recording;

    @Option(names = "--out", required = true, paramLabel = "ROOT", description = "The export root.")
    private Path out;

    public Integer call() throws Exception
    {
        final PrintWriter stdout = spec.commandLine().getOut();
        final RecordingExport.Result result;
        final long startNs = System.nanoTime();
        try
        {
            result = RecordingExport.export(recording, out);
        }
        catch (final RecordingException ex)
        {
            throw new UserError(ex.getMessage());
        }
        final double seconds = (System.nanoTime() - startNs) / 1e9;

        for (final Map.Entry<String, List<FamilyExport.ExportedFile>> family : result.files().entrySet())
        {
            for (final FamilyExport.ExportedFile file : family.getValue())
            {
                stdout.printf(Locale.ROOT, "%s %,d records%n", file.path(), file.records());
            }
        }
        stdout.printf(Locale.ROOT, "exported %,d records in %.2f s%n", result.records(), seconds);
        if (result.dropped() > 0)
        {
            stdout.printf(Locale.ROOT, "the recorder dropped %,d records (ring full under the DROP policy); they are not in the export%n",
                result.dropped());
        }
        for (final String damage : result.damage())
        {
            spec.commandLine().getErr().println("blackbox: damaged: " + damage);
        }
        return result.damage().isEmpty() ? BlackboxCommand.EXIT_OK : EXIT_DAMAGED;
    }
}
