package io.blackbox.exporter.esper;

import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads Esper JSON Lines files, one {@link TelemetryEvent} a line, as the original's file output writes them.
 * Lines are split and parsed by {@link JsonLinesReader}; each record must then become a typed event, or it is a
 * {@link Problem} {@code FILE:LINE: field: problem} naming the key, e.g.
 * {@code run.jsonl:7: data.policy_loss: missing, required by PpoUpdate}.
 */
public final class EsperEvents
{
    private EsperEvents()
    {
    }

    /**
     * Read every event of a file, or fail: every line must be good before any event is handed out, so a consumer
     * never acts on the first half of a bad file. The events are held in memory; for a file larger than that, use
     * {@link #read(Path, Consumer, Consumer)}.
     *
     * @param file the file.
     * @return the events in file order.
     * @throws InvalidFileException listing every problem, when there is one.
     */
    public static Stream<TelemetryEvent> read(final Path file)
    {
        final List<TelemetryEvent> events = new ArrayList<>();
        final List<Problem> problems = new ArrayList<>();
        read(file, events::add, problems::add);
        if (!problems.isEmpty())
        {
            throw new InvalidFileException(problems);
        }
        return events.stream();
    }

    /**
     * Read a file a line at a time, handing out each event as it is read and each problem instead of an exception;
     * a bad line is reported and reading goes on.
     *
     * @param file     the file; problems name it as {@code file.toString()}.
     * @param events   receives each event, in file order.
     * @param problems receives each problem, in file order: {@link JsonLinesReader}'s (a missing file, malformed
     *                 JSON) and those of records that are not typed events.
     * @return how many events were handed to {@code events}.
     */
    public static long read(final Path file, final Consumer<TelemetryEvent> events, final Consumer<Problem> problems)
    {
        Objects.requireNonNull(events, "events");
        return readNumbered(file, (event, line) -> events.accept(event), problems);
    }

    /**
     * As {@link #read(Path, Consumer, Consumer)}, each event with its line number.
     *
     * @param file     the file.
     * @param events   receives each event and its 1-based line, in file order.
     * @param problems receives each problem, in file order.
     * @return how many events were handed to {@code events}.
     */
    public static long readNumbered(final Path file, final java.util.function.ObjLongConsumer<TelemetryEvent> events,
        final Consumer<Problem> problems)
    {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(problems, "problems");
        final String name = file.toString();
        final long[] count = new long[1];
        JsonLinesReader.read(
            file,
            (lineNumber, record) ->
            {
                final TelemetryEvent event;
                try
                {
                    event = TelemetryEvent.fromJson(record);
                }
                catch (final EsperFormatException ex)
                {
                    problems.accept(new Problem(name, lineNumber, ex.field(), ex.problem()));
                    return;
                }
                count[0]++;
                events.accept(event, lineNumber);
            },
            problems);

        return count[0];
    }

    /**
     * A file with lines that are not Esper events.
     */
    public static final class InvalidFileException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        private final transient List<Problem> problems;

        /**
         * @param problems every problem of the file, at least one.
         */
        public InvalidFileException(final List<Problem> problems)
        {
            super(problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
            this.problems = List.copyOf(problems);
        }

        /**
         * @return every problem, in file order.
         */
        public List<Problem> problems()
        {
            return problems;
        }
    }
}
