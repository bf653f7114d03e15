package io.blackbox.exporter;

import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.exporter.family.RecordOutline;
import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * {@code blackbox summary --recording DIR}: what a recording holds, per family and run, without exporting it. Each
 * record is read as far as its {@link RecordOutline} (run, event, time: a few loads from its block); its groups and
 * data are not decoded. What its JSON Lines would weigh is estimated from a sample: each run's first
 * {@link #SAMPLE_FIRST} records of each event, then one in {@link #SAMPLE_EVERY}, are rendered through the family's
 * {@link TelemetryFamily#newLineExport line export} and measured; each event's JSON bytes are its sampled bytes per
 * record times its records.
 * <p>
 * Damage is what reading the batches finds (CRC, framing, a record too short for its outline, an undefined symbol); a
 * record whose groups or data do not decode is only found by an export, or when it is sampled.
 */
public final class RecordingSummary
{
    /** Records of a family rendered before sampling starts. */
    public static final int SAMPLE_FIRST = 1024;
    /** After the first records, one record in this many is rendered. */
    public static final int SAMPLE_EVERY = 1024;

    /**
     * The records of one kind of event of one run.
     */
    public static final class EventStats
    {
        private final String event;
        private long records;
        private long recordBytes;
        /** Rendered of the first {@link #SAMPLE_FIRST} records, and their JSON bytes: counted exactly. */
        private long firstSampled;
        private long firstJsonBytes;
        /** Rendered of the records after them, one in {@link #SAMPLE_EVERY}, and their JSON bytes. */
        private long laterSampled;
        private long laterJsonBytes;

        EventStats(final String event)
        {
            this.event = event;
        }

        public String event()
        {
            return event;
        }

        public long records()
        {
            return records;
        }

        /**
         * @return bytes of these records as the recorder framed them (frame header, SBE message, alignment), before a
         * batch's coding.
         */
        public long recordBytes()
        {
            return recordBytes;
        }

        /**
         * @return records rendered as JSON for the estimate.
         */
        public long sampled()
        {
            return firstSampled + laterSampled;
        }

        /**
         * @return the JSON Lines bytes these records export to, estimated from the sample; -1 when none was rendered
         * (a family without a line export).
         */
        public long estimatedJsonBytes()
        {
            if (0 == firstSampled)
            {
                return -1;
            }
            // The first records are counted exactly; the rest at the mean of their own sample (early records are not
            // like later ones: a step's number grows, a loss settles).
            final long later = records - firstSampled;
            final double perLater = laterSampled > 0 ?
                (double)laterJsonBytes / laterSampled : (double)firstJsonBytes / firstSampled;
            return firstJsonBytes + Math.round(perLater * later);
        }

        void addSample(final long index, final long jsonBytes)
        {
            if (index < SAMPLE_FIRST)
            {
                firstSampled++;
                firstJsonBytes += jsonBytes;
            }
            else
            {
                laterSampled++;
                laterJsonBytes += jsonBytes;
            }
        }
    }

    /**
     * One run of one family.
     */
    public static final class RunStats
    {
        private final String family;
        private final String run;
        private final Map<String, EventStats> events = new LinkedHashMap<>();
        private long records;
        private long recordBytes;
        private long firstNanos = Long.MAX_VALUE;
        private long lastNanos = Long.MIN_VALUE;

        RunStats(final String family, final String run)
        {
            this.family = family;
            this.run = run;
        }

        public String family()
        {
            return family;
        }

        public String run()
        {
            return run;
        }

        /**
         * @return its events, in the order first seen.
         */
        public List<EventStats> events()
        {
            return List.copyOf(events.values());
        }

        public long records()
        {
            return records;
        }

        public long recordBytes()
        {
            return recordBytes;
        }

        /**
         * @return the earliest record time, epoch nanoseconds.
         */
        public long firstNanos()
        {
            return firstNanos;
        }

        /**
         * @return the latest record time, epoch nanoseconds.
         */
        public long lastNanos()
        {
            return lastNanos;
        }

        /**
         * @return the JSON Lines bytes the run exports to, estimated; -1 when no event could be estimated.
         */
        public long estimatedJsonBytes()
        {
            long total = -1;
            for (final EventStats stats : events.values())
            {
                final long bytes = stats.estimatedJsonBytes();
                if (bytes >= 0)
                {
                    total = Math.max(total, 0) + bytes;
                }
            }
            return total;
        }
    }

    /**
     * What a recording holds.
     *
     * @param recording      the recording directory.
     * @param runs           per family (in registry order), each run in the order first seen.
     * @param records        family records read.
     * @param sessions       recorder sessions.
     * @param dropped        records the recorder counted as dropped (never recorded).
     * @param unknownRecords records of a template no family here knows.
     * @param damageCount    damaged parts found.
     * @param damage         one line per damaged part (at most {@link RecordingReader#MAX_DAMAGE_LINES}).
     * @param backlog        what {@code ring.dat} holds beyond the queue; null without a ring file.
     * @param queueFiles     cycle files.
     * @param queueFileBytes size of the cycle files (Chronicle preallocates: more than the data).
     * @param dataBytes      bytes of batches in the queue (headers and coded records).
     */
    public record Result(Path recording, List<RunStats> runs, long records, long sessions, long dropped,
        long unknownRecords, long damageCount, List<String> damage, RingBacklog backlog, long queueFiles,
        long queueFileBytes, long dataBytes)
    {
    }

    private RecordingSummary()
    {
    }

    /**
     * Summarise {@code recording}, read as it is now (a recorder may still be writing it: what is in the queue).
     *
     * @param recording the recording directory.
     * @param progress  receives the records read so far, now and then (about every million).
     * @return what it holds.
     * @throws RecordingException when {@code recording} is not a recording.
     */
    public static Result summarize(final Path recording, final LongConsumer progress)
    {
        final boolean recorderOpen = RingBacklog.isOwnerAlive(recording.resolve(RecordingDirectoryLayout.RING_FILE));
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            final Counter counter = new Counter(recording, reader, progress);
            if (recorderOpen)
            {
                reader.read(counter);
                reader.endSession(counter);
            }
            else
            {
                reader.readAll(counter);
            }
            counter.close();
            final List<RunStats> runs = new ArrayList<>();
            for (final FamilyCounter family : counter.families) // registry order
            {
                runs.addAll(family.runs.values());
            }
            final List<String> damage = new ArrayList<>(reader.damage());
            damage.addAll(counter.renderDamage);
            final Path queue = recording.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY);
            long files = 0;
            long fileBytes = 0;
            try (DirectoryStream<Path> cycles = Files.newDirectoryStream(queue, "*.cq4"))
            {
                for (final Path cycle : cycles)
                {
                    files++;
                    fileBytes += Files.size(cycle);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            return new Result(recording, runs, reader.records() - counter.unknown, reader.sessions(),
                reader.droppedRecords(), counter.unknown, reader.damageCount() + counter.renderDamage.size(), damage,
                reader.ringBacklog(), files, fileBytes, reader.excerptBytes());
        }
    }

    /**
     * One family's runs.
     */
    private static final class FamilyCounter
    {
        private final TelemetryFamily family;
        private final RecordOutline outline;
        /** Whether its lines need every record (Clamp pairs a lock and its release): all are rendered. */
        private final boolean everyRecord;
        private final Map<String, RunStats> runs = new LinkedHashMap<>();

        FamilyCounter(final TelemetryFamily family)
        {
            this.family = family;
            this.outline = family.outline();
            this.everyRecord = family.linesNeedEveryRecord();
        }
    }

    private static final class Counter implements RecordingReader.RecordHandler
    {
        private final RecordingReader reader;
        private final LongConsumer progress;
        /** By template id (a uint16), as {@link FamilyExports} finds a family's export. */
        private final FamilyCounter[] byTemplate = new FamilyCounter[1 << 16];
        /** In registry order. */
        private final List<FamilyCounter> families = new ArrayList<>();
        /** The families' line exports, rendering the sample: their sink counts the bytes. */
        private final FamilyExports lines;
        private final RecordOutline.Outline outline = new RecordOutline.Outline();
        private final List<String> renderDamage = new ArrayList<>();
        private long unknown;
        private long nextProgress = 1 << 20;
        /** Bytes of the lines the sampled record being rendered made. */
        private long renderedBytes;
        // The last run and event seen: a run's records come in long stretches, and symbols resolve to the same string.
        private String lastRun;
        private RunStats lastRunStats;
        private FamilyCounter lastFamily;
        private String lastEvent;
        private EventStats lastEventStats;

        Counter(final Path recording, final RecordingReader reader, final LongConsumer progress)
        {
            this.reader = reader;
            this.progress = progress;
            this.lines = FamilyExports.lines(recording.resolve(".summary"),
                family -> (runId, file, bytes, offset, length) -> renderedBytes += length);
            for (final TelemetryFamily family : TelemetryFamilies.all())
            {
                final FamilyCounter counter = new FamilyCounter(family);
                families.add(counter);
                for (int id = family.firstTemplateId(); id <= family.lastTemplateId(); id++)
                {
                    byTemplate[id] = counter;
                }
            }
        }

        @Override
        public void onRecord(final int templateId, final DirectBuffer buffer, final int offset, final int length,
            final Symbols symbols)
        {
            final FamilyCounter family = byTemplate[templateId];
            if (null == family || !family.outline.knows(templateId))
            {
                unknown++;
                return;
            }
            family.outline.read(templateId, buffer, offset, length, symbols, outline);
            final String run = outline.run();
            RunStats runStats = lastRunStats;
            if (family != lastFamily || !run.equals(lastRun))
            {
                runStats = family.runs.computeIfAbsent(run, r -> new RunStats(family.family.name(), r));
                lastFamily = family;
                lastRun = run;
                lastRunStats = runStats;
                lastEvent = null;
            }
            final String event = outline.event();
            EventStats eventStats = lastEventStats;
            if (!event.equals(lastEvent))
            {
                eventStats = runStats.events.computeIfAbsent(event, EventStats::new);
                lastEvent = event;
                lastEventStats = eventStats;
            }
            final long index = eventStats.records;
            final long bytes = BitUtil.align(RecordingBatchDescriptor.RECORD_HEADER_LENGTH + length,
                RecordingBatchDescriptor.RECORD_ALIGNMENT);
            final long timestamp = outline.timestampNanos();
            runStats.records++;
            runStats.recordBytes += bytes;
            runStats.firstNanos = Math.min(runStats.firstNanos, timestamp);
            runStats.lastNanos = Math.max(runStats.lastNanos, timestamp);
            eventStats.records++;
            eventStats.recordBytes += bytes;

            if (lines.handles(templateId) &&
                (family.everyRecord || index < SAMPLE_FIRST || index % SAMPLE_EVERY == 0))
            {
                render(family, eventStats, index, templateId, buffer, offset, length, symbols);
            }
            if (reader.records() >= nextProgress)
            {
                nextProgress += 1 << 20;
                progress.accept(reader.records());
            }
        }

        private void render(final FamilyCounter family, final EventStats eventStats, final long index,
            final int templateId, final DirectBuffer buffer, final int offset, final int length, final Symbols symbols)
        {
            renderedBytes = 0;
            try
            {
                lines.onRecord(templateId, buffer, offset, length, symbols);
                eventStats.addSample(index, renderedBytes);
            }
            catch (final RecordingException | IndexOutOfBoundsException ex)
            {
                if (renderDamage.size() < RecordingReader.MAX_DAMAGE_LINES)
                {
                    renderDamage.add(family.family.name() + " run " + lastRun + ", a sampled " + eventStats.event +
                        " record does not decode: " + ex.getMessage() + " (an export skips it)");
                }
            }
        }

        @Override
        public void onSessionStart(final RecordingReader.Session session)
        {
            lastFamily = null; // symbols are the session's: the same run id may be a new string
            lines.onSessionStart(session);
        }

        @Override
        public void onSessionEnd(final RecordingReader.Session session)
        {
            lines.onSessionEnd(session);
        }

        void close()
        {
            lines.close();
        }
    }
}
