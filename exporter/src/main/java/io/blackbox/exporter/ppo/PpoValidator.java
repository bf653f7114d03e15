package io.blackbox.exporter.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.FamilyValidator;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.PythonFloats;
import io.blackbox.exporter.RecordCheck;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a PPO NDJSON file against {@code specs/ppo-telemetry-v1.1.md}: each problem is {@code FILE:LINE: field:
 * problem}, in file order and, within a line, in the harness's key order.
 * <ul>
 *     <li>{@code telemetry_version} is the number 1.0 or 1.1; the fifteen 1.0 keys are on every record; the ten 1.1
 *     keys are required when the version is 1.1 and refused when it is 1.0 (the spec: "enforce new keys only when
 *     version == 1.1");</li>
 *     <li>every key the spec names is a JSON number, but {@code data_mode}, which is one of {@code replay},
 *     {@code rollout}, {@code mixed}; a number is finite (NaN and infinities are what a diverged epoch writes, and
 *     what a dashboard cannot plot);</li>
 *     <li>counts ({@code epoch, updates, transitions, steps, cycle_id, rollout_ticks, log_stream_offset} and the
 *     health counts) are whole and not negative, whether written {@code 3} or {@code 3.0} (the harness writes
 *     floats); {@code clip_fraction} and {@code clip_fraction_max} lie in [0, 1] and
 *     {@code reward_advantage_corr} in [-1, 1];</li>
 *     <li>the four health keys come together or not at all;</li>
 *     <li>{@code log_stream_offset} increases from one 1.1 record to the next: a watcher resumes after the last
 *     offset it saw, so a repeat would be skipped;</li>
 *     <li>no blank line between records: townlet's watcher stops at the first blank line (blank lines at the file's
 *     end are not seen by this check).</li>
 * </ul>
 * Keys beyond the spec are allowed, of any type (townlet adds queue, social, baseline and {@code conflict.*} keys, and
 * anneal strings and flags). townlet's own validator also requires its four {@code conflict.rivalry_*} keys, and on
 * 1.1 records {@code queue_conflict_events} and {@code queue_conflict_intensity_sum}; they are not in the spec and
 * this validator does not require them (Blackbox's demo writes them, so its files pass both).
 */
public final class PpoValidator implements FamilyValidator
{
    private static final Set<String> COUNTS = Set.of(PpoWire.EPOCH, PpoWire.UPDATES, PpoWire.TRANSITIONS,
        PpoWire.STEPS, PpoWire.CYCLE_ID, PpoWire.ROLLOUT_TICKS, PpoWire.LOG_STREAM_OFFSET,
        PpoWire.ADV_ZERO_STD_BATCHES, PpoWire.CLIP_TRIGGERED_MINIBATCHES);
    private static final Set<String> FRACTIONS = Set.of(PpoWire.CLIP_FRACTION, PpoWire.CLIP_FRACTION_MAX);

    public List<Problem> validate(final Path file)
    {
        final String name = file.toString();
        final List<Problem> problems = new ArrayList<>();
        final long[] previousLine = { 0 };
        final double[] previousOffset = { Double.NaN };
        final long[] previousOffsetLine = { 0 };
        JsonLinesReader.read(file, (line, record) ->
        {
            final RecordCheck check = new RecordCheck(name, line, problems);
            if (previousLine[0] > 0 && line > previousLine[0] + 1)
            {
                problems.add(Problem.ofLine(name, line, "a blank line comes before this record (lines " +
                    (previousLine[0] + 1) + ".." + (line - 1) + "): townlet's watcher stops at the first blank line"));
            }
            previousLine[0] = line;
            final double offset = check(record, check);
            if (!Double.isNaN(offset))
            {
                if (!Double.isNaN(previousOffset[0]) && offset <= previousOffset[0])
                {
                    check.problem(PpoWire.LOG_STREAM_OFFSET, "must increase from one record to the next, found " +
                        RecordCheck.quote(record.get(PpoWire.LOG_STREAM_OFFSET)) + " after " +
                        PythonFloats.toString(previousOffset[0]) + " on line " + previousOffsetLine[0]);
                }
                previousOffset[0] = offset;
                previousOffsetLine[0] = line;
            }
        }, problems::add);
        return problems;
    }

    /**
     * Check one record.
     *
     * @return its {@code log_stream_offset} when it is a valid number, NaN otherwise.
     */
    private static double check(final ObjectNode record, final RecordCheck check)
    {
        final JsonNode version = record.get(PpoWire.TELEMETRY_VERSION);
        final boolean v10 = null != version && version.isNumber() && version.doubleValue() == PpoWire.VERSION_1_0;
        final boolean v11 = null != version && version.isNumber() && version.doubleValue() == PpoWire.VERSION_1_1;

        for (final String key : PpoWire.KEYS_1_0)
        {
            if (key.equals(PpoWire.TELEMETRY_VERSION))
            {
                if (null == version)
                {
                    check.problem(key, "missing");
                }
                else if (!v10 && !v11)
                {
                    check.problem(key, "must be the number 1.0 or 1.1, found " + RecordCheck.quote(version));
                }
                continue;
            }
            checkNumber(record, key, check);
        }

        int health = 0;
        for (final String key : PpoWire.HEALTH_KEYS)
        {
            health += record.has(key) ? 1 : 0;
        }
        if (health == PpoWire.HEALTH_KEYS.size())
        {
            for (final String key : PpoWire.HEALTH_KEYS)
            {
                checkNumber(record, key, check);
            }
        }
        else if (health > 0)
        {
            for (final String key : PpoWire.HEALTH_KEYS)
            {
                if (!record.has(key))
                {
                    check.problem(key, "missing: the four health keys " + PpoWire.HEALTH_KEYS + " come together");
                }
            }
        }

        double offset = Double.NaN;
        if (v10)
        {
            for (final String key : PpoWire.KEYS_1_1)
            {
                if (record.has(key))
                {
                    check.problem(key, "a telemetry_version 1.0 record carries no 1.1 key");
                }
            }
        }
        else if (v11)
        {
            for (final String key : PpoWire.KEYS_1_1)
            {
                if (key.equals(PpoWire.DATA_MODE))
                {
                    final JsonNode mode = record.get(key);
                    if (null == mode)
                    {
                        check.problem(key, "missing");
                    }
                    else if (!mode.isTextual() || !PpoWire.DATA_MODES.contains(mode.textValue()))
                    {
                        check.problem(key, "must be one of " + PpoWire.DATA_MODES + ", found " + RecordCheck.quote(mode));
                    }
                    continue;
                }
                final boolean valid = checkNumber(record, key, check);
                if (valid && key.equals(PpoWire.LOG_STREAM_OFFSET))
                {
                    offset = record.get(key).doubleValue();
                }
            }
        }
        return offset;
    }

    /**
     * @return whether the key holds a number that passed every rule for it.
     */
    private static boolean checkNumber(final ObjectNode record, final String key, final RecordCheck check)
    {
        final JsonNode value = record.get(key);
        if (null == value)
        {
            check.problem(key, "missing");
            return false;
        }
        if (!value.isNumber())
        {
            check.problem(key, "must be a number, found " + RecordCheck.quote(value));
            return false;
        }
        final double number = value.doubleValue();
        if (!Double.isFinite(number))
        {
            check.problem(key, "must be a finite number, found " + RecordCheck.quote(value));
            return false;
        }
        if (COUNTS.contains(key) && (number < 0 || number != Math.rint(number)))
        {
            check.problem(key, "must be a whole number, not negative (a count), found " + RecordCheck.quote(value));
            return false;
        }
        if (FRACTIONS.contains(key) && (number < 0.0 || number > 1.0))
        {
            check.problem(key, "must be a fraction from 0 to 1, found " + RecordCheck.quote(value));
            return false;
        }
        if (key.equals(PpoWire.REWARD_ADVANTAGE_CORR) && (number < -1.0 || number > 1.0))
        {
            check.problem(key, "must be a correlation from -1 to 1, found " + RecordCheck.quote(value));
            return false;
        }
        return true;
    }
}
