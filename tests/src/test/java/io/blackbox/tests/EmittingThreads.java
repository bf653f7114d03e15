package io.blackbox.tests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Threads that emit at once in a test: started named and held at a gate, let go together by {@link #awaitAll}, which
 * joins them by a deadline and fails the test with every exception they threw and with the stack of every thread
 * still running at the deadline. A thread left running is a daemon and is interrupted, so it cannot hang the build.
 * <pre>{@code
 * try (EmittingThreads threads = new EmittingThreads())
 * {
 *     threads.start("emitter-0", () -> ...);
 *     threads.awaitAll(Duration.ofMinutes(2));
 * }
 * }</pre>
 */
public final class EmittingThreads implements AutoCloseable
{
    /** What one thread does; anything it throws fails the test. */
    @FunctionalInterface
    public interface Body
    {
        void run() throws Exception;
    }

    /** What the thread of a given index does; anything it throws fails the test. */
    @FunctionalInterface
    public interface IndexedBody
    {
        void run(int index) throws Exception;
    }

    private record Failure(String thread, Throwable exception)
    {
    }

    private final CountDownLatch gate = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();

    /**
     * Run {@code count} threads named {@code name-0} .. {@code name-(count-1)} at once and wait for them.
     *
     * @throws AssertionError when one threw, or one is still running at the deadline.
     */
    public static void run(final String name, final int count, final Duration deadline, final IndexedBody body)
        throws InterruptedException
    {
        try (EmittingThreads threads = new EmittingThreads())
        {
            for (int i = 0; i < count; i++)
            {
                final int index = i;
                threads.start(name + "-" + i, () -> body.run(index));
            }
            threads.awaitAll(deadline);
        }
    }

    /**
     * Start a thread that waits at the gate, then runs {@code body}.
     *
     * @return this.
     */
    public EmittingThreads start(final String name, final Body body)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                gate.await();
                body.run();
            }
            catch (final Throwable ex)
            {
                failures.add(new Failure(Thread.currentThread().getName(), ex));
            }
        }, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        return this;
    }

    /**
     * Let every thread go and wait until all have finished or the deadline passes.
     *
     * @param deadline how long they may take together: a hang guard, not a measure (minutes, not seconds).
     * @throws AssertionError with every thread's exception, or the stacks of the threads still running at the
     *                        deadline (which are then interrupted).
     */
    public void awaitAll(final Duration deadline) throws InterruptedException
    {
        gate.countDown();
        final long deadlineNs = System.nanoTime() + deadline.toNanos();
        final List<Thread> running = new ArrayList<>();
        for (final Thread thread : threads)
        {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime())));
            if (thread.isAlive())
            {
                running.add(thread);
            }
        }

        final StringBuilder message = new StringBuilder();
        final List<Throwable> causes = new ArrayList<>();
        if (!running.isEmpty())
        {
            message.append(running.size()).append(" of ").append(threads.size())
                .append(" emitting threads still running after ").append(deadline).append(':');
            for (final Thread thread : running)
            {
                final Throwable stack = new Throwable("stack of " + thread.getName() + " at the deadline");
                stack.setStackTrace(thread.getStackTrace());
                causes.add(stack);
                message.append(' ').append(thread.getName());
                thread.interrupt();
            }
            message.append(". ");
        }
        if (!failures.isEmpty())
        {
            message.append(failures.size()).append(" of ").append(threads.size()).append(" emitting threads threw:");
            for (final Failure failure : failures)
            {
                causes.add(failure.exception());
                message.append(' ').append(failure.thread()).append(": ").append(failure.exception()).append(';');
            }
        }
        if (!causes.isEmpty())
        {
            final AssertionError error = new AssertionError(message.toString(), causes.get(0));
            causes.subList(1, causes.size()).forEach(error::addSuppressed);
            throw error;
        }
    }

    /**
     * Interrupt the threads still running: those {@link #awaitAll} was not called for, when a test failed first.
     */
    @Override
    public void close()
    {
        for (final Thread thread : threads)
        {
            thread.interrupt();
        }
    }
}
