package io.blackbox.bench.training;

import java.nio.file.Path;
import java.util.Locale;

/**
 * How a training program's run records its steps: the baseline, Blackbox, or what a user would otherwise write in the
 * loop. {@link RunOutput} opens where each writes; what it writes is the program's telemetry's ({@link RunTelemetry},
 * {@link PpoTelemetry}).
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

    @Override
    public String toString()
    {
        return label(); // as the command line and the output spell it
    }
}
