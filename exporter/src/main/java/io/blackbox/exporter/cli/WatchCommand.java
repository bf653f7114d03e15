package io.blackbox.exporter.cli;

import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.family.FamilyWatch;
import io.blackbox.exporter.family.TelemetryFamily;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;

/**
 * {@code blackbox watch FAMILY (FILE | --recording DIR) [--state S] [--once]}: follow a telemetry file, or a recording a
 * recorder is writing, as it grows and print an alert line for each record past the family's thresholds. One
 * subcommand per registered family ({@link FamilyCommands}).
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    synopsisSubcommandLabel = "FAMILY",
    description = {
        "Follow a telemetry file, or a recording a recorder is writing, as it grows and alert, one line per alert: " +
            "blackbox watch FAMILY (FILE | --recording DIR) [--state S] [--once] [thresholds]",
        "A recording is watched as the lines its export would write, in memory: nothing is written but the state.",
        "Whole lines only; blank and malformed lines are skipped (malformed ones named on standard error). With " +
            "--state a restarted watcher goes on after the last record it processed: no alert twice, none missed." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:--once: no alert",
        "1:an error: the file cannot be read or shrank, not a recording, or the state file is not this one's",
        "2:--once: alerts were printed",
        BlackboxCommand.EXIT_USAGE_HELP })
public final class WatchCommand extends FamilyGroupCommand
{
    /** The exit code of a {@code --once} watch that alerted. */
    static final int EXIT_ALERTS = 2;

    static CommandLine forFamily(final TelemetryFamily family)
    {
        final FamilyWatch watch = family.newWatch();
        final CommandLine command = new CommandLine(new ForFamily(family, watch));
        if (null != watch)
        {
            command.addMixin("watch", watch);
        }
        return command;
    }

    /**
     * {@code blackbox watch FAMILY (FILE | --recording DIR)} for one family.
     */
    @Command(
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:--once: no alert",
            "1:an error: the file cannot be read or shrank, not a recording, or the state file is not this one's",
            "2:--once: alerts were printed",
            BlackboxCommand.EXIT_USAGE_HELP })
    static final class ForFamily implements Callable<Integer>
    {
        private final TelemetryFamily family;
        private final FamilyWatch watch;

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The file to follow.")
        private Path file;

        @Option(names = "--recording", paramLabel = "DIR",
            description = "Follow this recording instead of a file: its records as the lines export would write.")
        private Path recording;

        @Option(names = "--state", paramLabel = "S",
            description = "Keep what was processed in S (replaced atomically) and resume after it when started again.")
        private Path stateFile;

        @Option(names = "--once", description = "Read what the file holds now, then exit (0 no alert, 2 alerts).")
        private boolean once;

        @Option(names = "--poll-ms", paramLabel = "MS", defaultValue = "200",
            description = "How often to look for new lines (default: ${DEFAULT-VALUE}).")
        private long pollMs;

        ForFamily(final TelemetryFamily family, final FamilyWatch watch)
        {
            this.family = family;
            this.watch = watch;
        }

        @Override
        public Integer call() throws InterruptedException
        {
            if (null == watch)
            {
                throw FamilyCommands.notSupported(spec, family, "watch a file");
            }
            if (pollMs < 1)
            {
                throw new ParameterException(spec.commandLine(), "--poll-ms must be at least 1: " + pollMs);
            }
            try
            {
                watch.checkOptions();
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ParameterException(spec.commandLine(), ex.getMessage());
            }
            if ((null == file) == (null == recording))
            {
                throw new ParameterException(spec.commandLine(), "name a FILE or a --recording DIR to watch, not " +
                    (null == file ? "neither" : "both"));
            }
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final Consumer<String> alerts = line ->
            {
                out.println(line);
                out.flush();
            };
            final Consumer<String> problems = line ->
            {
                err.println(line);
                err.flush();
            };
            final FamilyWatch.Watcher watcher;
            if (null != file)
            {
                InputFiles.requireReadableFile(file);
                watcher = watch.open(file, stateFile, alerts, problems);
            }
            else
            {
                watcher = watch.openRecording(recording, stateFile, alerts, problems);
                if (null == watcher)
                {
                    throw FamilyCommands.notSupported(spec, family, "watch a recording");
                }
                try
                {
                    RecordingReader.requireRecording(recording);
                }
                catch (final RecordingException ex)
                {
                    throw new UserError(ex.getMessage());
                }
            }
            try
            {
                watcher.loadState();
                while (true)
                {
                    final boolean read = watcher.poll();
                    if (once && !read)
                    {
                        return watcher.alerts() == 0 ? BlackboxCommand.EXIT_OK : EXIT_ALERTS;
                    }
                    if (!read)
                    {
                        TimeUnit.MILLISECONDS.sleep(pollMs);
                    }
                }
            }
            catch (final IllegalArgumentException | UncheckedIOException | RecordingException ex)
            {
                throw new UserError(ex instanceof UncheckedIOException ? ex.getCause().getMessage() : ex.getMessage());
            }
        }
    }
}
