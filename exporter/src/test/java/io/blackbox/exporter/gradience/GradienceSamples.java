package io.blackbox.exporter.gradience;

import io.blackbox.exporter.Samples;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The original project's Gradience files, kept as test resources under {@code /samples/gradience/}. Tests copy them
 * into a temp directory so that a test which writes beside or over its input cannot change the resource. Shared with
 * the tests module through the exporter's test-jar.
 */
public final class GradienceSamples
{
    /** One run, every event once: the original project's minimal example. */
    public static final String MINIMAL = "vnext_minimal.jsonl";
    /** A longer run, many train steps. */
    public static final String RUN = "run.jsonl";

    private GradienceSamples()
    {
    }

    /**
     * Copy the sample {@code name} into {@code directory}, under its own name.
     *
     * @param name      {@link #MINIMAL} or {@link #RUN}.
     * @param directory where the copy goes; it must not hold a file of that name yet.
     * @return the copy.
     * @throws IOException if it cannot be written.
     */
    public static Path copy(final String name, final Path directory) throws IOException
    {
        return Samples.copy(GradienceExport.FAMILY, name, directory);
    }
}
