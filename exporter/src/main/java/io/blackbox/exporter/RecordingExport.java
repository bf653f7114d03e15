package io.blackbox.exporter;

import com.fasterxml.jackson.core.JsonGenerator;

import io.blackbox.codecs.layout.RecordingDirectoryLayout;

import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Exports a whole recording: every family present goes to its spec's place under the export root, and a
 * summary of what was written, dropped and damaged goes to {@code ROOT/blackbox-export.json}.
 */
public final class RecordingExport
{
    public static final String SUMMARY_FILE = "blackbox-export.json";

    /** Records read between two calls of an export's progress. */
    static final long PROGRESS_INTERVAL = 1 << 20;

    /**
     * What an export wrote and found.
     *
     * @param records      family records exported.
     * @param files        files written, per family.
     * @param dropped      records the recorder counted as dropped (never recorded).
     * @param damage       damaged parts skipped, one line each naming the file and position (at most
     *                     {@link RecordingReader#MAX_DAMAGE_LINES}).
     * @param unknownTypes records of a template no family here knows (written by a newer version).
     * @param dataBytes    bytes of recorded data read from the queue (batch headers and records).
     * @param damageCount  damaged parts found, the ones folded into one line or past the line limit included.
     * @param warnings     what the user should know that cost no record of the queue (records left in ring.dat).
     */
    public record Result(long records, Map<String, List<FamilyExport.ExportedFile>> files, long dropped,
        List<String> damage, long unknownTypes, long dataBytes, long damageCount, List<String> warnings)
    {
        /**
         * @return whether the export found damage: then some records may be missing.
         */
        public boolean damaged()
        {
            return damageCount > 0;
        }
    }

    private RecordingExport()
    {
    }

    /**
     * Export {@code recording} into {@code root}. Files appear whole, or not at all. Nothing is written to the
     * recording. Damage is skipped and listed in the result; records a dead process left in {@code ring.dat} are
     * counted in a warning (opening the recording with a recorder drains them).
     *
     * @throws RecordingException when {@code recording} is not a recording.
     * @throws java.io.UncheckedIOException when the export cannot be written.
     */
    public static Result export(final Path recording, final Path root) throws IOException
    {
        return export(recording, root, records -> {});
    }

    /**
     * {@link #export(Path, Path)}, telling {@code progress} the records read about every million. The families are
     * shared between as many threads as there are processors ({@link #export(Path, Path, int, LongConsumer)}).
     */
    public static Result export(final Path recording, final Path root, final LongConsumer progress) throws IOException
    {
        return export(recording, root, Runtime.getRuntime().availableProcessors(), progress);
    }

    /**
     * {@link #export(Path, Path)} on up to {@code threads} threads, each exporting its share of the families with a
     * reader of its own (shared out by what each family will cost, {@link
     * io.blackbox.exporter.family.TelemetryFamily#exportNanosPerByte}), never more threads than families the recording
     * holds. The files and the summary are those of the export on one thread, byte for byte: a recording of one family,
     * or with damage or records no family knows, is exported on one thread (when a thread's family export finds a
     * record it cannot decode, every thread's files are discarded and the recording is exported again on one thread, so
     * the damage lines are the ones it always writes). A recording a recorder still has open is exported on one thread.
     *
     * @param recording the recording.
     * @param root      the export root.
     * @param threads   1 for the export on the calling thread alone.
     * @param progress  told the records read about every million: by the thread that has read the fewest.
     * @return what was exported.
     * @throws RecordingException when {@code recording} is not a recording.
     * @throws java.io.UncheckedIOException when the export cannot be written.
     * @throws IllegalArgumentException when {@code threads} is less than 1.
     */
    public static Result export(final Path recording, final Path root, final int threads, final LongConsumer progress)
        throws IOException
    {
        if (threads < 1)
        {
            throw new IllegalArgumentException("threads=" + threads + " must be at least 1");
        }
        // A recorder still writing the queue has its last excerpt open (its header marked incomplete): that is the end
        // of what is there, not damage, as it would be in a recording whose recorder closed or died.
        final boolean recorderOpen = RingBacklog.isOwnerAlive(recording.resolve(RecordingDirectoryLayout.RING_FILE));
        if (threads > 1 && !recorderOpen)
        {
            final PartitionedExport.Outcome exported = PartitionedExport.export(recording, root, threads, progress);
            if (null != exported)
            {
                return exported.result();
            }
        }

        return exportSerially(recording, root, recorderOpen, progress);
    }

    /**
     * Export the recordings of one job's ranks (one recorder each) into {@code root} as one export: each family's files,
     * one summary. A run id two recordings both hold is two runs, in two files (see {@link MergedExport}); the result
     * does not depend on the order of {@code recordings}. One recording is {@link #export(Path, Path, int,
     * LongConsumer)}.
     *
     * @param recordings the recordings, at least one.
     * @param root       the export root.
     * @param threads    for one recording: threads that may share its families. Several are read one at a time.
     * @param progress   told the records read about every million, all recordings' together.
     * @return what was exported, summed over the recordings.
     * @throws RecordingException when one of {@code recordings} is not a recording: nothing is written.
     */
    public static Result export(final List<Path> recordings, final Path root, final int threads,
        final LongConsumer progress) throws IOException
    {
        if (recordings.isEmpty())
        {
            throw new IllegalArgumentException("no recording to export");
        }
        if (recordings.size() == 1)
        {
            return export(recordings.get(0), root, threads, progress);
        }
        final Map<Path, Path> given = new HashMap<>();
        for (final Path recording : recordings)
        {
            RecordingReader.requireRecording(recording);
            final Path again = given.put(recording.toRealPath(), recording);
            if (null != again)
            {
                throw new RecordingException(recording + ": given twice (as " + again + " too): each recording is " +
                    "exported once");
            }
        }
        return MergedExport.export(recordings, root, progress);
    }

    /**
     * {@link #export(List, Path, int, LongConsumer)} on one thread, the summary naming each recording by its entry in
     * {@code names} instead of its directory: for recordings rebuilt elsewhere (from a Kafka topic) that the summary
     * names where they were recorded, so it reads as the export of the originals.
     */
    public static Result export(final List<Path> recordings, final List<String> names, final Path root,
        final LongConsumer progress) throws IOException
    {
        if (recordings.isEmpty() || recordings.size() != names.size())
        {
            throw new IllegalArgumentException("need a name for each of at least one recording: recordings=" +
                recordings.size() + " names=" + names.size());
        }
        return MergedExport.export(recordings, names, root, progress);
    }

    private static Result exportSerially(final Path recording, final Path root, final boolean recorderOpen,
        final LongConsumer progress) throws IOException
    {
        try (RecordingReader reader = RecordingReader.open(recording);
            FamilyExports families = new FamilyExports(root, false))
        {
            readInto(families, reader, recorderOpen, 0, progress);
            return finish(recording, root, reader, families.commit(), families.unknownRecords());
        }
    }

    /**
     * Read the whole of a recording into {@code families}, telling {@code progress} about every
     * {@value #PROGRESS_INTERVAL} records.
     *
     * @param recorderOpen a recorder still writes it: its last excerpt, open, ends what is there rather than being
     *                     damage.
     * @param progressBase records read before this recording (of others exported with it).
     */
    static void readInto(final FamilyExports families, final RecordingReader reader, final boolean recorderOpen,
        final long progressBase, final LongConsumer progress) throws IOException
    {
        final RecordingReader.RecordHandler handler = new RecordingReader.RecordHandler()
        {
            private long next = PROGRESS_INTERVAL;

            public void onRecord(final int templateId, final DirectBuffer buffer, final int offset,
                final int length, final Symbols symbols)
            {
                families.onRecord(templateId, buffer, offset, length, symbols);
                if (reader.records() >= next)
                {
                    next += PROGRESS_INTERVAL;
                    progress.accept(progressBase + reader.records());
                }
            }

            public void onSessionStart(final RecordingReader.Session session)
            {
                families.onSessionStart(session);
            }

            public void onSessionEnd(final RecordingReader.Session session)
            {
                families.onSessionEnd(session);
            }
        };
        if (recorderOpen)
        {
            reader.read(handler);
            reader.endSession(handler);
        }
        else
        {
            reader.readAll(handler);
        }
    }

    /**
     * What {@link #follow} asks of its caller.
     */
    public interface FollowControl
    {
        /**
         * @return whether the user asked to stop (interrupted): the follow exports what is in the queue now and ends.
         */
        boolean stopRequested();

        /**
         * Wait before looking for new records again; return early when a stop is requested.
         */
        void idle() throws InterruptedException;

        /**
         * New records reached the files.
         *
         * @param records family records exported so far.
         */
        void exported(long records);
    }

    /**
     * Export {@code recording} into {@code root} while a recorder writes it: each family's files are written in place
     * and grow by whole lines as records reach the queue, until the recorder closes the recording (or dies), or the
     * caller asks to stop. Then the export ends as {@link #export} does: the summary is written, damage listed.
     *
     * @param recording the recording; it must exist (a recorder opened it).
     * @param root      the export root.
     * @param control   how to wait, and whether to stop.
     * @return what was exported.
     * @throws RecordingException when {@code recording} is not a recording.
     * @throws java.io.UncheckedIOException when the export cannot be written.
     */
    public static Result follow(final Path recording, final Path root, final FollowControl control)
        throws IOException, InterruptedException
    {
        final Path ringFile = recording.resolve(RecordingDirectoryLayout.RING_FILE);
        try (RecordingReader reader = RecordingReader.open(recording);
            FamilyExports families = new FamilyExports(root, true))
        {
            while (true)
            {
                // Looked at before reading: when the recorder had closed by then, this read sees all it wrote.
                final boolean recorderOpen = RingBacklog.isOwnerAlive(ringFile);
                final long read = reader.read(families);
                if (read > 0)
                {
                    families.flush();
                    control.exported(reader.records());
                }
                if (!recorderOpen)
                {
                    reader.readAll(families); // closed: the end of the last cycle file is checked like any other
                    break;
                }
                if (control.stopRequested())
                {
                    reader.endSession(families);
                    break;
                }
                if (0 == read)
                {
                    control.idle();
                }
            }
            return finish(recording, root, reader, families.commit(), families.unknownRecords());
        }
    }

    /**
     * The result of an export whose families' files are in place: the reader's findings and the summary file.
     *
     * @param reader  the reader that read the recording to its end.
     * @param files   the files committed, by family, in registry order.
     * @param unknown records of a template no family knows.
     */
    static Result finish(final Path recording, final Path root, final RecordingReader reader,
        final Map<String, List<FamilyExport.ExportedFile>> files, final long unknown) throws IOException
    {
        final List<String> damage = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final long damageCount = findings(recording, reader, unknown, damage, warnings);
        final Result result = new Result(reader.records() - unknown, files, reader.droppedRecords(), damage,
            unknown, reader.excerptBytes(), damageCount, warnings);
        writeSummary(root, result, g -> g.writeStringField("recording",
            recording.toAbsolutePath().normalize().toString()));
        return result;
    }

    /**
     * What the export of one recording found besides its records: the reader's damage and warnings, records of
     * types no family knows, and what {@code ring.dat} still holds.
     *
     * @return damaged parts found, added to {@code damage} (a line may stand for several).
     */
    static long findings(final Path recording, final RecordingReader reader, final long unknown,
        final List<String> damage, final List<String> warnings)
    {
        damage.addAll(reader.damage());
        long damageCount = reader.damageCount();
        if (unknown > 0)
        {
            damage.add(unknown + " records of a type this version does not know were skipped");
            damageCount++;
        }
        warnings.addAll(reader.warnings());
        final RingBacklog backlog = reader.ringBacklog();
        if (backlog != null)
        {
            // A backlog whose file is not a ring file any more has no lanes, records or bytes to report.
            if (backlog.problem() != null)
            {
                damage.add(backlog.path() + ": not a ring file any more (" + backlog.problem() + "): records it held " +
                    "that were not yet in the queue are lost; a recorder opening the recording moves it aside");
                damageCount++;
            }
            if (backlog.laneDamage() != null)
            {
                damage.add(backlog.path() + ": " + backlog.laneDamage() + ": records such a lane held that were not " +
                    "yet in the queue cannot be read; a recorder opening the recording discards them");
                damageCount++;
            }
            if (backlog.unframedBytes() > 0)
            {
                damage.add(backlog.path() + ": " + backlog.unframedBytes() + " bytes not yet in the queue cannot be " +
                    "framed as records; a recorder opening the recording discards them");
                damageCount++;
            }
            if (RingBacklog.isOwnerAlive(backlog.path()))
            {
                // Its drainer moves records from the ring to the queue while the export reads both, so what the ring
                // holds beyond the queue cannot be counted: say what the export is instead.
                warnings.add("a recorder has " + recording + " open and is still recording: this export holds what " +
                    "was in the queue when it was read, and records it drains after are not in it; export again when " +
                    "it has closed the recording, or follow it with 'blackbox export --follow'");
            }
            else if (backlog.records() > 0)
            {
                warnings.add(backlog.path() + " holds " + backlog.records() + " records (" + backlog.bytes() +
                    " bytes) not yet in the queue, left by a recorder that stopped before draining them; they are " +
                    "not in this export. Drain them with 'blackbox recover --recording " + recording + "' and export " +
                    "again");
            }
        }
        return damageCount;
    }

    /**
     * Writes what the summary says of the recordings exported.
     */
    @FunctionalInterface
    interface SummarySource
    {
        void write(JsonGenerator g) throws IOException;
    }

    static void writeSummary(final Path root, final Result result, final SummarySource source) throws IOException
    {
        try (JsonLinesWriter summary = new JsonLinesWriter(root.resolve(SUMMARY_FILE)))
        {
            final JsonGenerator g = summary.generator();
            g.writeStartObject();
            source.write(g);
            g.writeNumberField("records", result.records());
            g.writeNumberField("dropped_records", result.dropped());
            g.writeObjectFieldStart("families");
            for (final Map.Entry<String, List<FamilyExport.ExportedFile>> family : result.files().entrySet())
            {
                g.writeArrayFieldStart(family.getKey());
                for (final FamilyExport.ExportedFile file : family.getValue())
                {
                    g.writeStartObject();
                    g.writeStringField("file", root.relativize(file.path()).toString());
                    g.writeNumberField("records", file.records());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeNumberField("damage_count", result.damageCount());
            g.writeArrayFieldStart("damage");
            for (final String line : result.damage())
            {
                g.writeString(line);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("warnings");
            for (final String line : result.warnings())
            {
                g.writeString(line);
            }
            g.writeEndArray();
            g.writeEndObject();
            summary.endLine();
            summary.commit();
        }
    }
}
