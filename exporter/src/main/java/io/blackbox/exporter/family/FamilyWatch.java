package io.blackbox.exporter.family;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What {@code blackbox watch FAMILY FILE} does for a family: its own options (picocli {@code @Option} fields of the
 * implementing class, mixed into its subcommand) and a watcher that follows a growing file and alerts.
 */
public interface FamilyWatch
{
    /**
     * Check the options picocli set.
     *
     * @throws IllegalArgumentException naming the option and what is wrong with its value.
     */
    void checkOptions();

    /**
     * @param file      the file to follow.
     * @param stateFile where the watcher keeps what it has processed, to resume after it; null for none.
     * @param alerts    receives each alert line.
     * @param problems  receives each problem line (a line that is skipped; not fatal).
     * @return a watcher, not started.
     */
    Watcher open(Path file, Path stateFile, Consumer<String> alerts, Consumer<String> problems);

    /**
     * A watcher of a recording a recorder is writing: the family's records in it as the lines its export would write.
     *
     * @param recording the recording directory.
     * @param stateFile where the watcher keeps what it has processed, to resume after it; null for none.
     * @param alerts    receives each alert line.
     * @param problems  receives each problem line (a damaged part, a line skipped; not fatal).
     * @return a watcher, not started; null when the family watches files only.
     */
    default Watcher openRecording(Path recording, Path stateFile, Consumer<String> alerts, Consumer<String> problems)
    {
        return null;
    }

    /**
     * A watcher of one file.
     */
    interface Watcher
    {
        /**
         * Load the state file, if any.
         *
         * @throws IllegalArgumentException when it cannot be used for this file.
         */
        void loadState();

        /**
         * Read what the file (or recording) holds now from where the last call stopped, alert, save the state.
         *
         * @return whether anything was read.
         */
        boolean poll();

        /**
         * @return alerts given so far.
         */
        long alerts();
    }
}
