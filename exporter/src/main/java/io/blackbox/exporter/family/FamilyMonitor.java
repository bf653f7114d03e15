package io.blackbox.exporter.family;

import io.blackbox.exporter.Problem;
import io.blackbox.recorder.Recorder;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code blackbox monitor FAMILY FILE} reports for a family: one finding per run, some of them alerts. A
 * monitor's own command-line options are picocli {@code @Option} fields of the implementing class; the command
 * mixes them in, so {@code blackbox monitor FAMILY --help} shows them.
 */
public interface FamilyMonitor
{
    /**
     * @return what the monitor reports, one line for help.
     */
    String description();

    /**
     * Check the options picocli set.
     *
     * @throws IllegalArgumentException naming the option and what is wrong with its value.
     */
    void checkOptions();

    /**
     * Validate a file and, when it is valid, monitor it.
     *
     * @param file the file.
     * @return the file's problems (then no findings), or its findings.
     */
    Result monitor(Path file);

    /**
     * What a monitor found in a file.
     *
     * @param problems the file's problems; the findings are empty when there are any.
     * @param findings one per run, in the order the runs first appear.
     */
    record Result(List<Problem> problems, List<Finding> findings)
    {
    }

    /**
     * What a monitor found about one run.
     */
    interface Finding
    {
        /**
         * @return the run, for messages.
         */
        String runId();

        /**
         * @return the finding as one line of output.
         */
        String line();

        /**
         * @return whether the finding is an alert.
         */
        boolean alert();

        /**
         * Write the alert into a recording as the family's alert event.
         *
         * @param recorder the recording.
         * @return whether it was recorded.
         */
        boolean recordAlert(Recorder recorder);
    }
}
