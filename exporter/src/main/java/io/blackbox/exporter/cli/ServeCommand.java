package io.blackbox.exporter.cli;

import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.Symbols;
import io.blackbox.exporter.family.FamilyMetrics;
import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.agrona.DirectBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code blackbox serve --recording DIR [--bind 127.0.0.1] [--port 9464] [--tag-label KEY]...}: follow a recording as
 * a recorder writes it and expose each family's mirrored fields ({@link TelemetryFamily#newMetrics}) at
 * {@code /metrics} in the Prometheus text format, with the Prometheus Java client's HTTP server. Loopback unless
 * {@code --bind} says otherwise; until interrupted.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description = {
        "Follow a recording as it is written and serve its families' mirrored fields to Prometheus at /metrics " +
            "(agent: events by name and source, step durations, plan confidence, benchmark throughput and latency, " +
            "command exit codes; gradience: loss, learning rate, steps), until interrupted.",
        "Labels are bounded: no run id, no free text, at most 64 values a label; tags become labels only for the " +
            "keys given with --tag-label. Binds to 127.0.0.1 unless --bind names another address." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:stopped",
        "1:not a recording, or the port cannot be bound",
        BlackboxCommand.EXIT_USAGE_HELP })
public final class ServeCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--recording", required = true, paramLabel = "DIR", description = "The recording to follow.")
    private Path recording;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
        description = "The address to listen on (default: ${DEFAULT-VALUE}).")
    private String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9464",
        description = "The port (default: ${DEFAULT-VALUE}; 0 for any free one, printed).")
    private int port;

    @Option(names = "--tag-label", paramLabel = "KEY",
        description = "A tag key whose values become a label (repeatable; none by default).")
    private List<String> tagLabels = new ArrayList<>();

    @Option(names = "--poll-ms", paramLabel = "MS", defaultValue = "200",
        description = "How often to look for new records (default: ${DEFAULT-VALUE}).")
    private long pollMs;

    @Override
    public Integer call() throws InterruptedException
    {
        if (port < 0 || port > 65_535 || pollMs < 1)
        {
            throw new ParameterException(spec.commandLine(), "--port must be 0 to 65535 and --poll-ms at least 1");
        }
        try
        {
            RecordingReader.requireRecording(recording);
        }
        catch (final RecordingException ex)
        {
            throw new UserError(ex.getMessage());
        }
        final PrometheusRegistry registry = new PrometheusRegistry();
        final List<TelemetryFamily> families = TelemetryFamilies.all();
        final FamilyMetrics[] byTemplateId = new FamilyMetrics[1 << 16];
        for (final TelemetryFamily family : families)
        {
            final FamilyMetrics metrics = family.newMetrics(registry, new LinkedHashSet<>(tagLabels));
            if (null != metrics)
            {
                for (int id = family.firstTemplateId(); id <= family.lastTemplateId(); id++)
                {
                    byTemplateId[id] = metrics;
                }
            }
        }
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final HTTPServer server;
        try
        {
            server = HTTPServer.builder().hostname(bind).port(port).registry(registry).buildAndStart();
        }
        catch (final IOException ex)
        {
            throw new UserError("cannot serve on " + bind + ":" + port + ": " + ex.getMessage(), ex);
        }
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            out.println("serving http://" + bind + ":" + server.getPort() + "/metrics for " + recording);
            out.flush();
            int damageReported = 0;
            while (!Thread.currentThread().isInterrupted())
            {
                final long read = reader.read(new RecordingReader.RecordHandler()
                {
                    public void onRecord(final int templateId, final DirectBuffer buffer, final int offset,
                        final int length, final Symbols symbols)
                    {
                        final FamilyMetrics metrics = byTemplateId[templateId];
                        if (null != metrics)
                        {
                            metrics.onRecord(templateId, buffer, offset, length, symbols);
                        }
                    }
                });
                for (; damageReported < reader.damage().size(); damageReported++)
                {
                    err.println(ErrorReporter.PREFIX + "damaged: " + reader.damage().get(damageReported));
                    err.flush();
                }
                if (0 == read)
                {
                    TimeUnit.MILLISECONDS.sleep(pollMs);
                }
            }
        }
        finally
        {
            server.close();
        }
        return BlackboxCommand.EXIT_OK;
    }
}
