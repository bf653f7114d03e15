package io.blackbox.exporter.cli;

import io.blackbox.recorder.ChronicleSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * The {@code blackbox} command line.
 * <p>
 * Each subcommand is a picocli {@code Callable<Integer>} in this package that:
 * <ul>
 *     <li>has {@code mixinStandardHelpOptions = true} (so {@code --help}) and the {@link ManifestVersionProvider};</li>
 *     <li>when it works per family, has one subcommand per registered family, made from the registry by
 *         {@link FamilyCommands} (so {@code blackbox validate gradience FILE}), and never names a family;</li>
 *     <li>checks the files it is given with {@link InputFiles#requireReadableFile};</li>
 *     <li>writes results to {@code spec.commandLine().getOut()} and messages to {@code getErr()}, never to
 *         {@code System.out} directly, so tests can capture them;</li>
 *     <li>throws {@link UserError} for what the user can fix and picocli's {@code ParameterException} for a wrong
 *         command line; {@link ErrorReporter} turns both into one line;</li>
 *     <li>returns {@link #EXIT_OK}, or {@link #EXIT_FAILURE} when it found problems;</li>
 *     <li>is listed in {@code subcommands} below.</li>
 * </ul>
 */
@Command(
    name = "blackbox",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description = "A flight recorder for machine-learning training telemetry: record, export, check and watch.",
    subcommands = {
        DemoCommand.class, ExportCommand.class, ValidateCommand.class, MonitorCommand.class, SummaryCommand.class, PrintCommand.class, ReportCommand.class, WatchCommand.class, ImportCommand.class,
        RecoverCommand.class, ServeCommand.class, ShipCommand.class, HelpCommand.class },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:problems found, or an error such as a missing file",
        BlackboxCommand.EXIT_USAGE_HELP })
public final class BlackboxCommand implements Callable<Integer>
{
    /**
     * The command succeeded and found nothing wrong.
     */
    public static final int EXIT_OK = 0;

    /**
     * The command found problems in its input, or could not do its work (a missing file, an unexpected error).
     */
    public static final int EXIT_FAILURE = 1;

    /**
     * The command line was wrong: an unknown option or family, a missing parameter, a bad value. 64 as in sysexits'
     * {@code EX_USAGE}: a code no command gives any other meaning ({@code export} exits 2 when it skipped damage).
     */
    public static final int EXIT_USAGE = 64;

    /**
     * The line every command's {@code --help} gives {@link #EXIT_USAGE} (an annotation takes only a constant).
     */
    public static final String EXIT_USAGE_HELP = "64:wrong command line: an unknown option or family, a missing or bad value";

    @Spec
    private CommandSpec spec;

    /**
     * Run the command line and exit with its code.
     *
     * @param args the arguments.
     */
    public static void main(final String[] args)
    {
        // Before any Chronicle class can load: a telemetry tool sends nothing anywhere the user did not ask for.
        ChronicleSettings.apply();

        System.exit(execute(System.out, System.err, args));
    }

    /**
     * Run the command line with the given streams, as {@link #main} does, and return the exit code.
     *
     * @param out  standard output: results, problems, help.
     * @param err  standard error: error messages and summaries.
     * @param args the arguments.
     * @return the exit code, {@link #EXIT_OK}, {@link #EXIT_FAILURE} or {@link #EXIT_USAGE}.
     */
    public static int execute(final PrintStream out, final PrintStream err, final String... args)
    {
        final PrintStream stdout = out; // the anonymous writer's own field is called out
        final PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true)
        {
            @Override
            public boolean checkError()
            {
                // A PrintStream keeps its write errors (a closed pipe) to itself: ask it too.
                return super.checkError() || stdout.checkError();
            }
        };
        final PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        try
        {
            return commandLine(outWriter, errWriter).execute(args);
        }
        finally
        {
            outWriter.flush();
            errWriter.flush();
        }
    }

    /**
     * A command line with the project's error handling, for callers that want picocli's object.
     *
     * @param out standard output.
     * @param err standard error.
     * @return the configured command line.
     */
    public static CommandLine commandLine(final PrintWriter out, final PrintWriter err)
    {
        final ErrorReporter errorReporter = new ErrorReporter();
        final CommandLine commandLine = new CommandLine(new BlackboxCommand());
        // Before the handlers are set: picocli gives them to the subcommands present at that moment.
        FamilyCommands.addFamilies(commandLine.getSubcommands().get("validate"),
            ValidateCommand::forFamily);
        FamilyCommands.addFamilies(commandLine.getSubcommands().get("monitor"), MonitorCommand::forFamily);
        FamilyCommands.addFamilies(commandLine.getSubcommands().get("summary"), SummaryCommand::forFamily);
        FamilyCommands.addFamilies(commandLine.getSubcommands().get("watch"), WatchCommand::forFamily);
        FamilyCommands.addFamilies(commandLine.getSubcommands().get("import"),
            family -> new CommandLine(new ImportCommand.ForFamily(family)));
        FamilyToolsCommand.addFamilyTools(commandLine);
        ExportCommand.describeFamilies(commandLine.getSubcommands().get("export"));
        DemoCommand.describeWorkloads(commandLine.getSubcommands().get("demo"));
        final String[] families = FamilyCommands.familyLines();
        final String[] footer = new String[families.length + 1];
        footer[0] = "%nFamilies (the FAMILY of validate, monitor, summary, watch and import; export and demo take every one):";
        System.arraycopy(families, 0, footer, 1, families.length);
        commandLine.getCommandSpec().usageMessage().footer(footer);
        HelpText.wrapDescriptions(commandLine);

        return commandLine
            .setOut(out)
            .setErr(err)
            .setExecutionExceptionHandler(errorReporter)
            .setParameterExceptionHandler(errorReporter);
    }

    /**
     * {@code blackbox} without a command is a usage error.
     *
     * @return never returns normally.
     */
    @Override
    public Integer call()
    {
        throw new ParameterException(
            spec.commandLine(), "missing command; one of: " + String.join(", ", spec.subcommands().keySet()));
    }
}
