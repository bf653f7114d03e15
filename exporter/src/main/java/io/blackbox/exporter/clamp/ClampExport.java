package io.blackbox.exporter.clamp;

import com.fasterxml.jackson.core.JsonGenerator;

import io.blackbox.codecs.ClampAnchorAcquiredDecoder;
import io.blackbox.codecs.ClampAnchorReleasedDecoder;
import io.blackbox.codecs.ClampRecordDecoder;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.RecordDecoding;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.RunFileNames;
import io.blackbox.exporter.RunJsonLines;
import io.blackbox.exporter.Symbols;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Clamp export: each recorder session's anchors as one session file,
 * {@code ROOT/build/telemetry/clamp_run_<YYYYMMDDTHHMMSSZ>.json} (the session's start, the original's name;
 * {@code _2}, {@code _3} ... before {@code .json} for a later session that began in the same second), laid out by
 * {@link ClampSessionFile}; imported records as the file they came from ({@code ROOT/build/telemetry/<its name>}).
 * <p>
 * Records are in the order the anchors were taken. An acquisition and its release are paired by the anchor's number
 * in its run. Times are written to the millisecond,
 * as {@code duration_ms}'s 3 decimals are; {@code released_at} is {@code acquired_at} plus the measured duration, so
 * the two never disagree. An anchor without a release when its session ends (held when the process died) is written
 * in flight: {@code released_at} null, {@code duration_ms} 0.000 and {@code stability_score} 0.0 (its cycle did not
 * end, so it was not a stable one; the file's mean counts it). A release whose acquisition is not in the session (lost
 * to damage) is damage. A session with no anchor writes no file.
 * <p>
 * Files are documents, whole only at their session's end: they are written then, to a temporary file moved into place
 * on {@link #commit()} (or at once for a live export).
 * <p>
 * As a line export ({@link #ClampExport(RunJsonLines)}: {@code print --json}, the summary's estimate, the report) each
 * entry of the session file is a line as soon as it is whole: an anchor's at its release, an imported record's at
 * once, an anchor in flight at its session's end; nothing is written.
 */
public final class ClampExport implements FamilyExport
{
    public static final int FIRST_TEMPLATE_ID = 50;
    public static final int LAST_TEMPLATE_ID = 69;

    private final Path directory;
    private final boolean live;
    /** Where entries go as lines, in a line export; null for the files. */
    private final RunJsonLines lines;
    private final StringBuilder entry = new StringBuilder(256);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ClampAnchorAcquiredDecoder acquired = new ClampAnchorAcquiredDecoder();
    private final ClampAnchorReleasedDecoder released = new ClampAnchorReleasedDecoder();
    private final ClampRecordDecoder imported = new ClampRecordDecoder();

    private final List<Anchor> anchors = new ArrayList<>();
    private final Map<String, Anchor> open = new LinkedHashMap<>();
    private final Map<String, List<ClampRecordValue>> importedByFile = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();
    private final List<Pending> pending = new ArrayList<>();
    private final List<ExportedFile> written = new ArrayList<>();

    /** An anchor of the session being read. */
    private static final class Anchor
    {
        String run;
        String context;
        long seed;
        long threadId;
        long acquiredAt;
        long durationNanos = -1;
        double stabilityScore;
    }

    /** A file written to its temporary name, moved into place on commit. */
    private record Pending(Path temporary, Path target, long records, long sourceRecords)
    {
    }

    /**
     * @param root the export root; files go to {@code root/build/telemetry/}.
     * @param live whether files are moved into place as soon as their session ends.
     */
    public ClampExport(final Path root, final boolean live)
    {
        this.directory = root.resolve(ClampWire.TELEMETRY_DIRECTORY);
        this.live = live;
        this.lines = null;
    }

    /**
     * A line export: each entry a line of its run, to {@code lines}' sink.
     *
     * @param lines where the entries go.
     */
    ClampExport(final RunJsonLines lines)
    {
        this.directory = null;
        this.live = true;
        this.lines = lines;
    }

    public void onSessionStart(final RecordingReader.Session started)
    {
        // the session's anchors start empty: onSessionEnd wrote the last one's
    }

    public void onRecord(final int templateId, final DirectBuffer buffer, final int offset, final int length,
        final Symbols symbols)
    {
        header.wrap(buffer, offset);
        final int end = offset + length;
        switch (templateId)
        {
            case ClampAnchorAcquiredDecoder.TEMPLATE_ID:
            {
                RecordDecoding.requireBlock(header, "anchorAcquired", ClampAnchorAcquiredDecoder.BLOCK_LENGTH, offset,
                    end);
                final ClampAnchorAcquiredDecoder d = acquired.wrapAndApplyHeader(buffer, offset, header);
                final Anchor anchor = new Anchor();
                anchor.run = RecordDecoding.symbol(symbols, d.run(), "run");
                anchor.context = RecordDecoding.symbol(symbols, d.context(), "context");
                anchor.seed = d.seed();
                anchor.threadId = d.threadId();
                anchor.acquiredAt = d.timestamp();
                final String key = anchor.run + '\0' + d.anchor();
                if (null != open.putIfAbsent(key, anchor))
                {
                    throw new RecordingException("anchor: " + d.anchor() + " acquired twice in its run");
                }
                if (null == lines)
                {
                    anchors.add(anchor);
                }
                break;
            }

            case ClampAnchorReleasedDecoder.TEMPLATE_ID:
            {
                RecordDecoding.requireBlock(header, "anchorReleased", ClampAnchorReleasedDecoder.BLOCK_LENGTH, offset,
                    end);
                final ClampAnchorReleasedDecoder d = released.wrapAndApplyHeader(buffer, offset, header);
                final Anchor anchor = open.remove(RecordDecoding.symbol(symbols, d.run(), "run") + '\0' + d.anchor());
                if (null == anchor)
                {
                    throw new RecordingException("anchor: " + d.anchor() + " released, but its acquisition is not " +
                        "in the session (lost to damage?)");
                }
                anchor.durationNanos = Math.max(0, d.durationNanos());
                anchor.stabilityScore = d.stabilityScore();
                if (null != lines)
                {
                    line(anchor.run, value(anchor));
                }
                break;
            }

            case ClampRecordDecoder.TEMPLATE_ID:
            {
                RecordDecoding.requireBlock(header, "record", ClampRecordDecoder.BLOCK_LENGTH, offset, end);
                final ClampRecordDecoder d = imported.wrapAndApplyHeader(buffer, offset, header);
                final String file = RecordDecoding.symbol(symbols, d.file(), "file");
                final ClampRecordValue value = new ClampRecordValue(
                    RecordDecoding.symbol(symbols, d.context(), "context"), d.seed(),
                    RecordDecoding.symbol(symbols, d.threadId(), "threadId"), d.acquiredAt(),
                    d.fields().released() ? d.releasedAt() : null, d.durationMs(), d.stabilityScore());
                if (null != lines)
                {
                    line(RecordDecoding.symbol(symbols, d.run(), "run"), value);
                }
                else
                {
                    importedByFile.computeIfAbsent(file, f -> new ArrayList<>()).add(value);
                }
                break;
            }

            default:
                throw new RecordingException("unknown clamp template " + templateId);
        }
    }

    public void onSessionEnd(final RecordingReader.Session ended)
    {
        if (null != lines)
        {
            // The anchors still held when the session ended, in the order they were taken.
            final List<Anchor> inFlight = new ArrayList<>(open.values());
            inFlight.sort(java.util.Comparator.comparingLong(anchor -> anchor.acquiredAt));
            for (final Anchor anchor : inFlight)
            {
                line(anchor.run, value(anchor));
            }
            open.clear();
            return;
        }
        if (!anchors.isEmpty())
        {
            // In the order the anchors were taken, as the original appends them under its lock: the drainer takes
            // the emitters' lanes in turn, so the recording's order is by lane, not by time.
            anchors.sort(java.util.Comparator.comparingLong(anchor -> anchor.acquiredAt));
            final List<ClampRecordValue> records = new ArrayList<>(anchors.size());
            for (final Anchor anchor : anchors)
            {
                records.add(value(anchor));
            }
            final long start = null == ended || 0 == ended.timestampNanos() ?
                anchors.get(0).acquiredAt : ended.timestampNanos();
            // A released anchor is two of the recording's records, one in flight one.
            final long sourceRecords = 2L * records.size() - records.stream().filter(r -> null == r.releasedAt()).count();
            write(ClampWire.sessionFileName(ClampWire.instant(start)), records, sourceRecords);
        }
        for (final Map.Entry<String, List<ClampRecordValue>> file : importedByFile.entrySet())
        {
            write(file.getKey(), file.getValue(), file.getValue().size());
        }
        anchors.clear();
        open.clear();
        importedByFile.clear();
    }

    /**
     * @return the anchor as its session file's entry: times to the millisecond, {@code released_at} the acquisition
     * plus the duration; in flight, no release, a duration of 0 and a score of 0.
     */
    private static ClampRecordValue value(final Anchor anchor)
    {
        final long acquiredAt = ClampWire.toMillisecond(anchor.acquiredAt);
        final boolean inFlight = anchor.durationNanos < 0;
        return new ClampRecordValue(anchor.context, anchor.seed, Long.toString(anchor.threadId), acquiredAt,
            inFlight ? null : ClampWire.toMillisecond(anchor.acquiredAt + anchor.durationNanos),
            inFlight ? 0.0 : anchor.durationNanos / 1e6, inFlight ? 0.0 : anchor.stabilityScore);
    }

    private void line(final String run, final ClampRecordValue value)
    {
        entry.setLength(0);
        ClampSessionFile.appendRecord(entry, value);
        final JsonGenerator g = lines.beginLine(run);
        try
        {
            g.writeRaw(entry.toString());
            lines.endLine();
        }
        catch (final IOException ex)
        {
            lines.discardLine();
            throw new UncheckedIOException(ex);
        }
    }

    private void write(final String name, final List<ClampRecordValue> records, final long sourceRecords)
    {
        final String unique = unique(name);
        final Path target = directory.resolve(RunFileNames.encode(unique.substring(0, unique.length() - 5)) + ".json");
        final Path temporary = live ? target : target.resolveSibling("." + target.getFileName() + ".tmp");
        ClampSessionFile.write(temporary, records);
        if (live)
        {
            written.add(new ExportedFile(target, records.size(), sourceRecords));
        }
        else
        {
            pending.add(new Pending(temporary, target, records.size(), sourceRecords));
        }
    }

    /**
     * @return {@code name} (which ends in {@code .json}), or with {@code _2}, {@code _3} ... before its
     * {@code .json} when this export wrote that name already.
     */
    private String unique(final String name)
    {
        final String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        String candidate = stem + ".json";
        for (int n = 2; !names.add(candidate); n++)
        {
            candidate = stem + "_" + n + ".json";
        }
        return candidate;
    }

    public void flush()
    {
        // documents are written at their session's end
    }

    public List<ExportedFile> commit() throws IOException
    {
        if (null != lines)
        {
            onSessionEnd(null);
            return List.of();
        }
        // A reader that stopped inside a session (a recording still being written) never ended it: its anchors so far
        // are the session's file, those still held in flight.
        if (!anchors.isEmpty() || !importedByFile.isEmpty())
        {
            onSessionEnd(null);
        }
        for (final Pending file : pending)
        {
            try
            {
                Files.move(file.temporary(), file.target(), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(file.temporary(), file.target(), StandardCopyOption.REPLACE_EXISTING);
            }
            written.add(new ExportedFile(file.target(), file.records(), file.sourceRecords()));
        }
        pending.clear();
        return List.copyOf(written);
    }

    public void close()
    {
        for (final Pending file : pending)
        {
            try
            {
                Files.deleteIfExists(file.temporary());
            }
            catch (final IOException ignore)
            {
                // best effort: a stale hidden .tmp file is harmless and replaced next time
            }
        }
        pending.clear();
    }
}
