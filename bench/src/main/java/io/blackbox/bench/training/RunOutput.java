package io.blackbox.bench.training;

import com.fasterxml.jackson.core.JsonGenerator;
import io.blackbox.bench.gradience.JsonLinesState;
import io.blackbox.recorder.CalibratedEpochNanoClock;
import io.blackbox.recorder.JsonValues;
import io.blackbox.recorder.Recorder;
import jdk.jfr.Event;
import jdk.jfr.Recording;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where one training run's records go in its {@link RecordingMode}, opened and closed alike for every program: a
 * Blackbox {@link Recorder} on a new directory, a started JFR {@link Recording} of the program's event to a new file,
 * or a Jackson generator over a 64 KiB buffer on a new file (with the clock its lines' {@code ts} come from), or
 * nothing. The program's telemetry ({@link RunTelemetry}, {@link PpoTelemetry}) writes into them; what it writes is
 * its own.
 */
final class RunOutput implements AutoCloseable
{
    /** Where the run records, null for {@code off}. */
    final Path path;
    /** {@code blackbox}'s recorder, else null. */
    final Recorder recorder;
    /** {@code jfr}'s recording, else null. */
    final Recording jfr;
    /** {@code jsonl}'s generator, one object per line, else null. */
    final JsonGenerator json;
    /** {@code jsonl}'s clock for the lines' {@code ts}, else null. */
    final CalibratedEpochNanoClock clock;
    private final OutputStream jsonOut;
    private long notRecorded;

    private RunOutput(final Path path, final Recorder recorder, final Recording jfr, final OutputStream jsonOut)
        throws IOException
    {
        this.path = path;
        this.recorder = recorder;
        this.jfr = jfr;
        this.jsonOut = jsonOut;
        if (jsonOut != null)
        {
            clock = new CalibratedEpochNanoClock();
            json = JsonValues.FACTORY.createGenerator(jsonOut);
            json.setRootValueSeparator(null); // one object per line; each line writes its own '\n'
        }
        else
        {
            clock = null;
            json = null;
        }
    }

    /**
     * @param mode     how the run records.
     * @param path     where: the recording's directory ({@code blackbox}), the JFR file ({@code jfr}) or the JSONL file
     *                 ({@code jsonl}); it must not exist yet. Ignored for {@code off}.
     * @param jfrName  the JFR recording's name.
     * @param jfrEvent the one event the JFR recording records (no stack traces).
     * @throws IllegalArgumentException when {@code path} exists: a run never writes over an earlier one's.
     */
    static RunOutput open(final RecordingMode mode, final Path path, final String jfrName,
        final Class<? extends Event> jfrEvent) throws IOException
    {
        if (mode != RecordingMode.OFF && Files.exists(path))
        {
            throw new IllegalArgumentException(path + " exists: give --out a fresh directory");
        }
        switch (mode)
        {
            case OFF:
                return new RunOutput(null, null, null, null);
            case BLACKBOX:
                return new RunOutput(path, Recorder.open(new Recorder.Context().directory(path)), null, null);
            case JFR:
            {
                final Recording recording = new Recording();
                recording.setName(jfrName);
                recording.enable(jfrEvent).withoutStackTrace();
                recording.setToDisk(true);
                recording.setDestination(path);
                recording.start();
                return new RunOutput(path, null, recording, null);
            }
            case JSONL:
                return new RunOutput(path, null, null, new BufferedOutputStream(
                    Files.newOutputStream(path, StandardOpenOption.CREATE_NEW), JsonLinesState.BUFFER_BYTES));
            default:
                throw new IllegalArgumentException("mode " + mode);
        }
    }

    /**
     * Count a record the recorder did not take: an emit that returned false.
     *
     * @param recorded what the emit returned.
     */
    void count(final boolean recorded)
    {
        if (!recorded)
        {
            notRecorded++;
        }
    }

    /**
     * @return emits the recorder did not take (0 under its default backpressure, which waits).
     */
    long notRecorded()
    {
        return notRecorded;
    }

    /**
     * The recorder drains and closes, JFR writes its file, the JSONL buffer is flushed and the file closed. The
     * telemetry closes its emitters first.
     */
    @Override
    public void close() throws IOException
    {
        if (recorder != null)
        {
            recorder.close();
        }
        if (jfr != null)
        {
            jfr.stop(); // writes the destination file
            jfr.close();
        }
        if (json != null)
        {
            json.close();
            jsonOut.close();
        }
    }
}
