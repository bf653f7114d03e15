package io.blackbox.exporter.family;

import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.FamilyValidator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The registry refuses declarations that would make records or commands ambiguous.
 */
class TelemetryFamiliesTest
{
    @Test
    void shouldAcceptDisjointRangesAboveTheControlRecords()
    {
        TelemetryFamilies.check(List.of(declared("a", 10, 29), declared("b", 30, 49)));
    }

    @Test
    void shouldRefuseOverlappingRanges()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> TelemetryFamilies.check(List.of(declared("a", 10, 29), declared("b", 29, 49))));

        assertEquals("families a and b: template id ranges overlap (10..29 and 29..49)", ex.getMessage());
    }

    @Test
    void shouldRefuseARangeOverTheControlRecords()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> TelemetryFamilies.check(List.of(declared("a", 9, 29))));

        assertEquals("family a: template ids 9..29 are not a range above the control records (1..9) within 65535",
            ex.getMessage());
    }

    @Test
    void shouldRefuseANameTwice()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> TelemetryFamilies.check(List.of(declared("a", 10, 29), declared("a", 30, 49))));

        assertEquals("family a is registered twice", ex.getMessage());
    }

    @Test
    void shouldRefuseANameThatIsNotALowerCaseWord()
    {
        assertThrows(IllegalStateException.class, () -> TelemetryFamilies.check(List.of(declared("A b", 10, 29))));
        assertThrows(IllegalStateException.class, () -> TelemetryFamilies.check(List.of(declared("../x", 10, 29))));
    }

    @Test
    void shouldListTheRegisteredFamiliesInTemplateOrder()
    {
        final List<TelemetryFamily> all = TelemetryFamilies.all();
        for (int i = 1; i < all.size(); i++)
        {
            assertEquals(true, all.get(i - 1).lastTemplateId() < all.get(i).firstTemplateId());
        }
        assertEquals(TelemetryFamilies.names().split(", ").length, all.size());
    }

    private static TelemetryFamily declared(final String name, final int first, final int last)
    {
        return new TelemetryFamily()
        {
            public String name()
            {
                return name;
            }

            public String title()
            {
                return name;
            }

            public List<String> specVersions()
            {
                return List.of(name + "/v1");
            }

            public int firstTemplateId()
            {
                return first;
            }

            public int lastTemplateId()
            {
                return last;
            }

            public String exportLayout()
            {
                return "ROOT/" + name;
            }

            public RecordOutline outline()
            {
                return new RecordOutline();
            }

            public FamilyExport newExport(final Path root, final boolean live)
            {
                throw new UnsupportedOperationException("a declaration the registry only checks");
            }

            public FamilyValidator validator()
            {
                throw new UnsupportedOperationException("a declaration the registry only checks");
            }

            public FamilyImporter importer()
            {
                return null;
            }

            public FamilyMonitor newMonitor()
            {
                return null;
            }

            public DemoWorkload demo()
            {
                return null;
            }
        };
    }
}
