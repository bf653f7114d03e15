package io.blackbox.exporter;

import com.fasterxml.jackson.core.JsonGenerator;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongConsumer;

/**
 * Exports the recordings of one job (one recorder per rank, each its own directory) into one export root, as if they
 * were one recording: each family's files under the root, one summary.
 * <p>
 * A run is recorded by one process, so each file holds one recording's records, in that recording's order (for a run,
 * the order of its emits). The recordings are read one after another through one {@link FamilyExports}, ordered by
 * rank, then by when their first session began (recordings without a rank after those with one), then as given:
 * the export does not depend on the order of the command line. Each recording is a source
 * ({@link FamilyExport#beginSource}): a run id two ranks both recorded is two runs, written to two files, the later
 * rank's named with its label ({@code job.rank-1.jsonl}); a family whose files are one per session (Clamp) writes
 * each session's document as it would for one recording, naming those that began in the same second apart.
 * <p>
 * The summary lists the recordings in that order with their rank, world size and host, and warns when the ranks read
 * are not the whole of a job (a rank missing, given twice, or two world sizes).
 */
final class MergedExport
{
    /** Missing ranks a warning names; past that it counts them. */
    static final int MISSING_RANKS_SHOWN = 16;

    /** The first session of a recording, read before its export to order it. */
    record Source(Path recording, String name, RecordingReader.Session firstSession, int given)
    {
        boolean hasRank()
        {
            return null != firstSession && firstSession.hasRank();
        }
    }

    private MergedExport()
    {
    }

    static RecordingExport.Result export(final List<Path> recordings, final Path root, final LongConsumer progress)
        throws IOException
    {
        final List<String> names = new ArrayList<>(recordings.size());
        for (final Path recording : recordings)
        {
            names.add(recording.toAbsolutePath().normalize().toString());
        }
        return export(recordings, names, root, progress);
    }

    /**
     * {@link #export(List, Path, LongConsumer)} of recordings the summary names otherwise than by their directory
     * (recordings rebuilt from a topic are named where they were shipped from). One recording's summary is that of
     * {@link RecordingExport#export(Path, Path)}.
     */
    static RecordingExport.Result export(final List<Path> recordings, final List<String> names, final Path root,
        final LongConsumer progress) throws IOException
    {
        final List<Source> sources = new ArrayList<>(recordings.size());
        for (int i = 0; i < recordings.size(); i++)
        {
            sources.add(new Source(recordings.get(i), names.get(i), RecordingReader.firstSession(recordings.get(i)), i));
        }
        sources.sort(ORDER);
        final List<String> labels = labels(sources);

        final List<String> damage = new ArrayList<>();
        final List<String> warnings = new ArrayList<>(sources.size() > 1 ? rankWarnings(sources) : List.of());
        long records = 0;
        long dropped = 0;
        long unknown = 0;
        long dataBytes = 0;
        long damageCount = 0;
        final long[] perSource = new long[sources.size()];
        try (FamilyExports families = new FamilyExports(root, false))
        {
            for (int i = 0; i < sources.size(); i++)
            {
                final Path recording = sources.get(i).recording();
                final long unknownBefore = families.unknownRecords();
                try (RecordingReader reader = RecordingReader.open(recording))
                {
                    families.beginSource(i, labels.get(i));
                    RecordingExport.readInto(families, reader,
                        RingBacklog.isOwnerAlive(recording.resolve(RecordingDirectoryLayout.RING_FILE)), records,
                        progress);
                    final long unknownHere = families.unknownRecords() - unknownBefore;
                    damageCount += RecordingExport.findings(recording, reader, unknownHere, damage, warnings);
                    perSource[i] = reader.records() - unknownHere;
                    records += perSource[i];
                    dropped += reader.droppedRecords();
                    unknown += unknownHere;
                    dataBytes += reader.excerptBytes();
                }
            }
            final RecordingExport.Result result = new RecordingExport.Result(records, families.commit(), dropped,
                damage, unknown, dataBytes, damageCount, warnings);
            if (sources.size() == 1)
            {
                RecordingExport.writeSummary(root, result, g -> g.writeStringField("recording", sources.get(0).name()));
            }
            else
            {
                RecordingExport.writeSummary(root, result, g -> writeSources(g, sources, perSource));
            }
            return result;
        }
    }

    private static final Comparator<Source> ORDER = Comparator
        .comparing((Source source) -> !source.hasRank())
        .thenComparingInt(source -> source.hasRank() ? source.firstSession().rank() : 0)
        .thenComparingLong(source -> null == source.firstSession() ? Long.MAX_VALUE :
            source.firstSession().timestampNanos())
        .thenComparingInt(Source::given);

    /**
     * @return each source's label, in order: {@code rank-R}, or {@code recording-N} (N its place in the export,
     * from 1) without a rank; a label two sources would share gets the place too.
     */
    static List<String> labels(final List<Source> sources)
    {
        final Map<String, Integer> uses = new HashMap<>();
        final List<String> plain = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++)
        {
            final Source source = sources.get(i);
            final String label = source.hasRank() ? "rank-" + source.firstSession().rank() : "recording-" + (i + 1);
            plain.add(label);
            uses.merge(label, 1, Integer::sum);
        }
        final List<String> labels = new ArrayList<>(sources.size());
        for (int i = 0; i < plain.size(); i++)
        {
            labels.add(uses.get(plain.get(i)) > 1 ? plain.get(i) + "-" + (i + 1) : plain.get(i));
        }
        return labels;
    }

    /**
     * @return what the user should know when the recordings are not one job's ranks, each once.
     */
    static List<String> rankWarnings(final List<Source> sources)
    {
        final List<String> warnings = new ArrayList<>();
        final TreeSet<Integer> worldSizes = new TreeSet<>();
        final Map<Integer, List<String>> byRank = new HashMap<>();
        final List<String> unranked = new ArrayList<>();
        for (final Source source : sources)
        {
            if (source.hasRank())
            {
                worldSizes.add(source.firstSession().worldSize());
                byRank.computeIfAbsent(source.firstSession().rank(), rank -> new ArrayList<>()).add(source.name());
            }
            else
            {
                unranked.add(source.name());
            }
        }
        if (!unranked.isEmpty() && !byRank.isEmpty())
        {
            warnings.add("recordings without a rank exported with ranked ones: " + unranked);
        }
        if (worldSizes.size() > 1)
        {
            warnings.add("the recordings say different world sizes: " + worldSizes + "; are they one job?");
        }
        byRank.entrySet().stream().filter(entry -> entry.getValue().size() > 1).sorted(Map.Entry.comparingByKey())
            .forEach(entry -> warnings.add("rank " + entry.getKey() + " is in " + entry.getValue().size() +
                " recordings: " + entry.getValue()));
        if (worldSizes.size() == 1)
        {
            final List<Integer> missing = new ArrayList<>();
            for (int rank = 0; rank < worldSizes.first(); rank++)
            {
                if (!byRank.containsKey(rank))
                {
                    missing.add(rank);
                }
            }
            if (!missing.isEmpty())
            {
                final int shown = Math.min(missing.size(), MISSING_RANKS_SHOWN);
                warnings.add("the job has " + worldSizes.first() + " ranks; no recording of rank" +
                    (missing.size() > 1 ? "s " : " ") + missing.subList(0, shown) +
                    (shown < missing.size() ? " and " + (missing.size() - shown) + " more" : "") +
                    " was given: this export is part of the job");
            }
        }
        return warnings;
    }

    private static void writeSources(final JsonGenerator g, final List<Source> sources, final long[] records)
        throws IOException
    {
        g.writeArrayFieldStart("recordings");
        for (int i = 0; i < sources.size(); i++)
        {
            final Source source = sources.get(i);
            g.writeStartObject();
            g.writeStringField("recording", source.name());
            g.writeNumberField("records", records[i]);
            final RecordingReader.Session session = source.firstSession();
            if (null != session && session.hasRank())
            {
                g.writeNumberField("rank", session.rank());
                g.writeNumberField("world_size", session.worldSize());
                if (session.localRank() != RecordingReader.Session.NO_RANK)
                {
                    g.writeNumberField("local_rank", session.localRank());
                }
            }
            if (null != session && !session.host().isEmpty())
            {
                g.writeStringField("host", session.host());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
