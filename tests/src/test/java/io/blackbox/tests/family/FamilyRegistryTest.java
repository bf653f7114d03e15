package io.blackbox.tests.family;

import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schema and the registry agree: every message of the schema is a control record or belongs to exactly one
 * registered family's template id range.
 */
class FamilyRegistryTest
{
    @Test
    void shouldGiveEveryTemplateOfTheSchemaToExactlyOneOwner() throws Exception
    {
        final List<Integer> templateIds = SchemaTemplates.templateIds();
        assertFalse(templateIds.isEmpty(), "messages in the schema");

        final List<String> wrong = new ArrayList<>();
        for (final int templateId : templateIds)
        {
            final List<String> owners = new ArrayList<>();
            if (templateId >= TelemetryFamilies.FIRST_CONTROL_TEMPLATE_ID &&
                templateId <= TelemetryFamilies.LAST_CONTROL_TEMPLATE_ID)
            {
                owners.add("recording control");
            }
            for (final TelemetryFamily family : TelemetryFamilies.all())
            {
                if (family.handles(templateId))
                {
                    owners.add(family.name());
                }
            }
            if (owners.size() != 1)
            {
                wrong.add("template " + templateId + " belongs to " + (owners.isEmpty() ? "no one" : owners));
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void shouldDeclareTemplateIdsOnce() throws Exception
    {
        final List<Integer> templateIds = SchemaTemplates.templateIds();

        assertEquals(templateIds.size(), templateIds.stream().distinct().count(), () -> "template ids " + templateIds);
    }

    @Test
    void shouldFindEachFamilyByItsNameAndItsTemplates()
    {
        for (final TelemetryFamily family : TelemetryFamilies.all())
        {
            assertEquals(family, TelemetryFamilies.byName(family.name()));
            assertEquals(family, TelemetryFamilies.byTemplateId(family.firstTemplateId()));
            assertEquals(family, TelemetryFamilies.byTemplateId(family.lastTemplateId()));
            assertFalse(family.specVersions().isEmpty(), () -> family.name() + " names its spec versions");
            assertTrue(family.exportLayout().contains("ROOT/"), () -> family.name() + " says where its files go");
        }
    }
}
