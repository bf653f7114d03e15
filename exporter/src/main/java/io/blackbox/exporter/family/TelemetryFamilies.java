package io.blackbox.exporter.family;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The registered telemetry families. A family registers by naming its {@link TelemetryFamily} class in one line of
 * {@code META-INF/services/io.blackbox.exporter.family.TelemetryFamily} (exporter's resources); shared code never
 * names a family.
 * <p>
 * The registry checks the declarations when it loads: names are unique and lower case, template id ranges lie above
 * the recording's own control records and do not overlap. Families are listed in the order of their template ids,
 * so every listing (help, export summary, demo) is the same whatever the class path's order.
 */
public final class TelemetryFamilies
{
    /**
     * Template ids of the recording's own control records (session start, string definitions, drop reports), which
     * belong to no family.
     */
    public static final int FIRST_CONTROL_TEMPLATE_ID = 1;

    /**
     * The last template id kept for control records, inclusive.
     */
    public static final int LAST_CONTROL_TEMPLATE_ID = 9;

    private static final List<TelemetryFamily> ALL = load();

    private TelemetryFamilies()
    {
    }

    /**
     * @return every registered family, in the order of their template ids.
     */
    public static List<TelemetryFamily> all()
    {
        return ALL;
    }

    /**
     * @param name a family's name, exact.
     * @return the family of that name, or null.
     */
    public static TelemetryFamily byName(final String name)
    {
        for (final TelemetryFamily family : ALL)
        {
            if (family.name().equals(name))
            {
                return family;
            }
        }

        return null;
    }

    /**
     * @param templateId an SBE template id.
     * @return the family whose range holds it, or null.
     */
    public static TelemetryFamily byTemplateId(final int templateId)
    {
        for (final TelemetryFamily family : ALL)
        {
            if (family.handles(templateId))
            {
                return family;
            }
        }

        return null;
    }

    /**
     * @return the names of every family, separated by {@code ", "}, for messages.
     */
    public static String names()
    {
        return ALL.stream().map(TelemetryFamily::name).collect(Collectors.joining(", "));
    }

    private static List<TelemetryFamily> load()
    {
        final List<TelemetryFamily> families = new ArrayList<>();
        try
        {
            for (final TelemetryFamily family : ServiceLoader.load(TelemetryFamily.class, TelemetryFamily.class.getClassLoader()))
            {
                families.add(family);
            }
        }
        catch (final ServiceConfigurationError ex)
        {
            throw new IllegalStateException("a registered telemetry family cannot be loaded: " + ex.getMessage(), ex);
        }
        families.sort(Comparator.comparingInt(TelemetryFamily::firstTemplateId));
        check(families);

        return List.copyOf(families);
    }

    /**
     * Check a set of declarations as the registry does when it loads.
     *
     * @param families the declarations, in the order of their first template id.
     * @throws IllegalStateException naming the family and what is wrong with its declaration.
     */
    static void check(final List<TelemetryFamily> families)
    {
        TelemetryFamily previous = null;
        for (final TelemetryFamily family : families)
        {
            final String name = family.name();
            if (null == name || !name.matches("[a-z][a-z0-9-]*"))
            {
                throw new IllegalStateException(family.getClass().getName() + ": family name '" + name +
                    "' is not a lower-case word");
            }
            if (family.firstTemplateId() <= LAST_CONTROL_TEMPLATE_ID || family.lastTemplateId() < family.firstTemplateId() ||
                family.lastTemplateId() > 0xFFFF)
            {
                throw new IllegalStateException("family " + name + ": template ids " + family.firstTemplateId() + ".." +
                    family.lastTemplateId() + " are not a range above the control records (" +
                    FIRST_CONTROL_TEMPLATE_ID + ".." + LAST_CONTROL_TEMPLATE_ID + ") within 65535");
            }
            if (null != previous)
            {
                if (family.firstTemplateId() <= previous.lastTemplateId())
                {
                    throw new IllegalStateException("families " + previous.name() + " and " + name +
                        ": template id ranges overlap (" + previous.firstTemplateId() + ".." +
                        previous.lastTemplateId() + " and " + family.firstTemplateId() + ".." + family.lastTemplateId() +
                        ")");
                }
            }
            for (final TelemetryFamily other : families)
            {
                if (other != family && other.name().equals(name))
                {
                    throw new IllegalStateException("family " + name + " is registered twice");
                }
            }
            previous = family;
        }
    }
}
