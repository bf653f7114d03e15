package io.blackbox.exporter.cli;

import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.exporter.RecordPrinter;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.RingBacklog;
import io.blackbox.exporter.family.TelemetryFamilies;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code blackbox print --recording DIR [--family F] [--run R] [--event E] [--json]}: the records, in order, as they
 * are read ({@link RecordPrinter}).
 */
@Command(
    name = "print",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description = {
        "Print a recording's records in order, one line each, like jfr print: blackbox print --recording DIR " +
            "[--family F] [--run R] [--event E] [--json]",
        "Text: time, family, event, run, then every field of the record as the schema names it (decoded with the " +
            "schema the recording stores). --json: the line the family's export writes for the record; for Clamp, " +
            "whose file is one document, each entry of its records at the anchor's release (--event does not split " +
            "a lock from its release).",
        "It streams: the first line comes at once, and a closed pipe (| head) ends it with exit 0. Damage is " +
            "skipped as by export and listed on standard error." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:printed (or the reader of the output went away)",
        "1:not a recording, or damage was skipped",
        BlackboxCommand.EXIT_USAGE_HELP })
public final class PrintCommand implements Callable<Integer>
{
    /** Lines between checks that standard output is still read. */
    private static final int CHECK_EVERY = 4096;

    @Spec
    private CommandSpec spec;

    @Option(names = "--recording", required = true, paramLabel = "DIR", description = "The recording directory.")
    private Path recording;

    @Option(names = "--family", paramLabel = "F", description = "Only this family's records.")
    private String family;

    @Option(names = "--run", paramLabel = "R", description = "Only this run's records.")
    private String run;

    @Option(names = "--event", paramLabel = "E",
        description = "Only this event's records, named as summary --recording names them (train_step, lock, ...).")
    private String event;

    @Option(names = "--json", description = "The export's JSON line for each record.")
    private boolean json;

    /**
     * The output went away (a closed pipe): stop reading.
     */
    private static final class OutputClosed extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        OutputClosed()
        {
            super(null, null, false, false);
        }
    }

    @Override
    public Integer call()
    {
        if (null != family && null == TelemetryFamilies.byName(family))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "unknown family '" + family + "'; known families: " + TelemetryFamilies.names());
        }
        final PrintWriter out = spec.commandLine().getOut();
        final long[] lines = new long[1];
        final RecordPrinter printer = new RecordPrinter(recording, new RecordPrinter.Filter(family, run, event), json,
            line ->
            {
                out.append(line).append('\n');
                final long n = ++lines[0];
                // The first lines at once; then now and then, which also tells whether anyone still reads.
                if ((n <= 16 || n % CHECK_EVERY == 0) && out.checkError())
                {
                    throw new OutputClosed();
                }
            });
        final boolean recorderOpen = RingBacklog.isOwnerAlive(recording.resolve(RecordingDirectoryLayout.RING_FILE));
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            try
            {
                if (recorderOpen)
                {
                    reader.read(printer);
                    reader.endSession(printer);
                }
                else
                {
                    reader.readAll(printer);
                }
            }
            catch (final OutputClosed ex)
            {
                return BlackboxCommand.EXIT_OK;
            }
            if (out.checkError())
            {
                return BlackboxCommand.EXIT_OK;
            }
            if (reader.damageCount() > 0)
            {
                final PrintWriter err = spec.commandLine().getErr();
                for (final String line : reader.damage())
                {
                    err.println(ErrorReporter.PREFIX + "damage: " + line);
                }
                err.println(ErrorReporter.PREFIX + reader.damageCount() + " damaged parts skipped; " +
                    printer.printed() + " records printed");
                return BlackboxCommand.EXIT_FAILURE;
            }
        }
        return BlackboxCommand.EXIT_OK;
    }
}
