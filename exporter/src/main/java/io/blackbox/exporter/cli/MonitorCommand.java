package io.blackbox.exporter.cli;

import io.blackbox.exporter.family.FamilyMonitor;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.recorder.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import static io.blackbox.exporter.QuotedText.quote;

/**
 * {@code blackbox monitor FAMILY FILE [options]}: validate a telemetry file and report what its family's monitor sees
 * in it, one line per run. One subcommand per registered family that has a monitor; the monitor's own options are
 * mixed into it.
 */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    synopsisSubcommandLabel = "FAMILY",
    description = {
        "Validate a telemetry file and report what the family's monitor sees, one line per run: " +
            "blackbox monitor FAMILY FILE [options]",
        "If the file has problems they are printed as by validate, and nothing else." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:the file is valid (an alert is reported in the output, not the exit code)",
        "1:the file has problems or cannot be read",
        BlackboxCommand.EXIT_USAGE_HELP })
public final class MonitorCommand extends FamilyGroupCommand
{
    /**
     * The subcommand of one family, with its monitor's options mixed in.
     *
     * @param family the family.
     * @return the subcommand.
     */
    static CommandLine forFamily(final TelemetryFamily family)
    {
        final FamilyMonitor monitor = family.newMonitor();
        final CommandLine command = new CommandLine(new ForFamily(family, monitor));
        if (null != monitor)
        {
            command.addMixin("monitor", monitor);
            command.getCommandSpec().usageMessage().description(
                String.join(", ", family.specVersions()) + ": " + monitor.description());
        }

        return command;
    }

    /**
     * {@code blackbox monitor FAMILY FILE} for one family.
     */
    @Command(
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the file is valid (an alert is reported in the output, not the exit code)",
            "1:the file has problems or cannot be read",
            BlackboxCommand.EXIT_USAGE_HELP })
    static final class ForFamily implements Callable<Integer>
    {
        private final TelemetryFamily family;
        private final FamilyMonitor monitor;

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "Telemetry file to monitor.")
        private Path file;

        @Option(
            names = "--record",
            paramLabel = "DIR",
            description = "Also write each alert as the family's alert event into the recording DIR (created if absent).")
        private Path record;

        ForFamily(final TelemetryFamily family, final FamilyMonitor monitor)
        {
            this.family = family;
            this.monitor = monitor;
        }

        @Override
        public Integer call()
        {
            if (null == monitor)
            {
                throw FamilyCommands.notSupported(spec, family, "monitor a file");
            }
            try
            {
                monitor.checkOptions();
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ParameterException(spec.commandLine(), ex.getMessage());
            }
            InputFiles.requireReadableFile(file);
            if (null != record)
            {
                ImportCommand.requireRecordingDirectory(record, "--record");
            }

            final FamilyMonitor.Result result = monitor.monitor(file);
            final PrintWriter out = spec.commandLine().getOut();
            if (!result.problems().isEmpty())
            {
                ProblemOutput.print(out, result.problems());
                spec.commandLine().getErr().println(ProblemOutput.summary(1, result.problems().size()));
                return BlackboxCommand.EXIT_FAILURE;
            }

            for (final FamilyMonitor.Finding finding : result.findings())
            {
                out.println(finding.line());
            }
            out.flush();
            if (null != record)
            {
                recordAlerts(result.findings(), out);
            }

            return BlackboxCommand.EXIT_OK;
        }

        private void recordAlerts(final List<FamilyMonitor.Finding> findings, final PrintWriter out)
        {
            int recorded = 0;
            try (Recorder recorder = ImportCommand.openRecording(record, "--record"))
            {
                for (final FamilyMonitor.Finding finding : findings)
                {
                    if (finding.alert())
                    {
                        if (!finding.recordAlert(recorder))
                        {
                            throw new UserError("could not record the alert of run " + quote(finding.runId()) +
                                " into " + record);
                        }
                        recorded++;
                    }
                }
            }
            catch (final IllegalStateException | java.io.UncheckedIOException ex)
            {
                throw new UserError(ex.getMessage());
            }
            out.println("recorded " + recorded + " alert" + (recorded == 1 ? "" : "s") + " into " + record);
        }
    }
}
