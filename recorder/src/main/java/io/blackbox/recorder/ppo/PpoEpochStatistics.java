package io.blackbox.recorder.ppo;

/**
 * What one PPO epoch's mini-batches and transitions add up to, kept as running sums and moments in a few fields so
 * that a training loop feeds it per mini-batch and per transition with no allocation and no record: the epoch's
 * record is written once, at its end, from these ({@link PpoEmitter#epochEnd}).
 * <p>
 * The statistics are those of townlet's harness ({@code samples/README.md}): the 1.0 keys are means over the
 * mini-batches (summed in order, then divided, as the harness does); {@code batch_entropy_std} is the population
 * standard deviation of the mini-batch entropies (0 for one); {@code kl_divergence_max} is the largest absolute
 * mini-batch KL; a mini-batch "triggers clipping" when its clip fraction is above 0 and has "zero advantage std" when
 * its advantage standard deviation is below {@value #ZERO_STD}; {@code reward_advantage_corr} is Pearson's r over
 * every transition's reward and advantage, 0.0 when either has zero variance (or there are fewer than two).
 * <p>
 * Variances are Welford's running moments, not a sum of squares less a squared sum: no cancellation when the values
 * are large and close, and a side whose values are all equal has exactly zero variance, so its correlation is exactly
 * the documented 0.0. A NaN (or an infinity that makes one) fed in makes every statistic it enters NaN, so a diverged
 * mini-batch shows in the record rather than vanishing into a maximum. Not thread-safe: one per emitter.
 */
public final class PpoEpochStatistics
{
    /** An advantage standard deviation below this counts as zero ({@code adv_zero_std_batches}), as in the harness. */
    public static final double ZERO_STD = 1e-8;

    private long miniBatches;
    private long transitions;
    private double policyLossSum;
    private double valueLossSum;
    private double entropySum;
    private double totalLossSum;
    private double clipFractionSum;
    private double advantageMeanSum;
    private double advantageStdSum;
    private double gradNormSum;
    private double klSum;

    private double entropyMean;
    private double entropyM2;
    private double gradNormMax;
    private double klAbsMax;
    private double clipFractionMax;
    private long clipTriggered;
    private long advantageZeroStd;
    private double advantageMinStd;

    private long pairs;
    private double rewardMean;
    private double advantageMean;
    private double rewardM2;
    private double advantageM2;
    private double coMoment;

    public PpoEpochStatistics()
    {
        reset();
    }

    /**
     * Forget everything: a new epoch begins.
     */
    public void reset()
    {
        miniBatches = 0;
        transitions = 0;
        policyLossSum = 0;
        valueLossSum = 0;
        entropySum = 0;
        totalLossSum = 0;
        clipFractionSum = 0;
        advantageMeanSum = 0;
        advantageStdSum = 0;
        gradNormSum = 0;
        klSum = 0;
        entropyMean = 0;
        entropyM2 = 0;
        gradNormMax = 0;
        klAbsMax = 0;
        clipFractionMax = 0;
        clipTriggered = 0;
        advantageZeroStd = 0;
        advantageMinStd = Double.POSITIVE_INFINITY;
        pairs = 0;
        rewardMean = 0;
        advantageMean = 0;
        rewardM2 = 0;
        advantageM2 = 0;
        coMoment = 0;
    }

    /**
     * One optimizer update on a mini-batch.
     *
     * @param transitions   transitions in the mini-batch.
     * @param policyLoss    its policy (surrogate) loss.
     * @param valueLoss     its value loss.
     * @param entropy       its mean policy entropy.
     * @param totalLoss     its total loss.
     * @param clipFraction  the fraction of its ratios clipped, in [0, 1].
     * @param klDivergence  its approximate KL divergence (mean of old minus new log-probabilities; may be negative).
     * @param gradNorm      its gradient norm (before clipping, as the optimizer reports it).
     * @param advantageMean the mean of its advantages.
     * @param advantageStd  the population standard deviation of its advantages.
     */
    public void miniBatch(
        final int transitions,
        final double policyLoss,
        final double valueLoss,
        final double entropy,
        final double totalLoss,
        final double clipFraction,
        final double klDivergence,
        final double gradNorm,
        final double advantageMean,
        final double advantageStd)
    {
        miniBatches++;
        this.transitions += transitions;
        policyLossSum += policyLoss;
        valueLossSum += valueLoss;
        entropySum += entropy;
        totalLossSum += totalLoss;
        clipFractionSum += clipFraction;
        advantageMeanSum += advantageMean;
        advantageStdSum += advantageStd;
        gradNormSum += gradNorm;
        klSum += klDivergence;

        final double delta = entropy - entropyMean;
        entropyMean += delta / miniBatches;
        entropyM2 += delta * (entropy - entropyMean);

        gradNormMax = Math.max(gradNormMax, gradNorm);
        klAbsMax = Math.max(klAbsMax, Math.abs(klDivergence));
        clipFractionMax = Math.max(clipFractionMax, clipFraction);
        if (clipFraction > 0.0)
        {
            clipTriggered++;
        }
        if (advantageStd < ZERO_STD)
        {
            advantageZeroStd++;
        }
        advantageMinStd = Math.min(advantageMinStd, advantageStd);
    }

    /**
     * One transition's reward and advantage, for {@link #rewardAdvantageCorr()}.
     */
    public void transition(final double reward, final double advantage)
    {
        pairs++;
        final double rewardDelta = reward - rewardMean;
        rewardMean += rewardDelta / pairs;
        final double advantageDelta = advantage - advantageMean;
        advantageMean += advantageDelta / pairs;
        // The co-moment takes one delta before its mean moved and the other after: exact in exact arithmetic.
        rewardM2 += rewardDelta * (reward - rewardMean);
        advantageM2 += advantageDelta * (advantage - advantageMean);
        coMoment += rewardDelta * (advantage - advantageMean);
    }

    /**
     * @return mini-batches so far ({@code updates}).
     */
    public long updates()
    {
        return miniBatches;
    }

    /**
     * @return transitions over the mini-batches ({@code transitions}).
     */
    public long transitions()
    {
        return transitions;
    }

    /**
     * @return reward and advantage pairs given to {@link #transition}.
     */
    public long rewardAdvantagePairs()
    {
        return pairs;
    }

    public double lossPolicy()
    {
        return policyLossSum / miniBatches;
    }

    public double lossValue()
    {
        return valueLossSum / miniBatches;
    }

    public double lossEntropy()
    {
        return entropySum / miniBatches;
    }

    public double lossTotal()
    {
        return totalLossSum / miniBatches;
    }

    public double clipFraction()
    {
        return clipFractionSum / miniBatches;
    }

    public double advMean()
    {
        return advantageMeanSum / miniBatches;
    }

    public double advStd()
    {
        return advantageStdSum / miniBatches;
    }

    public double gradNorm()
    {
        return gradNormSum / miniBatches;
    }

    public double klDivergence()
    {
        return klSum / miniBatches;
    }

    /**
     * @return the mean mini-batch entropy, {@link #lossEntropy()} (the harness gives both keys the same mean).
     */
    public double batchEntropyMean()
    {
        return lossEntropy();
    }

    /**
     * @return the population standard deviation of the mini-batch entropies, 0 for fewer than two.
     */
    public double batchEntropyStd()
    {
        return miniBatches < 2 ? 0.0 : Math.sqrt(entropyM2 / miniBatches);
    }

    public double gradNormMax()
    {
        return gradNormMax;
    }

    /**
     * @return the largest absolute mini-batch KL divergence, 0 before any.
     */
    public double klDivergenceMax()
    {
        return klAbsMax;
    }

    public double clipFractionMax()
    {
        return clipFractionMax;
    }

    public long clipTriggeredMinibatches()
    {
        return clipTriggered;
    }

    public long advZeroStdBatches()
    {
        return advantageZeroStd;
    }

    /**
     * @return the smallest mini-batch advantage standard deviation, 0 before any (the harness's choice).
     */
    public double advMinStd()
    {
        return miniBatches == 0 ? 0.0 : advantageMinStd;
    }

    /**
     * @return Pearson's r of the transitions' rewards and advantages, within [-1, 1]; 0.0 when either side has zero
     * variance or there are fewer than two pairs; NaN when a NaN or infinity was given.
     */
    public double rewardAdvantageCorr()
    {
        if (Double.isNaN(rewardM2) || Double.isNaN(advantageM2) || Double.isNaN(coMoment))
        {
            return Double.NaN;
        }
        if (!(rewardM2 > 0.0) || !(advantageM2 > 0.0))
        {
            return 0.0;
        }
        // Two roots, not the root of a product: the product of two large moments overflows.
        final double r = coMoment / (Math.sqrt(rewardM2) * Math.sqrt(advantageM2));
        // Rounding can carry a perfect correlation just past 1; numpy's corrcoef clips the same way.
        return Math.max(-1.0, Math.min(1.0, r));
    }
}
