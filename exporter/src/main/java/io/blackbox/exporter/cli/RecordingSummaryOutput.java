package io.blackbox.exporter.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.blackbox.exporter.EpochSeconds;
import io.blackbox.exporter.RecordingSummary;
import io.blackbox.exporter.RingBacklog;
import io.blackbox.recorder.JsonValues;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * How {@code summary --recording} prints a {@link RecordingSummary}: aligned text, or one JSON object.
 */
final class RecordingSummaryOutput
{
    private RecordingSummaryOutput()
    {
    }

    static void text(final PrintWriter out, final RecordingSummary.Result result)
    {
        out.printf(Locale.ROOT, "recording %s: %s, %,d records, %,d dropped, %s%n", result.recording(),
            plural(result.sessions(), "session"), result.records(), result.dropped(),
            0 == result.damageCount() ? "no damage" : plural(result.damageCount(), "damaged part"));
        out.printf(Locale.ROOT, "queue: %s, %s on disk, %s of batches; ring.dat: %s%n",
            plural(result.queueFiles(), "cycle file"), Sizes.human(result.queueFileBytes()),
            Sizes.human(result.dataBytes()), backlog(result.backlog()));
        if (result.unknownRecords() > 0)
        {
            out.printf(Locale.ROOT, "%,d records of a type this version does not know%n", result.unknownRecords());
        }
        for (final RecordingSummary.RunStats run : result.runs())
        {
            out.println();
            out.printf(Locale.ROOT, "%s run %s: %,d records, %s .. %s%n", run.family(), run.run(), run.records(),
                EpochSeconds.toInstant(run.firstNanos()), EpochSeconds.toInstant(run.lastNanos()));
            int width = "total".length();
            for (final RecordingSummary.EventStats event : run.events())
            {
                width = Math.max(width, event.event().length());
            }
            final String row = "  %-" + width + "s  %14s  %12s  %18s%n";
            out.printf(Locale.ROOT, row, "event", "records", "recorded", "JSON Lines (est.)");
            for (final RecordingSummary.EventStats event : run.events())
            {
                out.printf(Locale.ROOT, row, event.event(), String.format(Locale.ROOT, "%,d", event.records()),
                    Sizes.human(event.recordBytes()), json(event.estimatedJsonBytes()));
            }
            final long jsonBytes = run.estimatedJsonBytes();
            out.printf(Locale.ROOT, row, "total", String.format(Locale.ROOT, "%,d", run.records()),
                Sizes.human(run.recordBytes()), json(jsonBytes) + (jsonBytes > 0 && run.recordBytes() > 0 ?
                String.format(Locale.ROOT, " (%.1fx)", (double)jsonBytes / run.recordBytes()) : ""));
        }
        if (!result.damage().isEmpty())
        {
            out.println();
            for (final String line : result.damage())
            {
                out.println("damage: " + line);
            }
        }
    }

    static String json(final RecordingSummary.Result result)
    {
        final StringWriter text = new StringWriter();
        try (JsonGenerator g = JsonValues.FACTORY.createGenerator(text))
        {
            g.writeStartObject();
            g.writeStringField("recording", result.recording().toString());
            g.writeNumberField("sessions", result.sessions());
            g.writeNumberField("records", result.records());
            g.writeNumberField("dropped_records", result.dropped());
            g.writeNumberField("unknown_records", result.unknownRecords());
            g.writeNumberField("damage_count", result.damageCount());
            g.writeArrayFieldStart("damage");
            for (final String line : result.damage())
            {
                g.writeString(line);
            }
            g.writeEndArray();
            g.writeNumberField("queue_files", result.queueFiles());
            g.writeNumberField("queue_file_bytes", result.queueFileBytes());
            g.writeNumberField("data_bytes", result.dataBytes());
            final RingBacklog backlog = result.backlog();
            if (null != backlog)
            {
                g.writeObjectFieldStart("ring_backlog");
                g.writeNumberField("records", backlog.records());
                g.writeNumberField("bytes", backlog.bytes());
                g.writeStringField("problem", null != backlog.problem() ? backlog.problem() : backlog.laneDamage());
                g.writeEndObject();
            }
            g.writeArrayFieldStart("runs");
            for (final RecordingSummary.RunStats run : result.runs())
            {
                g.writeStartObject();
                g.writeStringField("family", run.family());
                g.writeStringField("run", run.run());
                g.writeNumberField("records", run.records());
                g.writeNumberField("record_bytes", run.recordBytes());
                g.writeNumberField("estimated_json_bytes", run.estimatedJsonBytes());
                g.writeNumberField("first_timestamp_ns", run.firstNanos());
                g.writeNumberField("last_timestamp_ns", run.lastNanos());
                g.writeArrayFieldStart("events");
                for (final RecordingSummary.EventStats event : run.events())
                {
                    g.writeStartObject();
                    g.writeStringField("event", event.event());
                    g.writeNumberField("records", event.records());
                    g.writeNumberField("record_bytes", event.recordBytes());
                    g.writeNumberField("sampled", event.sampled());
                    g.writeNumberField("estimated_json_bytes", event.estimatedJsonBytes());
                    g.writeEndObject();
                }
                g.writeEndArray();
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

    private static String backlog(final RingBacklog backlog)
    {
        if (null == backlog)
        {
            return "none";
        }
        if (null != backlog.problem())
        {
            return "not a ring file any more (" + backlog.problem() + ")";
        }
        if (RingBacklog.isOwnerAlive(backlog.path()))
        {
            return "a recorder has it open (its records reach the queue as it drains them)";
        }
        if (0 == backlog.records())
        {
            return "nothing left to drain";
        }
        return String.format(Locale.ROOT, "%,d records (%s) not yet in the queue: 'blackbox recover' drains them",
            backlog.records(), Sizes.human(backlog.bytes()));
    }

    private static String json(final long bytes)
    {
        return bytes < 0 ? "-" : Sizes.human(bytes);
    }

    private static String plural(final long count, final String noun)
    {
        return String.format(Locale.ROOT, "%,d %s%s", count, noun, 1 == count ? "" : "s");
    }
}
