package io.blackbox.recorder;

import org.junit.jupiter.api.Test;

import static io.blackbox.recorder.DrainerIdleStrategy.MAX_PARK_NS;
import static io.blackbox.recorder.DrainerIdleStrategy.MIN_PARK_NS;
import static io.blackbox.recorder.DrainerIdleStrategy.TRICKLE_DIVISOR;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The drainer's pace, round by round: straight on after a busy round, a short park after a smaller one, parks
 * doubling to the longest while rounds find nothing or a trickle. What a park costs and saves is measured in docs/benchmarks.md.
 */
class DrainerIdleStrategyTest
{
    private static final int BUSY = 64 * 1024;
    private static final int TRICKLE = BUSY / TRICKLE_DIVISOR;

    private final DrainerIdleStrategy pace = new DrainerIdleStrategy(BUSY);

    @Test
    void shouldGoStraightOnAfterABusyRound()
    {
        assertEquals(0, pace.parkNs(BUSY));
        assertEquals(0, pace.parkNs(Integer.MAX_VALUE));
    }

    @Test
    void shouldParkTheShortestAfterARoundThatDrainedLessThanBusyButMoreThanATrickle()
    {
        assertEquals(MIN_PARK_NS, pace.parkNs(BUSY - 1));
        assertEquals(MIN_PARK_NS, pace.parkNs(TRICKLE));
    }

    @Test
    void shouldBackOffWhileRoundsDrainATrickleAsWhileTheyFindNothing()
    {
        assertEquals(2 * MIN_PARK_NS, pace.parkNs(TRICKLE - 1), "a record or two a round: a training loop's pace");
        assertEquals(4 * MIN_PARK_NS, pace.parkNs(48));
        assertEquals(MAX_PARK_NS, pace.parkNs(0));
        assertEquals(MIN_PARK_NS, pace.parkNs(TRICKLE), "more than a trickle: the shortest again");
    }

    @Test
    void shouldCountAnyWorkAsMoreThanATrickleWhenTheBusyCountIsTiny()
    {
        final DrainerIdleStrategy tiny = new DrainerIdleStrategy(TRICKLE_DIVISOR - 1);
        assertEquals(MIN_PARK_NS, tiny.parkNs(1));
    }

    @Test
    void shouldDoubleTheParkWhileRoundsFindNothingUpToTheLongest()
    {
        assertEquals(2 * MIN_PARK_NS, pace.parkNs(0));
        assertEquals(4 * MIN_PARK_NS, pace.parkNs(0));
        assertEquals(MAX_PARK_NS, 4 * MIN_PARK_NS, "this test's premise: two doublings reach the longest");
        assertEquals(MAX_PARK_NS, pace.parkNs(0));
        assertEquals(MAX_PARK_NS, pace.parkNs(0));
    }

    @Test
    void shouldStartOverFromTheShortestOnWorkOrReset()
    {
        pace.parkNs(0);
        pace.parkNs(0);
        assertEquals(MIN_PARK_NS, pace.parkNs(TRICKLE), "a round with work");
        assertEquals(2 * MIN_PARK_NS, pace.parkNs(0));

        pace.parkNs(0);
        assertEquals(0, pace.parkNs(BUSY), "a busy round");
        assertEquals(2 * MIN_PARK_NS, pace.parkNs(0));

        pace.parkNs(0);
        pace.reset();
        assertEquals(2 * MIN_PARK_NS, pace.parkNs(0), "reset: the next idle round doubles from the shortest");
    }
}
