package io.blackbox.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Directories a benchmark writes into: created fresh under {@code java.io.tmpdir} (a disk-backed file system on
 * the machines the results come from), deleted with everything in them when the benchmark is done.
 */
public final class TemporaryDirectory
{
    private TemporaryDirectory()
    {
    }

    /**
     * @return a new empty directory whose name starts with {@code prefix}.
     */
    public static Path create(final String prefix) throws IOException
    {
        return Files.createTempDirectory(prefix);
    }

    /**
     * Delete {@code root} and everything under it; nothing when it is {@code null} or already gone.
     */
    public static void delete(final Path root) throws IOException
    {
        if (root == null || !Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path ->
            {
                try
                {
                    Files.delete(path);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
    }

    /**
     * @return the bytes of the regular files under {@code root} (their lengths, not the blocks they hold).
     */
    public static long size(final Path root) throws IOException
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            return paths.filter(Files::isRegularFile).mapToLong(path ->
            {
                try
                {
                    return Files.size(path);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            }).sum();
        }
    }
}
