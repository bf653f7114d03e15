package io.blackbox.exporter.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * What went wrong with a path the user named, in the words of one line: NIO's exceptions often carry only the file's
 * name ({@code cannot write the export to /proc/1/x: /proc/1/x} said nothing).
 */
final class FileErrors
{
    private FileErrors()
    {
    }

    /**
     * @return why, as {@code strerror} would say it, with the file it concerns when that is known.
     */
    static String reason(final IOException ex)
    {
        if (!(ex instanceof FileSystemException))
        {
            return null == ex.getMessage() ? "input/output error" : ex.getMessage();
        }

        final FileSystemException fileError = (FileSystemException)ex;
        final String what;
        if (null != fileError.getReason())
        {
            what = fileError.getReason();
        }
        else if (ex instanceof AccessDeniedException)
        {
            what = "permission denied";
        }
        else if (ex instanceof NoSuchFileException)
        {
            what = "no such file or directory";
        }
        else if (ex instanceof FileAlreadyExistsException)
        {
            what = "a file is in the way";
        }
        else if (ex instanceof NotDirectoryException)
        {
            what = "not a directory";
        }
        else
        {
            what = "cannot use it";
        }

        return null == fileError.getFile() ? what : fileError.getFile() + ": " + what;
    }

    /**
     * Require that a command can create or write the directory {@code directory}, without creating it: the nearest
     * part of the path that exists must be a directory, and one that can be written.
     *
     * @param directory the directory as the user named it.
     * @param option    the option that named it, for the message.
     * @throws UserError saying what is wrong and what to do, in one line.
     */
    static void requireWritableDirectory(final Path directory, final String option)
    {
        Path existing = directory.toAbsolutePath();
        while (existing != null && !Files.exists(existing))
        {
            existing = existing.getParent();
        }
        if (existing == null)
        {
            return; // nothing of the path exists, not even a root: creating it will say why
        }
        if (!Files.isDirectory(existing))
        {
            throw new UserError(option + " " + directory + ": " +
                (existing.equals(directory.toAbsolutePath()) ? "a file, not a directory" :
                    existing + " is a file, not a directory") + "; name a directory (it is created if absent)");
        }
        if (!Files.isWritable(existing))
        {
            throw new UserError(option + " " + directory + ": " + existing + " cannot be written (permission " +
                "denied); name a directory you can write");
        }
    }
}
