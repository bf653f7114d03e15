package io.blackbox.tests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Golden files: expected bytes kept in {@code tests/src/test/resources/golden/}. Run with
 * {@code -Dblackbox.golden.write=true} to rewrite them from what the tests produce, then review the diff.
 */
public final class GoldenFiles
{
    /** The system property that turns comparing into rewriting. */
    public static final String WRITE_PROPERTY = "blackbox.golden.write";

    private GoldenFiles()
    {
    }

    /**
     * Assert that {@code actual} is the golden file's content, byte for byte.
     *
     * @param resource the golden file's path on the test class path, e.g. {@code /golden/cli/help.txt}.
     * @param actual   what the test produced.
     * @throws IOException if the golden file cannot be read or written.
     */
    public static void assertMatches(final String resource, final byte[] actual) throws IOException
    {
        final byte[] expected;
        if (Boolean.getBoolean(WRITE_PROPERTY))
        {
            // The source copy is what is rewritten and what is compared: the class path's copy in target/ is the
            // previous build's, stale until the next one. Surefire runs in the module's directory.
            final Path source = Path.of("src/test/resources" + resource);
            Files.createDirectories(source.getParent());
            Files.write(source, actual);
            expected = Files.readAllBytes(source);
        }
        else
        {
            try (InputStream golden = GoldenFiles.class.getResourceAsStream(resource))
            {
                assertNotNull(golden, "golden file " + resource + " (write it with -D" + WRITE_PROPERTY + "=true)");
                expected = golden.readAllBytes();
            }
        }
        assertArrayEquals(expected, actual, () -> "differs from " + resource + ":\n" +
            new String(actual, StandardCharsets.UTF_8));
    }

    /**
     * {@link #assertMatches(String, byte[])} for text, in UTF-8.
     */
    public static void assertMatches(final String resource, final String actual) throws IOException
    {
        assertMatches(resource, actual.getBytes(StandardCharsets.UTF_8));
    }
}
