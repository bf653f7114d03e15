package io.blackbox.recorder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * System properties that must be set before any Chronicle class loads, so that recording and reading touch
 * nothing outside the directories they are given (but for a private temporary folder JNA needs for a moment), send
 * nothing anywhere and print nothing unasked.
 */
public final class ChronicleSettings
{
    static
    {
        // Chronicle's usage analytics: off (the artifact is also excluded from every build).
        setIfAbsent("chronicle.analytics.disable", "true");
        // JNA (loaded by Chronicle's affinity library) unpacks its native library into ~/.cache/JNA unless told
        // otherwise. A shared folder under /tmp was no better: made by one user, it refused the next one's unpacking
        // with a page of stack traces. So: a folder of this process's own (0700), gone when the JVM exits (JNA
        // deletes the library as soon as it is loaded; a JVM killed -9 leaves the empty folder).
        if (System.getProperty("jna.tmpdir") == null)
        {
            System.setProperty("jna.tmpdir", privateTemporaryDirectory("blackbox-jna-"));
        }
        // SLF4J prints three lines when no logging provider is on the class path: a recording JVM says nothing
        // unless its user configures logging (a user who sets this property gets SLF4J's warnings back).
        setIfAbsent("slf4j.internal.verbosity", "ERROR");
    }

    private ChronicleSettings()
    {
    }

    /**
     * Apply the settings (once; later calls do nothing). Call before the first use of Chronicle.
     */
    public static void apply()
    {
        // The work is in the static initialiser: running it is the point of calling this.
    }

    private static String privateTemporaryDirectory(final String prefix)
    {
        try
        {
            final Path directory = Files.createTempDirectory(prefix); // owner-only permissions on POSIX
            directory.toFile().deleteOnExit();
            return directory.toString();
        }
        catch (final IOException ex)
        {
            // Without it JNA falls back to its own default; recording does not depend on JNA.
            return Path.of(System.getProperty("java.io.tmpdir"), prefix + ProcessHandle.current().pid()).toString();
        }
    }

    private static void setIfAbsent(final String name, final String value)
    {
        if (System.getProperty(name) == null)
        {
            System.setProperty(name, value);
        }
    }
}
