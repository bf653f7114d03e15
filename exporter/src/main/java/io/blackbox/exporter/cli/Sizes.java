package io.blackbox.exporter.cli;

import java.util.Locale;

/**
 * Byte counts for people: {@code 1.5 MiB}.
 */
final class Sizes
{
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Sizes()
    {
    }

    /**
     * @return {@code bytes} in the largest binary unit that keeps it at least 1, one decimal past bytes.
     */
    static String human(final long bytes)
    {
        if (bytes < 1024)
        {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1)
        {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
