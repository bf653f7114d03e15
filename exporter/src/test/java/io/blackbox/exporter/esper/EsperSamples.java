package io.blackbox.exporter.esper;

import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Esper files tests read, under {@code src/test/resources/samples/esper/}.
 */
final class EsperSamples
{
    /** Events esper-lite's file output wrote (the shared sample): keys beyond the spec, in its later order. */
    static final String DEMO = "demo_events.jsonl";
    /**
     * {@link #DEMO} as Python's {@code json.dumps} writes it once its payloads hold the spec's keys only, in the
     * dataclasses' order: made by loading each line with {@code json.loads}, keeping {@code data}'s spec keys in the
     * spec's order and writing the line with {@code json.dumps}.
     */
    static final String DEMO_SPEC_KEYS = "demo_events.spec_keys.jsonl";
    /**
     * One event of every payload type (two of {@code ANALYTICS_SNAPSHOT}), every field present, as Python's
     * {@code json.dumps} writes them: NaN, Infinity, nulls, non-ASCII text, nested objects, a timestamp without
     * microseconds. Written by a Python script from dicts in the spec's field order.
     */
    static final String SPEC_EVENTS = "spec_events.jsonl";

    private EsperSamples()
    {
    }

    static Path copy(final String name, final Path dir) throws IOException
    {
        return Samples.copy(EsperWire.FAMILY, name, dir);
    }

    static List<String> lines(final String name, final Path dir) throws IOException
    {
        final Path file = dir.resolve(name);
        return Files.readAllLines(Files.exists(file) ? file : copy(name, dir), StandardCharsets.UTF_8);
    }

    /**
     * The payload ({@code data}) of the first event of {@link #SPEC_EVENTS} of a type, as a mutable map.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> specData(final EsperEventType type, final Path dir) throws IOException
    {
        for (final String line : lines(SPEC_EVENTS, dir))
        {
            final Map<String, Object> event = JsonLinesReader.MAPPER.readValue(line, Map.class);
            if (type.name().equals(event.get("event_type")))
            {
                return new LinkedHashMap<>((Map<String, Object>)event.get("data"));
            }
        }
        throw new AssertionError("no " + type + " in " + SPEC_EVENTS);
    }

    static List<TelemetryEvent> read(final Path file)
    {
        return new ArrayList<>(EsperEvents.read(file).toList());
    }
}
