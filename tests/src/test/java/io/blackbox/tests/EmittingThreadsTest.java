package io.blackbox.tests;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixture the emitting tests rely on to fail: every thread runs once, every exception fails the caller, and a
 * thread that does not finish fails it with its stack.
 */
class EmittingThreadsTest
{
    @Test
    void shouldRunEveryThreadOnceUnderItsName() throws InterruptedException
    {
        final AtomicIntegerArray runs = new AtomicIntegerArray(4);
        final String[] names = new String[4];
        EmittingThreads.run("emitter", 4, Duration.ofMinutes(1), index ->
        {
            runs.incrementAndGet(index);
            names[index] = Thread.currentThread().getName();
        });

        assertEquals("[1, 1, 1, 1]", runs.toString());
        assertEquals("[emitter-0, emitter-1, emitter-2, emitter-3]", Arrays.toString(names));
    }

    @Test
    void shouldFailWithTheExceptionOfEveryThreadThatThrew()
    {
        final AssertionError failure = assertThrows(AssertionError.class, () ->
            EmittingThreads.run("emitter", 3, Duration.ofMinutes(1), index ->
            {
                if (index != 1)
                {
                    throw new IllegalStateException("thrown by " + index);
                }
            }));

        assertTrue(failure.getMessage().startsWith("2 of 3 emitting threads threw:"), failure::getMessage);
        assertTrue(failure.getMessage().contains("emitter-0: java.lang.IllegalStateException: thrown by 0"), failure::getMessage);
        assertTrue(failure.getMessage().contains("emitter-2: java.lang.IllegalStateException: thrown by 2"), failure::getMessage);
        assertEquals(1, failure.getSuppressed().length, "the second exception");
    }

    @Test
    void shouldFailWithTheStackOfAThreadStillRunningAtTheDeadline()
    {
        final CountDownLatch never = new CountDownLatch(1);
        final AssertionError failure = assertThrows(AssertionError.class, () ->
            EmittingThreads.run("stuck", 1, Duration.ofMillis(1), index -> waitForever(never)));

        assertTrue(failure.getMessage().startsWith("1 of 1 emitting threads still running after PT0.001S: stuck-0."),
            failure::getMessage);
        // The stack is wherever the thread was at the deadline: at the gate or in the body, by the scheduler's whim.
        assertEquals("stack of stuck-0 at the deadline", failure.getCause().getMessage());
    }

    private static void waitForever(final CountDownLatch never) throws InterruptedException
    {
        never.await();
    }
}
