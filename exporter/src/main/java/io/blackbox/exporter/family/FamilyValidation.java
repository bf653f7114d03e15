package io.blackbox.exporter.family;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What {@code blackbox validate FAMILY} does for a family beyond checking its files: its own command-line options
 * (picocli {@code @Option} fields of the implementing class, mixed into the family's subcommand, as a
 * {@link FamilyMonitor}'s are) and a report over the files once they are valid (PPO: drift against a baseline).
 */
public interface FamilyValidation
{
    /**
     * Check the options picocli set, before any file is read.
     *
     * @throws IllegalArgumentException naming the option and what is wrong with it.
     */
    void checkOptions();

    /**
     * Report on one file that validated.
     *
     * @param file the file.
     * @param out  where the report goes (standard output).
     * @return false when the report fails the file (a limit the user set was passed); true otherwise.
     */
    boolean report(Path file, PrintWriter out);
}
