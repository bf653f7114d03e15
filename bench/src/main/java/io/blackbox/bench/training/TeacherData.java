package io.blackbox.bench.training;

import java.util.SplittableRandom;

/**
 * A synthetic classification task made from a seed: Gaussian inputs labelled by a fixed random "teacher" network
 * (one tanh hidden layer) with some labels replaced by random classes. A small train split and a larger test split
 * of the same distribution, so a network big enough to memorise the train split (noise included) overfits it and
 * the train/test gap opens. Plain arrays, row-major; the same seed gives the same data.
 */
public final class TeacherData
{
    /** Width of an input. */
    public static final int INPUT_DIM = 32;
    /** Number of classes. */
    public static final int CLASSES = 4;
    /** The teacher's labels depend on the input through this few units: learnable, not from 256 examples alone. */
    private static final int TEACHER_HIDDEN = 4;
    /** The teacher's logits are scaled up so that its classes are well separated where the labels are not noise. */
    private static final double TEACHER_LOGIT_SCALE = 3.0;

    private final float[] trainX;
    private final long[] trainY;
    private final float[] testX;
    private final long[] testY;

    private TeacherData(final float[] trainX, final long[] trainY, final float[] testX, final long[] testY)
    {
        this.trainX = trainX;
        this.trainY = trainY;
        this.testX = testX;
        this.testY = testY;
    }

    /**
     * @param seed       the task's seed: teacher, inputs and noise follow from it.
     * @param trainSize  examples in the train split.
     * @param testSize   examples in the test split.
     * @param labelNoise the fraction of labels replaced by a uniformly random class (in both splits).
     * @return the two splits.
     */
    public static TeacherData generate(final long seed, final int trainSize, final int testSize,
        final double labelNoise)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] w1 = gaussians(random, INPUT_DIM * TEACHER_HIDDEN, 1.0 / Math.sqrt(INPUT_DIM));
        final double[] b1 = gaussians(random, TEACHER_HIDDEN, 0.1);
        final double[] w2 =
            gaussians(random, TEACHER_HIDDEN * CLASSES, TEACHER_LOGIT_SCALE / Math.sqrt(TEACHER_HIDDEN));
        // Each split from a random stream of its own, so that one split's size does not change the other's examples.
        final SplittableRandom trainRandom = random.split();
        final SplittableRandom testRandom = random.split();

        final float[] trainX = new float[trainSize * INPUT_DIM];
        final long[] trainY = new long[trainSize];
        fill(trainRandom, w1, b1, w2, labelNoise, trainX, trainY);
        final float[] testX = new float[testSize * INPUT_DIM];
        final long[] testY = new long[testSize];
        fill(testRandom, w1, b1, w2, labelNoise, testX, testY);
        return new TeacherData(trainX, trainY, testX, testY);
    }

    public float[] trainX()
    {
        return trainX;
    }

    public long[] trainY()
    {
        return trainY;
    }

    public int trainSize()
    {
        return trainY.length;
    }

    public float[] testX()
    {
        return testX;
    }

    public long[] testY()
    {
        return testY;
    }

    private static double[] gaussians(final SplittableRandom random, final int count, final double scale)
    {
        final double[] values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = random.nextGaussian() * scale;
        }
        return values;
    }

    private static void fill(final SplittableRandom random, final double[] w1, final double[] b1, final double[] w2,
        final double labelNoise, final float[] x, final long[] y)
    {
        final double[] input = new double[INPUT_DIM];
        final double[] hidden = new double[TEACHER_HIDDEN];
        for (int row = 0; row < y.length; row++)
        {
            for (int i = 0; i < INPUT_DIM; i++)
            {
                input[i] = random.nextGaussian();
                x[row * INPUT_DIM + i] = (float)input[i];
            }
            for (int h = 0; h < TEACHER_HIDDEN; h++)
            {
                double sum = b1[h];
                for (int i = 0; i < INPUT_DIM; i++)
                {
                    sum += input[i] * w1[i * TEACHER_HIDDEN + h];
                }
                hidden[h] = Math.tanh(sum);
            }
            int label = 0;
            double best = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++)
            {
                double logit = 0.0;
                for (int h = 0; h < TEACHER_HIDDEN; h++)
                {
                    logit += hidden[h] * w2[h * CLASSES + c];
                }
                if (logit > best)
                {
                    best = logit;
                    label = c;
                }
            }
            // Drawn for every example, noisy or not, so the stream (and every later example) does not depend on it.
            final double coin = random.nextDouble();
            final int randomLabel = random.nextInt(CLASSES);
            y[row] = coin < labelNoise ? randomLabel : label;
        }
    }
}
