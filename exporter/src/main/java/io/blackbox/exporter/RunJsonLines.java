package io.blackbox.exporter;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One JSONL file per run in a directory ({@code <run_id>.jsonl}, the run id made a plain file name by
 * {@link RunFileNames}), written a line at a time: a line is begun, written by a family's export, and then either
 * ended (it goes to its file) or discarded whole, so a record that fails part-way leaves no trace. Files appear whole
 * on {@link #commit()} ({@link JsonLinesWriter}), or, live, grow by whole lines as {@link #flush()} pushes them.
 * <p>
 * Run ids are case-sensitive ({@code Run} and {@code run} are two runs) and so are their file names. On a file system
 * that ignores case (macOS's and Windows' defaults) two such runs would share one file, the second replacing the
 * first or, live, interleaving with it: there the second run's first line is refused with a {@link RecordingException}
 * naming both run ids, and the export writes nothing. On a case-sensitive file system each run gets its own file, as
 * the specifications name them.
 * <p>
 * An export of several recordings (the ranks of one job, {@link MergedExport}) gives each recording a source
 * ({@link #source}): a run is a run id within a source, so a run id two ranks both recorded is two runs, never one
 * file of interleaved lines. The first source to write a run id keeps its plain name; a later one's file is named
 * with its source's label, {@code <run>.<label>.jsonl} (for example {@code job-7.rank-1.jsonl}).
 */
public final class RunJsonLines implements AutoCloseable
{
    /**
     * How a run id becomes a file under the directory.
     */
    public enum Naming
    {
        /** One file per run, the whole id one name: {@code a/b} is {@code a%2Fb.jsonl} ({@link RunFileNames#encode}). */
        FLAT,
        /** The id's {@code /}-separated segments are folders: {@code a/b} is {@code a/b.jsonl}
         * ({@link RunFileNames#encodePath}, never outside the directory). */
        FOLDERS
    }

    /**
     * Receives the lines of a {@link #RunJsonLines(Path, RunLineSink) sink}'s runs, each whole, in the order ended.
     */
    @FunctionalInterface
    public interface RunLineSink
    {
        /**
         * @param runId  the line's run.
         * @param file   the file the line would be written to.
         * @param bytes  holding the line, its newline included; valid during the call only.
         * @param offset of the line's first byte.
         * @param length of the line, newline included.
         */
        void line(String runId, Path file, byte[] bytes, int offset, int length);
    }

    private final Path directory;
    private final boolean live;
    private final Naming naming;
    private final RunLineSink sink;
    /** The files of each source's runs, by run id; the current source's is {@link #files}. */
    private final List<Map<String, JsonLinesWriter>> filesBySource = new ArrayList<>();
    private Map<String, JsonLinesWriter> files = new HashMap<>();
    private String sourceLabel = "";
    /** Every file's path relative to the directory: a later source's run whose plain name is taken is qualified. */
    private final Map<String, JsonLinesWriter> fileByName = new HashMap<>();
    private final List<JsonLinesWriter> order = new ArrayList<>();
    /** Run id by its file's path relative to the directory in lower case: finds ids whose files differ only in case. */
    private final Map<String, String> runIdByFoldedName = new HashMap<>();
    /** Whether the directory's file system ignores case: null until a pair of names asks. */
    private Boolean caseInsensitive;

    private String lastRunId;
    private JsonLinesWriter lastFile;
    /** The file a line is being written to, between {@link #beginLine} and {@link #endLine}. */
    private JsonLinesWriter writing;

    /**
     * @param directory where the files go.
     */
    public RunJsonLines(final Path directory)
    {
        this(directory, false);
    }

    /**
     * @param directory where the files go.
     * @param live      whether files are written in place and grow by whole lines ({@link JsonLinesWriter#live}).
     */
    public RunJsonLines(final Path directory, final boolean live)
    {
        this(directory, live, Naming.FLAT);
    }

    /**
     * @param directory where the files go.
     * @param live      whether files are written in place and grow by whole lines ({@link JsonLinesWriter#live}).
     * @param naming    how a run id becomes a file under {@code directory}.
     */
    public RunJsonLines(final Path directory, final boolean live, final Naming naming)
    {
        this.directory = directory;
        this.live = live;
        this.naming = naming;
        this.sink = null;
    }

    /**
     * Lines that go to {@code sink} as they are ended, not to files: nothing is created under {@code directory}, which
     * only names the files the lines would go to.
     *
     * @param directory where the files would go.
     * @param sink      receives each line ended.
     */
    public RunJsonLines(final Path directory, final RunLineSink sink)
    {
        this(directory, Naming.FLAT, sink);
    }

    /**
     * Lines that go to {@code sink} as they are ended, not to files, for a family whose files are named by
     * {@code naming}.
     *
     * @param directory where the files would go.
     * @param naming    how a run id becomes a file under {@code directory}.
     * @param sink      receives each line ended.
     */
    public RunJsonLines(final Path directory, final Naming naming, final RunLineSink sink)
    {
        this.directory = directory;
        this.live = true;
        this.naming = naming;
        this.sink = sink;
    }

    /**
     * The lines begun from now on are of source {@code source}'s runs (each of an export's recordings is a source;
     * 0 until this is called).
     *
     * @param source the source's index, 0 or more.
     * @param label  what names a file of a run id an earlier source also wrote: {@code rank-1}.
     */
    public void source(final int source, final String label)
    {
        while (filesBySource.size() <= source)
        {
            filesBySource.add(filesBySource.isEmpty() ? files : new HashMap<>());
        }
        files = filesBySource.get(source);
        sourceLabel = label;
        lastRunId = null;
        lastFile = null;
    }

    /**
     * Begin a line in the run's file, opening the file for the run's first line.
     *
     * @return the generator to write the line's object with.
     * @throws RecordingException naming the field {@code run} when the run id cannot be a file name.
     */
    public JsonGenerator beginLine(final String runId)
    {
        JsonLinesWriter file = lastFile;
        if (!runId.equals(lastRunId))
        {
            file = files.get(runId);
            if (file == null)
            {
                final String name = fileName(runId);
                final Path target = directory.resolve(name);
                if (null != sink)
                {
                    file = JsonLinesWriter.toSink(target,
                        (bytes, offset, length) -> sink.line(runId, target, bytes, offset, length));
                }
                else
                {
                    refuseCaseCollision(runId, name);
                    file = live ? JsonLinesWriter.live(target) : new JsonLinesWriter(target);
                }
                files.put(runId, file);
                fileByName.put(name, file);
                order.add(file);
            }
            lastRunId = runId;
            lastFile = file;
        }
        writing = file;
        return file.generator();
    }

    /**
     * @return the file name, relative to the directory, of a run id new to the current source: its plain name, or,
     * when an earlier source's run has that, the name qualified by this source's label.
     * @throws RecordingException naming the field {@code run} when the run id cannot be a file name, or its qualified
     *                            name is taken too (another run id is that name).
     */
    private String fileName(final String runId)
    {
        final String plain = fileName(runId, "");
        if (!fileByName.containsKey(plain))
        {
            return plain;
        }
        final String qualified = fileName(runId, "." + sourceLabel);
        if (sourceLabel.isEmpty() || fileByName.containsKey(qualified))
        {
            throw new RecordingException("run: run id " + QuotedText.quote(runId) + " of " +
                (sourceLabel.isEmpty() ? "this recording" : sourceLabel) + " would be written to " + qualified +
                ", which another run's lines already go to");
        }
        return qualified;
    }

    private String fileName(final String runId, final String suffix)
    {
        try
        {
            return (Naming.FLAT == naming ? RunFileNames.encode(runId) : RunFileNames.encodePath(runId)) + suffix +
                ".jsonl";
        }
        catch (final IllegalArgumentException ex)
        {
            // Too long for a file name, or not Unicode: a recorder takes any run id; this one cannot be a file.
            throw new RecordingException("run: " + ex.getMessage());
        }
    }

    /**
     * @throws RecordingException naming the field {@code run} when an earlier run's file name differs from
     *                            {@code name} only in letter case and the directory's file system ignores case.
     */
    private void refuseCaseCollision(final String runId, final String name)
    {
        final String folded = name.toLowerCase(Locale.ROOT); // names are ASCII (RunFileNames): an exact fold
        final String other = runIdByFoldedName.putIfAbsent(folded, runId);
        if (other == null)
        {
            return;
        }
        if (caseInsensitive == null)
        {
            caseInsensitive = ignoresCase(directory);
        }
        if (caseInsensitive)
        {
            throw new RecordingException("run: run ids " + QuotedText.quote(other) + " and " + QuotedText.quote(runId) +
                " differ only in letter case, and the file system of " + directory + " ignores case: both would be " +
                "written to " + name + " (export to a case-sensitive file system, or record distinct run ids)");
        }
    }

    /**
     * Whether names that differ only in case are one file in {@code directory}: create a file with a lower-case name
     * and look for it by its upper-case name.
     */
    static boolean ignoresCase(final Path directory)
    {
        try
        {
            Files.createDirectories(directory);
            final Path probe = Files.createTempFile(directory, ".blackbox-case-", ".probe");
            try
            {
                final String name = probe.getFileName().toString();
                return Files.exists(directory.resolve(name.toUpperCase(Locale.ROOT)));
            }
            finally
            {
                Files.deleteIfExists(probe);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + directory + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * End the line begun: it goes to its file.
     */
    public void endLine() throws IOException
    {
        writing.endLine();
        writing = null;
    }

    /**
     * Drop what was written of the line begun, if one was; a file with no line yet goes too, as if its run's record
     * had never come.
     */
    public void discardLine()
    {
        final JsonLinesWriter file = writing;
        if (file == null)
        {
            return;
        }
        writing = null;
        file.discardLine();
        if (file.lines() == 0)
        {
            file.close();
            runIdByFoldedName.values().remove(lastRunId);
            files.values().remove(file);
            fileByName.values().remove(file);
            order.remove(file);
            lastRunId = null;
            lastFile = null;
        }
    }

    /**
     * Push the lines ended so far to their files: a live file grows by them.
     */
    public void flush() throws IOException
    {
        for (final JsonLinesWriter file : order)
        {
            file.flush();
        }
    }

    /**
     * Finish every file and move it into place.
     *
     * @return the files written.
     */
    public List<FamilyExport.ExportedFile> commit() throws IOException
    {
        final List<FamilyExport.ExportedFile> written = new ArrayList<>(order.size());
        for (final JsonLinesWriter file : order)
        {
            file.commit();
            written.add(new FamilyExport.ExportedFile(file.target(), file.lines()));
        }
        return written;
    }

    /**
     * Discard the files not committed.
     */
    @Override
    public void close()
    {
        for (final JsonLinesWriter file : order)
        {
            file.close();
        }
    }
}
