package io.blackbox.recorder;

import java.nio.file.Path;

/**
 * System properties that must be set before any Chronicle class loads, so that recording and reading touch
 * nothing outside the directories they are given and send nothing anywhere.
 */
public final class ChronicleSettings
{
    static
    {
        // Chronicle's usage analytics: off (the artifact is also excluded from every build).
        setIfAbsent("chronicle.analytics.disable", "true");
        // JNA (loaded by Chronicle's posix and affinity libraries) unpacks its native library into ~/.cache/JNA
        // unless told otherwise: keep it in the system's temporary directory, never in the user's home.
        setIfAbsent("jna.tmpdir", Path.of(System.getProperty("java.io.tmpdir"), "blackbox-jna").toString());
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

    private static void setIfAbsent(final String name, final String value)
    {
        if (System.getProperty(name) == null)
        {
            System.setProperty(name, value);
        }
    }
}
