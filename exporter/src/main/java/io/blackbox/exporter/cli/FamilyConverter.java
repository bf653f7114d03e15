package io.blackbox.exporter.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converts a family name typed on the command line to a {@link Family}, with a message that lists the known
 * families when the name is not one of them.
 * <p>
 * Use it on every {@code FAMILY} parameter:
 * <pre>
 * &#64;Parameters(index = "0", paramLabel = "FAMILY", converter = FamilyConverter.class,
 *     completionCandidates = Family.Names.class, description = "telemetry family: ${COMPLETION-CANDIDATES}")
 * Family family;
 * </pre>
 */
public final class FamilyConverter implements ITypeConverter<Family>
{
    /**
     * {@inheritDoc}
     */
    @Override
    public Family convert(final String value)
    {
        final Family family = Family.fromCliName(value);
        if (null == family)
        {
            throw new TypeConversionException(
                "unknown family '" + value + "'; known families: " + Family.knownNames());
        }

        return family;
    }
}
