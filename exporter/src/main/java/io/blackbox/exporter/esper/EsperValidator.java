package io.blackbox.exporter.esper;

import io.blackbox.exporter.FamilyValidator;
import io.blackbox.exporter.Problem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code blackbox validate esper}: every line must become a typed event ({@link EsperEvents}: a missing required key,
 * a wrong type, an unknown event type or one without a typed payload is {@code FILE:LINE: field: problem} naming the
 * payload and key), and each {@code event_id} appears once in a file: the original gives every event a fresh
 * {@code uuid4}, so a repeated id is a line written twice.
 * <p>
 * Not rules, though they look like ones: timestamps in order (the original stamps an event when it is made, not when
 * it is written, and its file output appends, so a file may hold several runs), {@code TRAINING_STARTED} first or once
 * (the original's own sample has a batch epoch before it). Blank lines are skipped, as every known reader does.
 */
public final class EsperValidator implements FamilyValidator
{
    public List<Problem> validate(final Path file)
    {
        final List<Problem> problems = new ArrayList<>();
        final Map<UUID, Long> firstLine = new HashMap<>();
        final String name = file.toString();
        EsperEvents.readNumbered(file, (event, line) ->
        {
            final Long earlier = firstLine.putIfAbsent(event.eventId(), line);
            if (null != earlier)
            {
                problems.add(new Problem(name, line, EsperWire.EVENT_ID, "repeats the id of line " + earlier + " (" +
                    event.eventId() + "): a line written twice"));
            }
        }, problems::add);
        return problems;
    }
}
