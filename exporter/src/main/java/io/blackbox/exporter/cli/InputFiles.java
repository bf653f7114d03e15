package io.blackbox.exporter.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks on the files a user names, made before a command starts work, so a mistyped name is one clear line
 * rather than a problem buried among others.
 */
public final class InputFiles
{
    private InputFiles()
    {
    }

    /**
     * Require a file that exists, is not a directory, and can be read.
     *
     * @param file the file as the user named it.
     * @return the file.
     * @throws UserError naming the file and what is wrong with it.
     */
    public static Path requireReadableFile(final Path file)
    {
        if (Files.isDirectory(file))
        {
            throw new UserError("not a file but a directory: " + file);
        }
        if (!Files.exists(file))
        {
            throw new UserError("file not found: " + file);
        }
        if (!Files.isReadable(file))
        {
            throw new UserError("cannot read file (permission denied): " + file);
        }

        return file;
    }

    /**
     * @return the size of a file {@link #requireReadableFile} accepted, for a progress bar's total.
     * @throws UserError naming the file when its size cannot be read.
     */
    public static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final java.io.IOException ex)
        {
            throw new UserError(file + ": cannot read: " + ex.getMessage());
        }
    }
}
