package io.blackbox.exporter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A small file written whole: to a hidden temporary file beside it, then renamed over it (atomically where the file
 * system can), so a reader sees the old file or the new one, never half of one. Documents (session files, summaries)
 * and state files use it; streams grow through {@link JsonLinesWriter}.
 */
public final class AtomicFiles
{
    private AtomicFiles()
    {
    }

    /**
     * @param target the file, replaced if it exists; its directory is made if missing.
     * @param text   its new contents, UTF-8.
     * @throws UncheckedIOException naming the file when it cannot be written (the temporary file is removed).
     */
    public static void writeString(final Path target, final String text)
    {
        final Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        try
        {
            final Path parent = target.toAbsolutePath().getParent();
            if (null != parent)
            {
                Files.createDirectories(parent);
            }
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try
            {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (final IOException ex)
        {
            try
            {
                Files.deleteIfExists(temporary);
            }
            catch (final IOException ignore)
            {
                // the write failed already; that is what is reported
            }
            throw new UncheckedIOException("cannot write " + target + ": " + ex.getMessage(), ex);
        }
    }
}
