package io.blackbox.exporter.gradience;

import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.GradienceSeverity;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GradienceWireTest
{
    private static final Set<String> NOT_KEYS = Set.of(
        "EVENT_", "SEVERITY_", "STATUS_", "SPLIT_", "CODE_", "GAP_CONTEXT_", "SCHEMA_ID", "EXTENSION_");

    private final JsonNode schema = GradienceValidator.schema().document();

    @Test
    void shouldNameInTheSchemaEveryEventAndEnumStringOfTheWireAndNoOther()
    {
        final Set<String> wire = new TreeSet<>();
        wire.add(GradienceWire.SCHEMA_ID);
        for (final GradienceEvent event : GradienceEvent.values())
        {
            wire.add(event.wireName());
        }
        wire.addAll(GradienceWire.SEVERITIES);
        wire.addAll(GradienceWire.RUN_STATUSES);

        final Set<String> inSchema = new TreeSet<>();
        collectConstantStrings(schema, inSchema);

        assertEquals(wire, inSchema);
    }

    @Test
    void shouldDeclareInTheSchemaEveryKeyOfTheWireAndNoOther() throws IllegalAccessException
    {
        final Set<String> keys = new TreeSet<>();
        for (final Field field : GradienceWire.class.getFields())
        {
            if (Modifier.isStatic(field.getModifiers()) && String.class == field.getType() &&
                NOT_KEYS.stream().noneMatch(field.getName()::startsWith))
            {
                keys.add((String)field.get(null));
            }
        }

        final Set<String> inSchema = new TreeSet<>();
        collectPropertyNames(schema, inSchema);

        assertEquals(keys, inSchema);
    }

    @Test
    void shouldMapSeveritiesToTheCodecBothWays()
    {
        for (final String severity : GradienceWire.SEVERITIES)
        {
            assertEquals(severity, GradienceWire.severity(GradienceWire.severity(severity)));
        }
        assertEquals(GradienceSeverity.values().length - 1, GradienceWire.SEVERITIES.size(), "every codec value but NULL_VAL");
        assertThrows(IllegalArgumentException.class, () -> GradienceWire.severity("fatal"));
        assertThrows(IllegalArgumentException.class, () -> GradienceWire.severity(GradienceSeverity.NULL_VAL));
    }

    @Test
    void shouldMapRunStatusesToTheCodecBothWays()
    {
        for (final String status : GradienceWire.RUN_STATUSES)
        {
            assertEquals(status, GradienceWire.status(GradienceWire.status(status)));
        }
        assertEquals(GradienceRunStatus.values().length - 1, GradienceWire.RUN_STATUSES.size(), "every codec value but NULL_VAL");
        assertThrows(IllegalArgumentException.class, () -> GradienceWire.status("done"));
        assertThrows(IllegalArgumentException.class, () -> GradienceWire.status(GradienceRunStatus.NULL_VAL));
    }

    private static void collectConstantStrings(final JsonNode node, final Set<String> out)
    {
        if (node.isObject())
        {
            for (final Iterator<String> names = node.fieldNames(); names.hasNext(); )
            {
                final String name = names.next();
                final JsonNode value = node.get(name);
                if ("const".equals(name))
                {
                    out.add(value.textValue());
                }
                else if ("enum".equals(name))
                {
                    value.forEach(element -> out.add(element.textValue()));
                }
                else
                {
                    collectConstantStrings(value, out);
                }
            }
        }
        else if (node.isArray())
        {
            node.forEach(element -> collectConstantStrings(element, out));
        }
    }

    private static void collectPropertyNames(final JsonNode node, final Set<String> out)
    {
        if (node.isObject())
        {
            for (final Iterator<String> names = node.fieldNames(); names.hasNext(); )
            {
                final String name = names.next();
                if ("properties".equals(name))
                {
                    node.get(name).fieldNames().forEachRemaining(out::add);
                }
                collectPropertyNames(node.get(name), out);
            }
        }
        else if (node.isArray())
        {
            node.forEach(element -> collectPropertyNames(element, out));
        }
    }
}
