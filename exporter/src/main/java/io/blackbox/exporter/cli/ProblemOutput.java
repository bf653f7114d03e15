package io.blackbox.exporter.cli;

import io.blackbox.exporter.Problem;

import java.io.PrintWriter;
import java.util.List;

/**
 * How commands print problems: one a line on standard output, then a summary line on standard error.
 */
public final class ProblemOutput
{
    private ProblemOutput()
    {
    }

    /**
     * Print each problem as {@code FILE:LINE: field: problem}.
     *
     * @param out      standard output.
     * @param problems the problems, printed in order.
     */
    public static void print(final PrintWriter out, final List<Problem> problems)
    {
        for (final Problem problem : problems)
        {
            out.println(problem);
        }
        out.flush();
    }

    /**
     * The summary line, e.g. {@code 2 files, 0 problems} or {@code 1 file, 1 problem}.
     *
     * @param fileCount    how many files were checked.
     * @param problemCount how many problems were found.
     * @return the line, without line end.
     */
    public static String summary(final long fileCount, final long problemCount)
    {
        return count(fileCount, "file") + ", " + count(problemCount, "problem");
    }

    private static String count(final long count, final String noun)
    {
        return count + " " + noun + (1 == count ? "" : "s");
    }
}
