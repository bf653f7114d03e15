package io.blackbox.exporter.family;

import io.blackbox.exporter.Problem;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code blackbox summary FAMILY FILE} reports for a family: per field of its records, the last value and, for
 * numbers, the mean, minimum and maximum over the file. Data only: the command renders it as text, Markdown or JSON.
 */
public interface FamilySummary
{
    /**
     * Validate a file and, when it is valid, summarise it.
     *
     * @param file the file.
     * @return its problems (then no fields), or its summary.
     */
    Summary summarize(Path file);

    /**
     * A file's summary.
     *
     * @param problems the file's problems; the fields are empty when there are any.
     * @param records  records summarised.
     * @param fields   one per field, in the order the fields first appear.
     */
    record Summary(List<Problem> problems, long records, List<Field> fields)
    {
    }

    /**
     * One field over the file.
     *
     * @param name    its key.
     * @param last    its last value as written (JSON text), or null when the last record lacks it.
     * @param numbers how many records hold a finite number in it; the statistics are over those.
     * @param mean    their mean, NaN when there are none.
     * @param min     their minimum, NaN when there are none.
     * @param max     their maximum, NaN when there are none.
     */
    record Field(String name, String last, long numbers, double mean, double min, double max)
    {
    }

    /**
     * One field's statistics as a summary gathers them: the last value as written, and the count, mean (summed with
     * Kahan's compensation, so a long run's mean is exact to the last bits), minimum and maximum of its finite
     * numbers.
     */
    final class Accumulator
    {
        private String last;
        private long numbers;
        private double sum;
        private double compensation;
        private double min = Double.NaN;
        private double max = Double.NaN;

        /**
         * @param text the field's latest value as written, or null when the latest record lacks it.
         */
        public void last(final String text)
        {
            last = text;
        }

        /**
         * Count a finite number (others are ignored).
         */
        public void add(final double value)
        {
            if (!Double.isFinite(value))
            {
                return;
            }
            numbers++;
            final double y = value - compensation;
            final double t = sum + y;
            compensation = (t - sum) - y;
            sum = t;
            min = Double.isNaN(min) ? value : Math.min(min, value);
            max = Double.isNaN(max) ? value : Math.max(max, value);
        }

        /**
         * @return finite numbers counted.
         */
        public long numbers()
        {
            return numbers;
        }

        /**
         * @param name the field's key.
         * @return the field's row.
         */
        public Field toField(final String name)
        {
            return new Field(name, last, numbers, 0 == numbers ? Double.NaN : sum / numbers, min, max);
        }
    }
}
