package io.blackbox.bench.gradience;

/**
 * The one logical record every alternative writes: a Gradience {@code train_step} of one run (step, loss, lr, a
 * timestamp each writer takes itself, and the run id). The values are non-final fields so the JIT cannot fold
 * them into constants; {@code step} counts the records this thread has written.
 */
public class TrainStepValues
{
    /** A run id shaped as the Gradience producers write them (a UUID): writers that store text pay for its length. */
    public static final String RUN_ID = "fbbeb25f-02c0-4aa5-a7eb-5a9884cbcb51";

    public String runId = RUN_ID;
    public long step;
    public double loss = 0.6931471805599453;
    public double lr = 4.375e-4;
}
