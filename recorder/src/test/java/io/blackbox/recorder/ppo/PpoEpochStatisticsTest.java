package io.blackbox.recorder.ppo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PpoEpochStatistics} against the straightforward computation: every mini-batch and transition kept in arrays,
 * then means, a two-pass population standard deviation, maxima and Pearson's r computed from them as the harness
 * (numpy, {@code statistics.pstdev}) does. Random data over many shapes and scales, plus the edges the spec names: zero
 * variance (the correlation is 0.0, not NaN), one mini-batch (the entropy deviation is 0), NaN input.
 */
class PpoEpochStatisticsTest
{
    /** Running moments and two passes round differently; this far apart is a wrong formula, not rounding. */
    private static final double RELATIVE_TOLERANCE = 1e-9;

    /** One epoch's inputs, kept whole for the two-pass reference. */
    private static final class Epoch
    {
        final int miniBatches;
        final int[] transitions;
        final double[][] batch; // per mini-batch: policy, value, entropy, total, clip, kl, grad, advMean, advStd
        final double[] rewards;
        final double[] advantages;

        Epoch(final int miniBatches, final int pairs)
        {
            this.miniBatches = miniBatches;
            this.transitions = new int[miniBatches];
            this.batch = new double[miniBatches][9];
            this.rewards = new double[pairs];
            this.advantages = new double[pairs];
        }

        PpoEpochStatistics feed(final PpoEpochStatistics s)
        {
            s.reset();
            for (int m = 0; m < miniBatches; m++)
            {
                final double[] b = batch[m];
                s.miniBatch(transitions[m], b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8]);
            }
            for (int i = 0; i < rewards.length; i++)
            {
                s.transition(rewards[i], advantages[i]);
            }
            return s;
        }
    }

    private static Epoch random(final SplittableRandom random, final int miniBatches, final int pairs)
    {
        final Epoch e = new Epoch(miniBatches, pairs);
        final double scale = Math.pow(10, random.nextInt(-3, 4));
        for (int m = 0; m < miniBatches; m++)
        {
            e.transitions[m] = random.nextInt(1, 512);
            for (int k = 0; k < 9; k++)
            {
                e.batch[m][k] = scale * (random.nextDouble() - (k == 5 ? 0.5 : 0.0));
            }
            e.batch[m][4] = random.nextDouble(); // a clip fraction is in [0, 1]
            if (random.nextInt(5) == 0)
            {
                e.batch[m][4] = 0.0; // no clipping in this mini-batch
            }
            if (random.nextInt(7) == 0)
            {
                e.batch[m][8] = 1e-9; // zero advantage std
            }
        }
        final double offset = 1e4 * random.nextDouble(); // large, close values: where a sum of squares cancels
        final double slope = random.nextDouble() - 0.5;
        for (int i = 0; i < pairs; i++)
        {
            e.advantages[i] = offset + random.nextDouble();
            e.rewards[i] = offset + slope * e.advantages[i] + random.nextDouble();
        }
        return e;
    }

    @Test
    void shouldMatchTheTwoPassComputationOnRandomEpochs()
    {
        final SplittableRandom random = new SplittableRandom(20261205);
        final PpoEpochStatistics statistics = new PpoEpochStatistics();
        for (int round = 0; round < 500; round++)
        {
            final Epoch epoch = random(random, random.nextInt(1, 40), random.nextInt(2, 3000));
            assertMatchesTwoPass(epoch, epoch.feed(statistics), "round " + round);
        }
    }

    @Test
    void shouldGiveZeroCorrelationWhenEitherSideHasZeroVariance()
    {
        final PpoEpochStatistics s = new PpoEpochStatistics();
        for (int i = 0; i < 100; i++)
        {
            s.transition(0.1, i * 0.37); // the same reward every time; 0.1 has no exact binary form
        }
        assertEquals(0.0, s.rewardAdvantageCorr());

        s.reset();
        for (int i = 0; i < 100; i++)
        {
            s.transition(i, -4.0);
        }
        assertEquals(0.0, s.rewardAdvantageCorr());

        s.reset();
        s.transition(1.0, 2.0); // one pair has no variance either
        assertEquals(0.0, s.rewardAdvantageCorr());

        s.reset();
        assertEquals(0.0, s.rewardAdvantageCorr(), "no transitions");
    }

    @Test
    void shouldGiveAPerfectCorrelationWithinOne()
    {
        final PpoEpochStatistics s = new PpoEpochStatistics();
        for (int i = 0; i < 1000; i++)
        {
            s.transition(0.1 * i, 3.0 * 0.1 * i + 7.0);
        }
        assertEquals(1.0, s.rewardAdvantageCorr(), 1e-12);
        assertTrue(s.rewardAdvantageCorr() <= 1.0);
    }

    @Test
    void shouldGiveZeroEntropyDeviationForOneMiniBatch()
    {
        final PpoEpochStatistics s = new PpoEpochStatistics();
        s.miniBatch(64, 0.1, 0.2, 1.5, 0.3, 0.25, -0.01, 2.0, 0.0, 0.9);

        assertEquals(1, s.updates());
        assertEquals(64, s.transitions());
        assertEquals(1.5, s.batchEntropyMean());
        assertEquals(0.0, s.batchEntropyStd());
        assertEquals(0.01, s.klDivergenceMax(), "the largest absolute KL");
        assertEquals(-0.01, s.klDivergence());
        assertEquals(1, s.clipTriggeredMinibatches());
        assertEquals(0.25, s.clipFractionMax());
        assertEquals(0.9, s.advMinStd());
        assertEquals(0, s.advZeroStdBatches());
    }

    @Test
    void shouldGiveTheHarnessesValuesBeforeAnyMiniBatch()
    {
        final PpoEpochStatistics s = new PpoEpochStatistics();
        assertEquals(0, s.updates());
        assertEquals(0.0, s.advMinStd(), "the harness writes 0 for no mini-batch, not infinity");
        assertEquals(0.0, s.batchEntropyStd());
        assertTrue(Double.isNaN(s.lossPolicy()), "a mean of nothing is not a number");
    }

    @ParameterizedTest(name = "NaN at input {0}")
    @ValueSource(ints = { 0, 1, 2, 3, 4, 5, 6, 7, 8 })
    void shouldCarryANaNMiniBatchIntoTheStatisticsItEnters(final int input)
    {
        final PpoEpochStatistics s = new PpoEpochStatistics();
        final double[] values = { 0.1, 0.2, 1.5, 0.3, 0.25, 0.01, 2.0, 0.0, 0.9 };
        s.miniBatch(64, values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7], values[8]);
        values[input] = Double.NaN;
        s.miniBatch(64, values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7], values[8]);

        final double[] means = { s.lossPolicy(), s.lossValue(), s.lossEntropy(), s.lossTotal(), s.clipFraction(),
            s.klDivergence(), s.gradNorm(), s.advMean(), s.advStd() };
        for (int i = 0; i < means.length; i++)
        {
            assertEquals(i == input, Double.isNaN(means[i]), "mean " + i);
        }
        assertEquals(input == 2, Double.isNaN(s.batchEntropyStd()), "entropy std");
        assertEquals(input == 4, Double.isNaN(s.clipFractionMax()), "clip max");
        assertEquals(input == 5, Double.isNaN(s.klDivergenceMax()), "kl max");
        assertEquals(input == 6, Double.isNaN(s.gradNormMax()), "grad max");
        assertEquals(input == 8, Double.isNaN(s.advMinStd()), "adv min std");
    }

    @Test
    void shouldGiveNaNCorrelationForANaNTransition()
    {
        final PpoEpochStatistics s = new PpoEpochStatistics();
        s.transition(1.0, 2.0);
        s.transition(Double.NaN, 3.0);
        s.transition(3.0, 1.0);
        assertTrue(Double.isNaN(s.rewardAdvantageCorr()));

        s.reset();
        s.transition(1.0, Double.POSITIVE_INFINITY);
        s.transition(2.0, 1.0);
        assertTrue(Double.isNaN(s.rewardAdvantageCorr()), "an infinity has no correlation either");
    }

    private static void assertMatchesTwoPass(final Epoch e, final PpoEpochStatistics s, final String what)
    {
        final int n = e.miniBatches;
        final double[] sums = new double[9];
        double gradMax = 0;
        double klMax = 0;
        double clipMax = 0;
        long clipped = 0;
        long zeroStd = 0;
        double minStd = Double.POSITIVE_INFINITY;
        long transitions = 0;
        for (int m = 0; m < n; m++)
        {
            final double[] b = e.batch[m];
            for (int k = 0; k < 9; k++)
            {
                sums[k] += b[k];
            }
            gradMax = Math.max(gradMax, b[6]);
            klMax = Math.max(klMax, Math.abs(b[5]));
            clipMax = Math.max(clipMax, b[4]);
            clipped += b[4] > 0 ? 1 : 0;
            zeroStd += b[8] < 1e-8 ? 1 : 0;
            minStd = Math.min(minStd, b[8]);
            transitions += e.transitions[m];
        }
        final double[] entropies = new double[n];
        for (int m = 0; m < n; m++)
        {
            entropies[m] = e.batch[m][2];
        }

        assertEquals(n, s.updates(), what);
        assertEquals(transitions, s.transitions(), what);
        assertEquals(sums[0] / n, s.lossPolicy(), what);
        assertEquals(sums[1] / n, s.lossValue(), what);
        assertEquals(sums[2] / n, s.lossEntropy(), what);
        assertEquals(sums[3] / n, s.lossTotal(), what);
        assertEquals(sums[4] / n, s.clipFraction(), what);
        assertEquals(sums[5] / n, s.klDivergence(), what);
        assertEquals(sums[6] / n, s.gradNorm(), what);
        assertEquals(sums[7] / n, s.advMean(), what);
        assertEquals(sums[8] / n, s.advStd(), what);
        assertClose(n < 2 ? 0.0 : populationStd(entropies), s.batchEntropyStd(), what + " batch_entropy_std");
        assertEquals(gradMax, s.gradNormMax(), what);
        assertEquals(klMax, s.klDivergenceMax(), what);
        assertEquals(clipMax, s.clipFractionMax(), what);
        assertEquals(clipped, s.clipTriggeredMinibatches(), what);
        assertEquals(zeroStd, s.advZeroStdBatches(), what);
        assertEquals(minStd, s.advMinStd(), what);
        assertClose(pearson(e.rewards, e.advantages), s.rewardAdvantageCorr(), what + " reward_advantage_corr");
    }

    private static double populationStd(final double[] values)
    {
        final double mean = Arrays.stream(values).sum() / values.length;
        double squares = 0;
        for (final double v : values)
        {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / values.length);
    }

    private static double pearson(final double[] x, final double[] y)
    {
        final double meanX = Arrays.stream(x).sum() / x.length;
        final double meanY = Arrays.stream(y).sum() / y.length;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int i = 0; i < x.length; i++)
        {
            sxx += (x[i] - meanX) * (x[i] - meanX);
            syy += (y[i] - meanY) * (y[i] - meanY);
            sxy += (x[i] - meanX) * (y[i] - meanY);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0.0;
    }

    private static void assertClose(final double expected, final double actual, final String what)
    {
        assertTrue(Math.abs(expected - actual) <= RELATIVE_TOLERANCE * Math.max(1e-12, Math.abs(expected)),
            () -> what + ": expected " + expected + ", was " + actual);
    }
}
