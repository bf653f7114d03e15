package io.blackbox.exporter.cli;

import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.ship.RecordingShipper;
import io.blackbox.exporter.ship.ShipWire;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code blackbox ship --recording DIR --bootstrap HOST:PORT [--topic T]}: a recording's excerpts to a Kafka topic,
 * following it while a recorder writes it ({@link RecordingShipper}).
 */
@Command(
    name = "ship",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description = {
        "Produce a recording to a Kafka topic, following it while a recorder writes it.",
        "Each queue excerpt (a batch of records, as stored) is one message, keyed by the recording so its " +
            "records keep their order in one partition; the producer is idempotent (acks=all) and compresses " +
            "with zstd. How far the broker acknowledged is kept next to the recording " +
            "(DIR/shipped-TOPIC.properties): a ship started again resumes there, and 'blackbox export --bootstrap' " +
            "drops the copies a restart sends again, so nothing is lost or repeated.",
        "The recording stays the source of truth: a broker that is down makes the ship wait and retry; the " +
            "recorder never waits for it. Ends when the recorder has closed the recording (or died) and every " +
            "excerpt is acknowledged, or on Ctrl-C / SIGTERM, saving where it got to." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:shipped every excerpt of a recording that ended, or stopped on request with its position saved",
        "1:not a recording, a position file that does not hold, or the client failed",
        "2:shipped what was valid; damaged parts of the queue were skipped and listed",
        BlackboxCommand.EXIT_USAGE_HELP })
public final class ShipCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--recording", required = true, paramLabel = "DIR", description = "The recording directory.")
    private Path recording;

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT",
        description = "Kafka brokers to start from (bootstrap.servers).")
    private String bootstrap;

    @Option(names = "--topic", paramLabel = "T", defaultValue = ShipWire.DEFAULT_TOPIC,
        description = "The topic (default: ${DEFAULT-VALUE}); it must exist, or the brokers must create topics.")
    private String topic;

    @Option(names = "--producer", paramLabel = "KEY=VALUE",
        description = "A Kafka producer setting beyond Blackbox's, which it overrides (security, batch size).")
    private Map<String, String> producer = new LinkedHashMap<>();

    @Option(names = "--poll-ms", paramLabel = "MS", defaultValue = "10",
        description = "How long to wait before looking at the recording again when nothing new was recorded " +
            "(default: ${DEFAULT-VALUE}).")
    private long pollMs;

    public Integer call() throws Exception
    {
        if (pollMs < 1 || pollMs > 60_000)
        {
            throw new ParameterException(spec.commandLine(), "--poll-ms must be from 1 to 60000, was " + pollMs);
        }
        if (!topic.matches("[a-zA-Z0-9._-]{1,249}"))
        {
            throw new ParameterException(spec.commandLine(), "--topic must be 1 to 249 of [a-zA-Z0-9._-] (Kafka's " +
                "rule), was " + topic);
        }
        final long pollNs = TimeUnit.MILLISECONDS.toNanos(pollMs);
        final long startNs = System.nanoTime();
        final RecordingShipper.Result result;
        try (SignalStop stop = new SignalStop("blackbox-ship-stop"))
        {
            result = RecordingShipper.ship(recording, bootstrap, topic, producer, new RecordingShipper.Control()
            {
                public boolean stopRequested()
                {
                    return stop.requested();
                }

                public void idle()
                {
                    stop.idle(pollNs);
                }
            });
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
            throw new UserError("--recording " + recording + ": " + ex.getMessage(), ex);
        }
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        final PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "shipped    %,d excerpts of recording %s to topic %s (%,d acknowledged in all)%s%n",
            result.sent(), result.recordingId(), topic, result.excerpts(), result.stopped() ? ", stopped" : "");
        stdout.printf(Locale.ROOT, "sent       %,d records, %,d bytes in %.2f s: %,.0f records/s, %.1f MB/s; " +
                "%d producer restart%s%n", result.records(), result.bytes(), seconds, result.records() / seconds,
            result.bytes() / seconds / 1e6, result.restarts(), result.restarts() == 1 ? "" : "s");
        final PrintWriter stderr = spec.commandLine().getErr();
        for (final String line : result.warnings())
        {
            stderr.println(ErrorReporter.PREFIX + "warning: " + line);
        }
        for (final String line : result.damage())
        {
            stderr.println(ErrorReporter.PREFIX + "damaged: " + line);
        }
        return result.damage().isEmpty() ? BlackboxCommand.EXIT_OK : ExportCommand.EXIT_DAMAGED;
    }
}
