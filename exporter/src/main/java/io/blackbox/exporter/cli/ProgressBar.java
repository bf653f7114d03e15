package io.blackbox.exporter.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long command ({@code summary --recording}, {@code export}, {@code validate}, {@code import},
 * {@code report}) on standard error: a bar redrawn in place at most every 100 ms when standard error is a terminal, and
 * nothing at all otherwise, so piped or redirected output holds only what the command prints. The bar is cleared when
 * the command ends. With no total known, it shows the count and the rate.
 */
final class ProgressBar implements AutoCloseable
{
    private static final long INTERVAL_NS = 100_000_000L;
    private static final int WIDTH = 30;

    private final String label;
    private final String unit;
    private final PrintWriter err;
    private final boolean shown;
    private final long startNs = System.nanoTime();
    private final long total;
    private long lastShownNs;
    private int lastLength;

    private ProgressBar(final String label, final String unit, final long total, final PrintWriter err,
        final boolean shown)
    {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.err = err;
        this.shown = shown;
    }

    /**
     * @return whether a bar is drawn here: standard error (and the console) is a terminal, and {@code CI} is not set.
     */
    static boolean onTerminal()
    {
        return System.console() != null && System.getenv("CI") == null;
    }

    /**
     * A bar counting records, total unknown.
     */
    static ProgressBar forRecords(final String label, final PrintWriter err)
    {
        return new ProgressBar(label, "records", 0, err, onTerminal());
    }

    /**
     * A bar drawn whatever standard error is, for tests.
     */
    static ProgressBar alwaysDrawn(final String label, final long totalBytes, final PrintWriter err)
    {
        return new ProgressBar(label, totalBytes > 0 ? "bytes" : "records", totalBytes, err, true);
    }

    /**
     * A bar counting bytes of input out of {@code totalBytes}.
     */
    static ProgressBar forBytes(final String label, final long totalBytes, final PrintWriter err)
    {
        return new ProgressBar(label, "bytes", totalBytes, err, onTerminal());
    }

    /**
     * @param done how far the command is; drawn when 100 ms have passed since the last draw.
     */
    void update(final long done)
    {
        if (!shown)
        {
            return;
        }
        final long now = System.nanoTime();
        if (now - lastShownNs < INTERVAL_NS)
        {
            return;
        }
        lastShownNs = now;
        final double seconds = Math.max((now - startNs) / 1e9, 1e-9);
        final String line;
        if (total > 0)
        {
            final long clamped = Math.min(done, total);
            final int filled = (int)(WIDTH * clamped / total);
            line = String.format(Locale.ROOT, "%s [%s%s] %3d%%  %s / %s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), 100 * clamped / total, amount(clamped), amount(total));
        }
        else
        {
            line = String.format(Locale.ROOT, "%s: %,d %s  %,.0f %s/s", label, done, unit, done / seconds, unit);
        }
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        err.flush();
        lastLength = line.length();
    }

    private String amount(final long value)
    {
        return "bytes".equals(unit) ? Sizes.human(value) : String.format(Locale.ROOT, "%,d", value);
    }

    /**
     * Clear the bar's line.
     */
    @Override
    public void close()
    {
        if (shown && lastLength > 0)
        {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
        }
    }
}
