package io.blackbox.bench.training;

/**
 * One PPO rollout of a fixed number of environment steps, in flat arrays reused from epoch to epoch: what each step
 * saw, did and got, the value estimates, and the advantages and returns of generalized advantage estimation (GAE)
 * computed from them. Episodes run across rollouts: the environment is not reset between epochs, and a rollout that ends
 * mid-episode bootstraps from the value of its last next state.
 * <p>
 * The episodes that ended inside the rollout are listed by the index of their last step, with their length and
 * return, for the mean episode length and the reward events.
 */
final class Rollout
{
    /** Steps in the rollout. */
    final int size;
    /** The states the actions were taken in, {@code size x STATE_DIM}. */
    final float[] states;
    /** The states the actions led to, before any reset, {@code size x STATE_DIM}. */
    final float[] nextStates;
    /** The actions taken. */
    final long[] actions;
    /** The log-probability of each action under the policy that took it. */
    final float[] logProbs;
    /** The policy's entropy in each state. */
    final float[] entropies;
    /** The rewards. */
    final double[] rewards;
    /** Whether the step ended its episode by failing: no value after it. */
    final boolean[] terminated;
    /** Whether the step ended its episode, failed or truncated: no advantage flows back across it. */
    final boolean[] episodeEnds;
    /** The value network's estimate of each state. */
    final float[] values;
    /** Its estimate of each next state. */
    final float[] nextValues;
    /** GAE advantages, not normalized. */
    final double[] advantages;
    /** Value targets: advantage plus value. */
    final float[] returns;

    /** The last step of each episode that ended in the rollout. */
    final int[] episodeLastSteps;
    /** Each such episode's length in steps (it may have begun in an earlier rollout). */
    final int[] episodeLengths;
    /** Each such episode's return: the sum of its rewards. */
    final double[] episodeReturns;
    private int episodes;

    Rollout(final int size)
    {
        this.size = size;
        states = new float[size * CartPole.STATE_DIM];
        nextStates = new float[size * CartPole.STATE_DIM];
        actions = new long[size];
        logProbs = new float[size];
        entropies = new float[size];
        rewards = new double[size];
        terminated = new boolean[size];
        episodeEnds = new boolean[size];
        values = new float[size];
        nextValues = new float[size];
        advantages = new double[size];
        returns = new float[size];
        episodeLastSteps = new int[size];
        episodeLengths = new int[size];
        episodeReturns = new double[size];
    }

    /**
     * Forget the episodes of the previous rollout; the step arrays are overwritten as the new one fills them.
     */
    void clear()
    {
        episodes = 0;
    }

    /**
     * An episode ended at step {@code t} of this rollout.
     */
    void episodeEnded(final int t, final int length, final double episodeReturn)
    {
        episodeLastSteps[episodes] = t;
        episodeLengths[episodes] = length;
        episodeReturns[episodes] = episodeReturn;
        episodes++;
    }

    /**
     * @return episodes that ended in this rollout.
     */
    int episodes()
    {
        return episodes;
    }

    /**
     * @return their mean length, NaN when none ended.
     */
    double meanEpisodeLength()
    {
        if (episodes == 0)
        {
            return Double.NaN;
        }
        long sum = 0;
        for (int i = 0; i < episodes; i++)
        {
            sum += episodeLengths[i];
        }
        return (double)sum / episodes;
    }

    /**
     * GAE(γ, λ) over the rollout, from the rewards and the value estimates: δ_t = r_t + γ V(s_t+1) - V(s_t), with no
     * V(s_t+1) after a failure (but after a truncation, whose next state still has a value); A_t = δ_t + γλ A_t+1
     * within an episode; the return target is A_t + V(s_t).
     */
    void computeAdvantages(final double gamma, final double lambda)
    {
        double next = 0;
        for (int t = size - 1; t >= 0; t--)
        {
            final double bootstrap = terminated[t] ? 0.0 : gamma * nextValues[t];
            final double delta = rewards[t] + bootstrap - values[t];
            final double carried = episodeEnds[t] ? 0.0 : gamma * lambda * next;
            next = delta + carried;
            advantages[t] = next;
            returns[t] = (float)(next + values[t]);
        }
    }

    /**
     * @return the fraction of the returns' variance the value estimates explain: 1 - Var(R - V) / Var(R), NaN when
     * the returns do not vary.
     */
    double explainedVariance()
    {
        double returnMean = 0;
        double residualMean = 0;
        for (int t = 0; t < size; t++)
        {
            returnMean += returns[t];
            residualMean += returns[t] - values[t];
        }
        returnMean /= size;
        residualMean /= size;
        double returnVar = 0;
        double residualVar = 0;
        for (int t = 0; t < size; t++)
        {
            final double r = returns[t] - returnMean;
            final double e = returns[t] - values[t] - residualMean;
            returnVar += r * r;
            residualVar += e * e;
        }
        return returnVar == 0 ? Double.NaN : 1.0 - residualVar / returnVar;
    }
}
