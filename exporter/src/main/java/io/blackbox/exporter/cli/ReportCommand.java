package io.blackbox.exporter.cli;

import io.blackbox.exporter.report.HtmlReport;
import io.blackbox.exporter.report.ReportData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code blackbox report (--recording DIR | FILE...) --out report.html}: one self-contained HTML file of plots.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description = {
        "Plot a recording or exported files into one HTML file that opens offline: blackbox report " +
            "(--recording DIR | FILE...) --out OUT",
        "Gradience: loss and learning rate per step, eval perplexity and accuracy per split, the generalization gap " +
            "against its threshold with the alerts marked; every run a series, selectable. Long runs are downsampled " +
            "to the min and max of about 800 columns a series, so peaks survive and the file stays small.",
        "Damage in a recording is skipped as by export, listed on standard error, and exits 1 after the report " +
            "is written." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:report written",
        "1:not a recording, a file that is not a family's or does not read, damage skipped, or nothing to report",
        BlackboxCommand.EXIT_USAGE_HELP })
public final class ReportCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--recording", paramLabel = "DIR", description = "The recording to plot.")
    private Path recording;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Exported files to plot (instead of --recording).")
    private List<Path> files;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write.")
    private Path out;

    @Option(names = "--title", paramLabel = "TEXT", description = "The report's title (default: Blackbox report).")
    private String title = "Blackbox report";

    @Override
    public Integer call()
    {
        final boolean hasFiles = null != files && !files.isEmpty();
        if ((null == recording) == !hasFiles)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "give either --recording DIR or exported FILEs, not both and not neither");
        }
        final PrintWriter err = spec.commandLine().getErr();
        final ReportData.Result data;
        final String source;
        if (null != recording)
        {
            try (ProgressBar bar = ProgressBar.forRecords("report", err))
            {
                data = ReportData.fromRecording(recording, bar::update);
            }
            source = "recording " + recording.toAbsolutePath().normalize();
        }
        else
        {
            long total = 0;
            for (final Path file : files)
            {
                InputFiles.requireReadableFile(file);
                total += InputFiles.size(file);
            }
            try (ProgressBar bar = ProgressBar.forBytes("report", total, err))
            {
                data = ReportData.fromFiles(files, bar::update);
            }
            source = files.size() == 1 ? "file " + files.get(0).toAbsolutePath().normalize() :
                files.size() + " files, first " + files.get(0).toAbsolutePath().normalize();
        }
        if (data.sections().isEmpty())
        {
            throw new UserError("nothing to report: no records of a family with a report (" + data.records() +
                " records read)");
        }
        final long bytes = HtmlReport.write(out, title, source, data.sections());
        spec.commandLine().getOut().println("report: " + out + " (" + Sizes.human(bytes) + ", " + data.records() +
            " records)");
        if (data.damage() > 0)
        {
            for (final String line : data.damageLines())
            {
                err.println(ErrorReporter.PREFIX + "damage: " + line);
            }
            err.println(ErrorReporter.PREFIX + data.damage() + " damaged parts skipped; the report shows the rest");
            return BlackboxCommand.EXIT_FAILURE;
        }
        return BlackboxCommand.EXIT_OK;
    }
}
