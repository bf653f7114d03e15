package io.blackbox.bench.training;

import io.blackbox.bench.gradience.JsonLinesState;
import jdk.jfr.Event;
import jdk.jfr.Recording;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * How a training program's run records its steps: the baseline, Blackbox, or what a user would otherwise write in the
 * loop. What each writes is the program's telemetry's ({@link RunTelemetry}, {@link PpoTelemetry}).
 */
enum RecordingMode
{
    /** No recording at all: the baseline. */
    OFF,
    /** A Blackbox recording, into a directory. */
    BLACKBOX,
    /** A JFR event committed per step, into a JFR recording written to a file. */
    JFR,
    /** One JSON line per step, through Jackson's streaming generator and a 64 KiB buffer, into a file. */
    JSONL;

    String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @return where a run named {@code name} records in this mode, under {@code directory}: {@code name-blackbox},
     * {@code name-jfr.jfr}, {@code name-jsonl.jsonl}; null for {@code off}.
     */
    Path path(final Path directory, final String name)
    {
        switch (this)
        {
            case BLACKBOX:
                return directory.resolve(name + "-blackbox");
            case JFR:
                return directory.resolve(name + "-jfr.jfr");
            case JSONL:
                return directory.resolve(name + "-jsonl.jsonl");
            default:
                return null;
        }
    }

    /**
     * @throws IllegalArgumentException when {@code path} exists: a run never writes over an earlier one's.
     */
    static void requireAbsent(final Path path)
    {
        if (Files.exists(path))
        {
            throw new IllegalArgumentException(path + " exists: give --out a fresh directory");
        }
    }

    /**
     * @return a started JFR recording of {@code event} (no stack traces) to the new file {@code path}: the {@code jfr}
     * mode's.
     */
    static Recording startJfr(final Path path, final String name, final Class<? extends Event> event)
        throws IOException
    {
        requireAbsent(path);
        final Recording recording = new Recording();
        recording.setName(name);
        recording.enable(event).withoutStackTrace();
        recording.setToDisk(true);
        recording.setDestination(path);
        recording.start();
        return recording;
    }

    /**
     * @return the new file {@code path} behind a 64 KiB buffer, as the JMH benchmarks' JSON Lines writer has it: the
     * {@code jsonl} mode's.
     */
    static OutputStream newJsonLines(final Path path) throws IOException
    {
        return new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE_NEW),
            JsonLinesState.BUFFER_BYTES);
    }

    @Override
    public String toString()
    {
        return label(); // as the command line and the output spell it
    }
}
