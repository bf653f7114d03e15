package io.blackbox.exporter.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.blackbox.exporter.PythonFloats;
import io.blackbox.exporter.RecordingSummary;
import io.blackbox.exporter.family.FamilySummary;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.recorder.JsonValues;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code blackbox summary FAMILY FILE [--format text|markdown|json]}: per field of a valid file, the last value and the
 * mean, minimum and maximum of its numbers. One subcommand per registered family ({@link FamilyCommands}); a family
 * without a {@link FamilySummary} says it cannot summarise yet.
 */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    synopsisSubcommandLabel = "FAMILY",
    description = {
        "Summarise a telemetry file, field by field (last, mean, min, max): blackbox summary FAMILY FILE " +
            "[--format text|markdown|json]",
        "If the file has problems they are printed as by validate, and nothing else.",
        "Summarise a recording without exporting it: blackbox summary --recording DIR [--format text|json]. Per " +
            "family and run: records by event, first and last time, bytes recorded and (estimated from a sample of " +
            "records rendered as the export would) the JSON Lines they export to; for the recording: sessions, " +
            "dropped records, damage, what ring.dat holds beyond the queue, and the queue's files." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:summarised",
        "1:the file has problems or cannot be read; the recording is damaged or cannot be read",
        BlackboxCommand.EXIT_USAGE_HELP })
public final class SummaryCommand extends FamilyGroupCommand
{
    @Spec
    private CommandSpec groupSpec;

    @Option(names = "--recording", paramLabel = "DIR",
        description = "Summarise this recording (no FAMILY FILE).")
    private Path recording;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
        description = "With --recording: text or json (default: ${DEFAULT-VALUE}).")
    private Format recordingFormat;

    @Override
    public Integer call()
    {
        if (null == recording)
        {
            return super.call();
        }
        if (!unmatchedWords().isEmpty())
        {
            throw new CommandLine.ParameterException(groupSpec.commandLine(),
                "--recording takes no family or file: '" + unmatchedWords().get(0) + "'");
        }
        if (Format.markdown == recordingFormat)
        {
            throw new CommandLine.ParameterException(groupSpec.commandLine(),
                "--format markdown summarises a file; a recording's summary is text or json");
        }
        final RecordingSummary.Result result;
        try (ProgressBar bar = ProgressBar.forRecords("summary", groupSpec.commandLine().getErr()))
        {
            result = RecordingSummary.summarize(recording, bar::update);
        }
        final PrintWriter out = groupSpec.commandLine().getOut();
        if (Format.json == recordingFormat)
        {
            out.println(RecordingSummaryOutput.json(result));
        }
        else
        {
            RecordingSummaryOutput.text(out, result);
        }
        out.flush();
        return result.damageCount() > 0 ? BlackboxCommand.EXIT_FAILURE : BlackboxCommand.EXIT_OK;
    }

    /**
     * How the summary is printed.
     */
    enum Format
    {
        text, markdown, json
    }

    /**
     * {@code blackbox summary FAMILY FILE} for one family.
     */
    @Command(
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:summarised",
            "1:the file has problems or cannot be read",
            BlackboxCommand.EXIT_USAGE_HELP })
    static final class ForFamily implements Callable<Integer>
    {
        private final TelemetryFamily family;

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "Telemetry file to summarise.")
        private Path file;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (aligned columns), markdown (a table) or json (default: ${DEFAULT-VALUE}).")
        private Format format;

        ForFamily(final TelemetryFamily family)
        {
            this.family = family;
        }

        @Override
        public Integer call()
        {
            final FamilySummary summary = family.summary();
            if (null == summary)
            {
                throw FamilyCommands.notSupported(spec, family, "summarise a file");
            }
            InputFiles.requireReadableFile(file);
            final FamilySummary.Summary result = summary.summarize(file);
            final PrintWriter out = spec.commandLine().getOut();
            if (!result.problems().isEmpty())
            {
                ProblemOutput.print(out, result.problems());
                spec.commandLine().getErr().println(ProblemOutput.summary(1, result.problems().size()));
                return BlackboxCommand.EXIT_FAILURE;
            }
            switch (format)
            {
                case text -> text(out, result);
                case markdown -> markdown(out, result);
                case json -> out.println(json(result));
                default -> throw new IllegalStateException(format.name());
            }
            out.flush();
            return BlackboxCommand.EXIT_OK;
        }

        private void text(final PrintWriter out, final FamilySummary.Summary result)
        {
            int width = "field".length();
            for (final FamilySummary.Field field : result.fields())
            {
                width = Math.max(width, field.name().length());
            }
            out.println(file + ": " + result.records() + " records");
            final String row = "  %-" + width + "s  %24s  %24s  %24s  %24s%n";
            out.printf(Locale.ROOT, row, "field", "last", "mean", "min", "max");
            for (final FamilySummary.Field field : result.fields())
            {
                out.printf(Locale.ROOT, row, field.name(), null == field.last() ? "-" : field.last(),
                    number(field.mean()), number(field.min()), number(field.max()));
            }
        }

        private void markdown(final PrintWriter out, final FamilySummary.Summary result)
        {
            out.println("**" + file.getFileName() + "**: " + result.records() + " records");
            out.println();
            out.println("| field | last | mean | min | max |");
            out.println("|---|---:|---:|---:|---:|");
            for (final FamilySummary.Field field : result.fields())
            {
                out.println("| `" + field.name() + "` | " + (null == field.last() ? "-" : field.last().replace("|", "\\|")) +
                    " | " + number(field.mean()) + " | " + number(field.min()) + " | " + number(field.max()) + " |");
            }
        }

        private String json(final FamilySummary.Summary result)
        {
            final StringWriter text = new StringWriter();
            try (JsonGenerator g = JsonValues.FACTORY.createGenerator(text))
            {
                g.writeStartObject();
                g.writeStringField("family", family.name());
                g.writeStringField("file", file.toString());
                g.writeNumberField("records", result.records());
                g.writeArrayFieldStart("fields");
                for (final FamilySummary.Field field : result.fields())
                {
                    g.writeStartObject();
                    g.writeStringField("name", field.name());
                    g.writeStringField("last", field.last());
                    g.writeNumberField("numbers", field.numbers());
                    writeNumberOrNull(g, "mean", field.mean());
                    writeNumberOrNull(g, "min", field.min());
                    writeNumberOrNull(g, "max", field.max());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            return text.toString();
        }

        private static void writeNumberOrNull(final JsonGenerator g, final String name, final double value)
            throws IOException
        {
            g.writeFieldName(name);
            if (Double.isNaN(value))
            {
                g.writeNull(); // no finite number in the field: nothing to average
            }
            else
            {
                g.writeNumber(value);
            }
        }

        private static String number(final double value)
        {
            return Double.isNaN(value) ? "-" : PythonFloats.toString(value);
        }
    }

    static CommandLine forFamily(final TelemetryFamily family)
    {
        return new CommandLine(new ForFamily(family));
    }
}
