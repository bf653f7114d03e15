package io.blackbox.exporter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The original projects' files, kept as test resources under {@code /samples/<family>/} (copies of
 * {@code shared/samples}, which a clean clone does not have). Tests copy them into a temp directory so that a test
 * which writes beside or over its input cannot change the resource. Shared with the tests module through the
 * exporter's test-jar.
 */
public final class Samples
{
    /** ppo: a telemetry_version 1.1 record from townlet's harness. */
    public static final String PPO_1_1 = "ppo_conflict_telemetry.jsonl";
    /** ppo: a telemetry_version 1.0 record from townlet's harness. */
    public static final String PPO_1_0 = "ppo_epoch_log.jsonl";

    private Samples()
    {
    }

    /**
     * Copy the sample {@code name} of {@code family} into {@code directory}, under its own name.
     *
     * @param family    the family's name, e.g. {@code ppo}.
     * @param name      the sample's file name.
     * @param directory where the copy goes; it must not hold a file of that name yet.
     * @return the copy.
     * @throws IOException if it cannot be written.
     */
    public static Path copy(final String family, final String name, final Path directory) throws IOException
    {
        final String resource = "/samples/" + family + "/" + name;
        final Path file = directory.resolve(name);
        try (InputStream in = Samples.class.getResourceAsStream(resource))
        {
            assertNotNull(in, "sample on the test class path: " + resource);
            Files.copy(in, file);
        }

        return file;
    }
}
