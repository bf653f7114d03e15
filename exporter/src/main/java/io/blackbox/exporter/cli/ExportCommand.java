package io.blackbox.exporter.cli;

import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.ship.ShipWire;
import io.blackbox.exporter.ship.TopicExport;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

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
        ExportCommand.FAMILY_LAYOUTS,
        "and a summary of what was written, dropped and damaged to ROOT/" + RecordingExport.SUMMARY_FILE + ".",
        "Files appear whole: each is written to a temporary file, then renamed. With --follow the recording is " +
            "tailed while a recorder writes it: files are written in place and grow by whole lines as records reach " +
            "the queue, until the recorder closes the recording (or dies) or the user interrupts (Ctrl-C).",
        "Nothing is written to the recording. Damaged parts (a cycle file cut short, flipped bytes, a bad record) " +
            "are skipped and listed on standard error with their file and byte offset; records a stopped recorder " +
            "left in ring.dat are counted in a warning ('blackbox recover' drains them)." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:exported, nothing damaged",
        "1:nothing usable: not a recording, every record damaged, or an error",
        "2:exported what was valid; damaged parts were skipped and listed",
        BlackboxCommand.EXIT_USAGE_HELP })
public final class ExportCommand implements Callable<Integer>
{
    /** Where the description lists each family's files; {@link #describeFamilies} fills it in from the registry. */
    static final String FAMILY_LAYOUTS = "FAMILY_LAYOUTS";

    /** Exported what was valid, skipped damage. */
    public static final int EXIT_DAMAGED = 2;

    /** Damage lines printed; the summary file lists them all (up to its own limit). */
    static final int MAX_DAMAGE_LINES_PRINTED = 20;

    @Spec
    private CommandSpec spec;

    @Option(names = "--recording", paramLabel = "DIR", arity = "1..*",
        description = "The recording directory. Several (the recordings of one job's ranks, one recorder each) are " +
            "exported into ROOT as one: each run's files as recorded, a run id two ranks both used written to two " +
            "files (the later rank's named RUN.rank-R.jsonl), one summary listing the recordings with their ranks.")
    private List<Path> recordings;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Instead of --recording: export the " +
        "recordings 'blackbox ship' put on --topic, read from these Kafka brokers; the same files as from the " +
        "recordings, byte for byte.")
    private String bootstrap;

    @Option(names = "--topic", paramLabel = "T", description = "With --bootstrap: the topic (default: " +
        ShipWire.DEFAULT_TOPIC + ").")
    private String topic;

    @Option(names = "--consumer", paramLabel = "KEY=VALUE",
        description = "With --bootstrap: a Kafka consumer setting beyond Blackbox's, which it overrides.")
    private Map<String, String> consumer = new LinkedHashMap<>();

    @Option(names = "--out", required = true, paramLabel = "ROOT", description = "The export root.")
    private Path out;

    /**
     * {@link RecordingExport#follow} until the recorder closes the recording or the process is interrupted: an
     * interrupt (SIGINT, SIGTERM) asks the export to stop and waits, in the shutdown hook, until it has ended its files
     * on whole lines and written the summary.
     */
    private RecordingExport.Result follow() throws IOException, InterruptedException
    {
        final long pollNs = TimeUnit.MILLISECONDS.toNanos(pollMs);
        try (SignalStop stop = new SignalStop("blackbox-export-follow-stop"))
        {
            return RecordingExport.follow(recordings.get(0), out, new RecordingExport.FollowControl()
            {
                public boolean stopRequested()
                {
                    return stop.requested();
                }

                public void idle()
                {
                    stop.idle(pollNs);
                }

                public void exported(final long records)
                {
                }
            });
        }
    }

    /**
     * Put each registered family's files into the command's description, where {@link #FAMILY_LAYOUTS} stands.
     *
     * @param export the export command.
     */
    static void describeFamilies(final CommandLine export)
    {
        FamilyCommands.describeFamilies(export, FAMILY_LAYOUTS,
            family -> FamilyCommands.nameColumn(family) + family.exportLayout());
    }

    @Option(names = "--follow", description = "Tail a recording a recorder is writing, appending whole lines as " +
        "records are recorded, until the recorder closes it or the user interrupts.")
    private boolean follow;

    @Option(names = "--poll-ms", paramLabel = "MS", defaultValue = "10",
        description = "With --follow: how long to wait before looking again when nothing new was recorded " +
            "(default: ${DEFAULT-VALUE}).")
    private long pollMs;

    @Option(names = "--threads", paramLabel = "N", description = "Threads that export, each a share of the " +
        "families, reading the recording on its own; never more than the families recorded (default: the " +
        "processors available). 1 exports on one thread; --follow, and a recording a recorder still has open, always " +
        "do. The files are the same whatever N is.")
    private Integer threads;

    public Integer call() throws Exception
    {
        if (pollMs < 1 || pollMs > 60_000)
        {
            throw new ParameterException(spec.commandLine(), "--poll-ms must be from 1 to 60000, was " + pollMs);
        }
        if (null != threads && threads < 1)
        {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, was " + threads);
        }
        if ((null == recordings) == (null == bootstrap))
        {
            throw new ParameterException(spec.commandLine(), "give --recording DIR... or --bootstrap HOST:PORT " +
                "(with --topic), not " + (null == bootstrap ? "neither" : "both"));
        }
        if (null != topic && null == bootstrap)
        {
            throw new ParameterException(spec.commandLine(), "--topic goes with --bootstrap");
        }
        if (null != bootstrap && (follow || null != threads))
        {
            throw new ParameterException(spec.commandLine(), "--bootstrap exports what the topic holds now, on " +
                "one thread: not with --follow or --threads");
        }
        if (follow && recordings.size() > 1)
        {
            throw new ParameterException(spec.commandLine(), "--follow takes one --recording, was given " +
                recordings.size() + ": follow each rank's recording into its own root");
        }
        FileErrors.requireWritableDirectory(out, "--out");
        final PrintWriter stdout = spec.commandLine().getOut();
        final RecordingExport.Result result;
        final long startNs = System.nanoTime();
        try
        {
            if (follow)
            {
                result = follow();
            }
            else
            {
                try (ProgressBar bar = ProgressBar.forRecords("export", spec.commandLine().getErr()))
                {
                    result = null != bootstrap ?
                        TopicExport.export(bootstrap, null != topic ? topic : ShipWire.DEFAULT_TOPIC, out, consumer,
                            bar::update) :
                        RecordingExport.export(recordings, out,
                            null != threads ? threads : Runtime.getRuntime().availableProcessors(), bar::update);
                }
            }
        }
        catch (final RecordingException ex)
        {
            throw new UserError(ex.getMessage());
        }
        catch (final KafkaException ex)
        {
            throw new UserError("--bootstrap " + bootstrap + ": the Kafka client failed: " + ex.getMessage(), ex);
        }
        catch (final UncheckedIOException ex)
        {
            final IOException cause = ex.getCause();
            throw new UserError("--out " + out + ": cannot write the export: " +
                (cause != null ? FileErrors.reason(cause) : ex.getMessage()) + "; name a directory you can write", ex);
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
        final PrintWriter stderr = spec.commandLine().getErr();
        for (final String warning : result.warnings())
        {
            stderr.println(ErrorReporter.PREFIX + "warning: " + warning);
        }
        final List<String> damage = result.damage();
        for (int i = 0; i < Math.min(damage.size(), MAX_DAMAGE_LINES_PRINTED); i++)
        {
            stderr.println(ErrorReporter.PREFIX + "damaged: " + damage.get(i));
        }
        if (result.damageCount() > Math.min(damage.size(), MAX_DAMAGE_LINES_PRINTED))
        {
            stderr.printf(Locale.ROOT, "%sdamaged: %,d damaged parts in all, listed in %s%n", ErrorReporter.PREFIX,
                result.damageCount(), out.resolve(RecordingExport.SUMMARY_FILE));
        }
        if (!result.damaged())
        {
            return BlackboxCommand.EXIT_OK;
        }
        if (result.records() == 0)
        {
            stderr.println(ErrorReporter.PREFIX + "nothing usable in " + (null != bootstrap ? "topic " +
                (null != topic ? topic : ShipWire.DEFAULT_TOPIC) : recordings.size() == 1 ? recordings.get(0) :
                recordings) + ": no record survived the damage");
            return BlackboxCommand.EXIT_FAILURE;
        }
        return EXIT_DAMAGED;
    }
}
