package io.blackbox.exporter.cli;

import picocli.CommandLine.Parameters;

/**
 * The {@code FAMILY} positional parameter the family commands take first ({@code validate}, {@code monitor},
 * {@code import}), mixed in with {@code @Mixin}.
 */
public final class FamilyParameter
{
    @Parameters(
        index = "0",
        paramLabel = "FAMILY",
        converter = FamilyConverter.class,
        completionCandidates = Family.Names.class,
        description = "Telemetry family: ${COMPLETION-CANDIDATES}.")
    private Family family;

    /**
     * @return the family the user named.
     */
    public Family family()
    {
        return family;
    }
}
