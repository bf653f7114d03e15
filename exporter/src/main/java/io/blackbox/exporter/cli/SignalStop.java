package io.blackbox.exporter.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * SIGINT or SIGTERM as a request to stop, for a command that runs until a recording ends (export --follow, ship,
 * demo): the shutdown hook asks the command's thread to stop, wakes it, and waits, since the JVM halts once its hooks
 * return, until the command has ended its files or saved its position ({@link #close()}).
 */
final class SignalStop implements AutoCloseable
{
    /** How long the hook waits for the command to end its files; the JVM halts when it returns. */
    static final long WAIT_SECONDS = 30;

    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread hook;

    /**
     * Register the hook for the calling thread, the one that checks {@link #requested()}.
     */
    SignalStop(final String name)
    {
        this(name, () -> {});
    }

    /**
     * Register the hook for the calling thread, the one that checks {@link #requested()}.
     *
     * @param onStop what else a stop does, on the hook's thread, before the hook waits (the demo interrupts its runs'
     *               threads and stops its ranks' processes).
     */
    SignalStop(final String name, final Runnable onStop)
    {
        final Thread running = Thread.currentThread();
        hook = new Thread(() ->
        {
            requested.set(true);
            onStop.run();
            LockSupport.unpark(running);
            try
            {
                ended.await(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ignore)
            {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    boolean requested()
    {
        return requested.get();
    }

    /**
     * Park for {@code ns}, unless a stop was requested (which also ends a park early).
     */
    void idle(final long ns)
    {
        if (!requested.get())
        {
            LockSupport.parkNanos(ns);
        }
    }

    /**
     * The command has ended: the hook, if running, may return.
     */
    public void close()
    {
        ended.countDown();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ignore)
        {
            // shutting down: the hook is running and waits for ended
        }
    }
}
