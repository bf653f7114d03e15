package io.blackbox.bench.training;

import java.util.SplittableRandom;

/**
 * The classic cart-pole balancing task (Barto, Sutton and Anderson, 1983), with the dynamics, constants and limits of
 * Gym's {@code CartPole-v1}: a 4-d state (cart position, cart velocity, pole angle, pole angular velocity), two
 * actions (push left, push right, 10 N), a reward of 1 for every step, the episode ending when the pole leans past
 * ±12° or the cart leaves ±2.4 (terminated) or after {@code maxSteps} steps (truncated). Explicit Euler integration,
 * 20 ms a step; each episode starts from a state drawn uniformly from ±0.05, from a seeded {@link SplittableRandom}.
 * <p>
 * Not thread-safe; allocates nothing after construction.
 */
final class CartPole
{
    /** Dimensions of the state. */
    static final int STATE_DIM = 4;
    /** Actions: 0 pushes the cart left, 1 pushes it right. */
    static final int ACTIONS = 2;
    /** The reward of every step, the last included. */
    static final double REWARD = 1.0;

    private static final double GRAVITY = 9.8;
    private static final double CART_MASS = 1.0;
    private static final double POLE_MASS = 0.1;
    private static final double TOTAL_MASS = CART_MASS + POLE_MASS;
    private static final double HALF_POLE_LENGTH = 0.5;
    private static final double POLE_MASS_LENGTH = POLE_MASS * HALF_POLE_LENGTH;
    private static final double FORCE = 10.0;
    private static final double TAU = 0.02;
    private static final double ANGLE_LIMIT = 12 * 2 * Math.PI / 360;
    private static final double POSITION_LIMIT = 2.4;
    private static final double START_RANGE = 0.05;

    private final SplittableRandom random;
    private final int maxSteps;

    private double x;
    private double xDot;
    private double theta;
    private double thetaDot;
    private int steps;
    private double episodeReturn;
    private boolean terminated;
    private boolean truncated;

    /**
     * @param seed     of the start states.
     * @param maxSteps steps after which an episode is truncated (200 for v0, 500 for v1).
     */
    CartPole(final long seed, final int maxSteps)
    {
        if (maxSteps < 1)
        {
            throw new IllegalArgumentException("max steps " + maxSteps);
        }
        this.random = new SplittableRandom(seed);
        this.maxSteps = maxSteps;
        reset();
    }

    /**
     * A new episode, from a random state near upright and still.
     */
    void reset()
    {
        x = uniformStart();
        xDot = uniformStart();
        theta = uniformStart();
        thetaDot = uniformStart();
        steps = 0;
        episodeReturn = 0;
        terminated = false;
        truncated = false;
    }

    /**
     * Write the state, as the policy sees it, at {@code into[offset..offset + 3]}.
     */
    void observe(final float[] into, final int offset)
    {
        into[offset] = (float)x;
        into[offset + 1] = (float)xDot;
        into[offset + 2] = (float)theta;
        into[offset + 3] = (float)thetaDot;
    }

    /**
     * One step of 20 ms under a push left (0) or right (1).
     *
     * @return the step's reward.
     * @throws IllegalStateException when the episode is over (reset first).
     */
    double step(final int action)
    {
        if (terminated || truncated)
        {
            throw new IllegalStateException("the episode is over: reset first");
        }
        if (action != 0 && action != 1)
        {
            throw new IllegalArgumentException("action " + action);
        }
        final double force = action == 1 ? FORCE : -FORCE;
        final double cos = Math.cos(theta);
        final double sin = Math.sin(theta);
        final double temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
        final double thetaAcc = (GRAVITY * sin - cos * temp) /
            (HALF_POLE_LENGTH * (4.0 / 3.0 - POLE_MASS * cos * cos / TOTAL_MASS));
        final double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cos / TOTAL_MASS;

        // Explicit Euler, in Gym's order: positions from the old velocities.
        x += TAU * xDot;
        xDot += TAU * xAcc;
        theta += TAU * thetaDot;
        thetaDot += TAU * thetaAcc;
        steps++;
        episodeReturn += REWARD;

        terminated = x < -POSITION_LIMIT || x > POSITION_LIMIT || theta < -ANGLE_LIMIT || theta > ANGLE_LIMIT;
        truncated = !terminated && steps >= maxSteps;
        return REWARD;
    }

    /**
     * @return whether the episode ended by failing: the pole fell or the cart left the track (no value after it).
     */
    boolean terminated()
    {
        return terminated;
    }

    /**
     * @return whether the episode was cut at its step limit with the pole still up (the state still has a value).
     */
    boolean truncated()
    {
        return truncated;
    }

    /**
     * @return steps of the current episode so far.
     */
    int steps()
    {
        return steps;
    }

    /**
     * @return the rewards of the current episode so far.
     */
    double episodeReturn()
    {
        return episodeReturn;
    }

    private double uniformStart()
    {
        return START_RANGE * (2 * random.nextDouble() - 1);
    }
}
