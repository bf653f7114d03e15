package io.blackbox.exporter.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The telemetry families the command line knows, by the name the user types.
 * <p>
 * To add a family, add a constant here. Each command chooses what to do per family with a {@code switch}
 * <em>expression</em> over this enum, which the compiler requires to cover every constant, so the build shows
 * each command that must learn about the new family. A command that does not support a family yet throws a
 * {@link UserError} for it.
 */
public enum Family
{
    /** Gradience vNext telemetry, {@code gradience.vnext.telemetry/v1} JSONL. */
    GRADIENCE("gradience");

    private final String cliName;

    Family(final String cliName)
    {
        this.cliName = cliName;
    }

    /**
     * The name the user types on the command line.
     *
     * @return the name, e.g. {@code gradience}.
     */
    public String cliName()
    {
        return cliName;
    }

    /**
     * The family a command line name stands for.
     *
     * @param cliName the name as typed; exact, lower case.
     * @return the family, or null when there is none by that name.
     */
    public static Family fromCliName(final String cliName)
    {
        for (final Family family : values())
        {
            if (family.cliName.equals(cliName))
            {
                return family;
            }
        }

        return null;
    }

    /**
     * The names of every family, for messages.
     *
     * @return the names separated by {@code ", "}.
     */
    public static String knownNames()
    {
        return Arrays.stream(values()).map(Family::cliName).collect(Collectors.joining(", "));
    }

    /**
     * The family names as picocli completion candidates, shown in help as {@code ${COMPLETION-CANDIDATES}}.
     */
    public static final class Names implements Iterable<String>
    {
        @Override
        public Iterator<String> iterator()
        {
            final List<String> names = Arrays.stream(values()).map(Family::cliName).collect(Collectors.toList());
            return names.iterator();
        }
    }
}
