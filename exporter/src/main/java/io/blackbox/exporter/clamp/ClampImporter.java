package io.blackbox.exporter.clamp;

import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.family.FamilyImporter;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.clamp.ClampEmitter;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads a Clamp session file back into a recording, so that export gives the same records under the same file name
 * ({@code ROOT/build/telemetry/<its name>}): every record's values as the file had them, times at the precision it
 * wrote them, in its order. A file with any problem ({@link ClampSessionFile#read}: the validator's rules) imports
 * nothing (a missing file-level {@code stability_score} excepted: the export computes it). Its layout is the export's (one record a line, {@code duration_ms} with 3 decimals), so a file written
 * otherwise (the original's pretty-printed samples) comes back with the same records in the export's layout.
 */
public final class ClampImporter
{
    /** The run imported records are recorded under: the export groups them by file, not run. */
    static final String RUN = "clamp-import";

    private ClampImporter()
    {
    }

    /**
     * @return the file's problems; empty when {@link #importFile} records every record.
     */
    public static List<Problem> check(final Path file)
    {
        return ClampSessionFile.problemsButMissingScore(ClampSessionFile.read(file));
    }

    /**
     * Import a file that {@link #check} found no problem in.
     */
    public static FamilyImporter.Imported importFile(final Recorder recorder, final Path file)
    {
        final ClampSessionFile.Contents contents = ClampSessionFile.read(file);
        final List<Problem> problems = ClampSessionFile.problemsButMissingScore(contents);
        if (!problems.isEmpty())
        {
            throw new RecordingException("changed while importing: " + problems.get(0));
        }
        long records = 0;
        try (ClampEmitter clamp = recorder.emitter(ClampEmitter::new, RUN))
        {
            final int name = clamp.symbol(file.getFileName().toString());
            for (final ClampRecordValue r : contents.records())
            {
                if (!clamp.importRecord(name, clamp.symbol(r.context()), clamp.symbol(r.threadId()), r.seed(),
                    r.acquiredAt(), null == r.releasedAt() ? Long.MIN_VALUE : r.releasedAt(), r.durationMs(),
                    r.stabilityScore()))
                {
                    throw new RecordingException(file + ": record " + (records + 1) + " not recorded (the recorder " +
                        "refused it: closed, or out of space)");
                }
                records++;
            }
        }
        return new FamilyImporter.Imported(records, 1);
    }
}
