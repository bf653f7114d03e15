package io.blackbox.exporter.gradience;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Watches the generalization gap of each run, the way the original Gradience project computes it.
 * <p>
 * For every {@code run_id} the monitor keeps the last {@code eval} record of split {@code train} and the last of
 * split {@code test}, in the order they are fed. The gap is {@code test_ppl / train_ppl} of those two, computed in
 * double precision; when either has no numeric {@code metrics.ppl} there is no gap (as in the original: an earlier
 * eval's perplexity does not stand in for it). At or above the threshold (1.5 unless configured: the comparison is
 * of the double itself, so {@code 1.4999999999999998} does not alert) it is an alert with code {@value #ALERT_CODE}
 * and severity {@value #ALERT_SEVERITY}.
 * <p>
 * Feed records with {@link #onRecord(JsonNode)} after validating them: the monitor ignores what it cannot use (a
 * record without a string {@code run_id}, an {@code eval} whose {@code metrics.ppl} is not a number) rather than
 * failing, but it does not report why. It may be fed live, a record at a time, and asked for {@link #reports()} at
 * any point. A monitor is not thread-safe.
 */
public final class GradienceMonitor
{
    /**
     * The gap at or above which the monitor alerts, unless configured otherwise.
     */
    public static final double DEFAULT_THRESHOLD = 1.5;

    /**
     * The {@code code} of the alert the monitor raises.
     */
    public static final String ALERT_CODE = GradienceWire.CODE_MEMORIZATION_GAP;

    /**
     * The {@code severity} of the alert the monitor raises.
     */
    public static final String ALERT_SEVERITY = GradienceWire.SEVERITY_WARNING;

    /**
     * The split whose perplexity is the gap's denominator.
     */
    public static final String TRAIN_SPLIT = GradienceWire.SPLIT_TRAIN;

    /**
     * The split whose perplexity is the gap's numerator.
     */
    public static final String TEST_SPLIT = GradienceWire.SPLIT_TEST;

    private final double threshold;
    private final Map<String, RunState> runs = new LinkedHashMap<>();

    /**
     * A monitor that alerts at a gap of {@link #DEFAULT_THRESHOLD} or more.
     */
    public GradienceMonitor()
    {
        this(DEFAULT_THRESHOLD);
    }

    /**
     * A monitor that alerts at a gap of {@code threshold} or more.
     *
     * @param threshold the gap that raises the alert; finite and greater than 0.
     * @throws IllegalArgumentException if the threshold is not finite and positive.
     */
    public GradienceMonitor(final double threshold)
    {
        if (!(threshold > 0.0) || Double.isInfinite(threshold))
        {
            throw new IllegalArgumentException("threshold=" + threshold + " must be a finite number greater than 0");
        }
        this.threshold = threshold;
    }

    /**
     * The gap at or above which this monitor alerts.
     *
     * @return the threshold.
     */
    public double threshold()
    {
        return threshold;
    }

    /**
     * Feed one record. Every record with a string {@code run_id} makes its run known; an {@code eval} of split
     * {@code train} or {@code test} becomes that split's last eval, its perplexity the numeric {@code metrics.ppl} or
     * none.
     *
     * @param record a telemetry record, ideally validated; anything else is ignored.
     */
    public void onRecord(final JsonNode record)
    {
        if (null == record || !record.isObject())
        {
            return;
        }

        final JsonNode runId = record.get(GradienceWire.RUN_ID);
        if (null == runId || !runId.isTextual())
        {
            return;
        }
        final RunState run = runs.computeIfAbsent(runId.textValue(), RunState::new);

        if (!isText(record.get(GradienceWire.EVENT), GradienceWire.EVENT_EVAL))
        {
            return;
        }

        final JsonNode metrics = record.get(GradienceWire.METRICS);
        final JsonNode pplNode = null == metrics ? null : metrics.get(GradienceWire.PPL);
        final Double ppl = null != pplNode && pplNode.isNumber() ? pplNode.doubleValue() : null;

        final JsonNode split = record.get(GradienceWire.SPLIT);
        if (isText(split, TRAIN_SPLIT))
        {
            run.trainPpl = ppl;
            run.trainStep = step(record);
        }
        else if (isText(split, TEST_SPLIT))
        {
            run.testPpl = ppl;
            run.testStep = step(record);
        }
    }

    /**
     * The gap of one run as it stands.
     *
     * @param runId the run.
     * @return its report, or null when no record of the run has been fed.
     */
    public GapReport report(final String runId)
    {
        final RunState run = runs.get(runId);
        return null == run ? null : run.report(threshold);
    }

    /**
     * The gap of every run as it stands.
     *
     * @return one report per run, in the order the runs first appeared.
     */
    public List<GapReport> reports()
    {
        final List<GapReport> reports = new ArrayList<>(runs.size());
        for (final RunState run : runs.values())
        {
            reports.add(run.report(threshold));
        }

        return reports;
    }

    private static boolean isText(final JsonNode node, final String expected)
    {
        return null != node && node.isTextual() && expected.equals(node.textValue());
    }

    private static Long step(final JsonNode record)
    {
        final JsonNode step = record.get(GradienceWire.STEP);
        return null != step && step.isIntegralNumber() && step.canConvertToLong() ? step.longValue() : null;
    }

    /**
     * The generalization gap of one run.
     *
     * @param runId     the run.
     * @param trainPpl  the perplexity of the last {@code train} eval, or null when there is none.
     * @param trainStep that eval's step, or null when it has none or there is no such eval.
     * @param testPpl   the perplexity of the last {@code test} eval, or null when there is none.
     * @param testStep  that eval's step, or null when it has none or there is no such eval.
     * @param gap       {@code testPpl / trainPpl}; null when either is missing or {@code trainPpl} is not greater
     *                  than 0; NaN when {@code testPpl} is NaN.
     * @param threshold the gap at or above which the run alerts.
     * @param alert     whether {@code gap >= threshold}.
     */
    public record GapReport(
        String runId,
        Double trainPpl,
        Long trainStep,
        Double testPpl,
        Long testStep,
        Double gap,
        double threshold,
        boolean alert)
    {
        /**
         * The human-readable {@code message} of the {@value GradienceMonitor#ALERT_CODE} alert for this run.
         *
         * @return the message.
         * @throws IllegalStateException when the gap is not known.
         */
        public String alertMessage()
        {
            requireGap();
            return String.format(
                Locale.ROOT,
                "generalization gap %.3f (test ppl %s / train ppl %s) is at or above the threshold %s",
                gap,
                testPpl,
                trainPpl,
                threshold);
        }

        /**
         * The {@code context} object of the {@value GradienceMonitor#ALERT_CODE} alert for this run, with the keys
         * {@code gap}, {@code train_ppl}, {@code test_ppl}, {@code threshold}, {@code train_step}, {@code test_step} in that
         * order; a step is null when its eval had none.
         *
         * @return a new, modifiable, ordered map.
         * @throws IllegalStateException when the gap is not known.
         */
        public Map<String, Object> alertContext()
        {
            requireGap();
            final Map<String, Object> context = new LinkedHashMap<>();
            context.put(GradienceWire.GAP_CONTEXT_GAP, gap);
            context.put(GradienceWire.GAP_CONTEXT_TRAIN_PPL, trainPpl);
            context.put(GradienceWire.GAP_CONTEXT_TEST_PPL, testPpl);
            context.put(GradienceWire.GAP_CONTEXT_THRESHOLD, threshold);
            context.put(GradienceWire.GAP_CONTEXT_TRAIN_STEP, trainStep);
            context.put(GradienceWire.GAP_CONTEXT_TEST_STEP, testStep);

            return context;
        }

        private void requireGap()
        {
            if (null == gap)
            {
                throw new IllegalStateException("no generalization gap for run_id=" + runId);
            }
        }
    }

    /**
     * What the monitor remembers of one run.
     */
    private static final class RunState
    {
        private final String runId;
        private Double trainPpl;
        private Long trainStep;
        private Double testPpl;
        private Long testStep;

        RunState(final String runId)
        {
            this.runId = Objects.requireNonNull(runId);
        }

        GapReport report(final double threshold)
        {
            // A non-positive (or NaN) train perplexity has no meaningful ratio; the original returns no gap.
            final Double gap = null != trainPpl && null != testPpl && trainPpl > 0.0 ? testPpl / trainPpl : null;
            final boolean alert = null != gap && gap >= threshold;

            return new GapReport(runId, trainPpl, trainStep, testPpl, testStep, gap, threshold, alert);
        }
    }
}
