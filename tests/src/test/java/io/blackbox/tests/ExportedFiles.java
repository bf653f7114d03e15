package io.blackbox.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The files of an export root, for tests that compare two exports byte for byte.
 */
public final class ExportedFiles
{
    private ExportedFiles()
    {
    }

    /**
     * @return every file under {@code root} by its path relative to it, '/' between names.
     */
    public static Map<String, byte[]> read(final Path root) throws IOException
    {
        final Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)paths.filter(Files::isRegularFile)::iterator)
            {
                files.put(root.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
            }
        }
        return files;
    }

    /**
     * Assert the two roots hold the same files with the same bytes.
     */
    public static void assertSame(final Path expected, final Path actual) throws IOException
    {
        final Map<String, byte[]> expectedFiles = read(expected);
        final Map<String, byte[]> actualFiles = read(actual);
        assertEquals(expectedFiles.keySet(), actualFiles.keySet());
        for (final Map.Entry<String, byte[]> file : expectedFiles.entrySet())
        {
            assertArrayEquals(file.getValue(), actualFiles.get(file.getKey()), file.getKey());
        }
    }
}
