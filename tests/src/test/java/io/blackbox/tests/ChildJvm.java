package io.blackbox.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process the tests start, read and kill: a JVM like this one ({@link TestRecordings#javaCommand}) or any
 * command. Its stdout is read line by line on a thread of its own, so the child never blocks on a full pipe; its
 * stderr goes to a file, quoted by every failure; its stdin stays open until {@link #closeInput()}. {@link #close()} always kills it, so a test that fails half way
 * leaves no process behind: open it in try-with-resources.
 */
public final class ChildJvm implements AutoCloseable
{
    /** A guard against a hung child only, never a performance check. */
    public static final long DEADLINE_S = 60;

    private final String name;
    private final Process process;
    private final Path errors;
    private final Thread stdout;
    private final List<String> lines = new ArrayList<>();
    private boolean ended;
    private int awaited;

    private ChildJvm(final String name, final ProcessBuilder builder, final Path errors) throws IOException
    {
        this.name = name;
        this.errors = errors;
        process = builder.redirectError(errors.toFile()).start();
        stdout = new Thread(this::readStdout, name + "-stdout");
        stdout.setDaemon(true);
        stdout.start();
    }

    /**
     * Start a JVM like this one running {@code main} with {@code args}; its stderr goes to {@code errors}.
     */
    public static ChildJvm start(final Path errors, final Class<?> main, final String... args) throws IOException
    {
        return new ChildJvm(main.getSimpleName(), new ProcessBuilder(TestRecordings.javaCommand(main, args)), errors);
    }

    /**
     * Start the process {@code builder} describes (its command, directory and environment; stdout is read here
     * and stderr goes to {@code errors}), named {@code name} in failures.
     */
    public static ChildJvm start(final String name, final ProcessBuilder builder, final Path errors) throws IOException
    {
        return new ChildJvm(name, builder, errors);
    }

    public Process process()
    {
        return process;
    }

    /**
     * End the child's standard input (a child may take that as its cue to finish).
     */
    public void closeInput() throws IOException
    {
        process.getOutputStream().close();
    }

    /**
     * @return every line the child printed so far, in order.
     */
    public synchronized List<String> lines()
    {
        return List.copyOf(lines);
    }

    /**
     * Wait for the next line, after the one the last call returned, that starts with {@code prefix}; fails naming
     * what the child said when its output ends first or {@link #DEADLINE_S} passes.
     *
     * @return the line.
     */
    public synchronized String awaitLine(final String prefix) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_S);
        while (true)
        {
            while (awaited < lines.size())
            {
                final String line = lines.get(awaited++);
                if (line.startsWith(prefix))
                {
                    return line;
                }
            }
            final long remainingNs = deadline - System.nanoTime();
            if (ended || remainingNs <= 0)
            {
                throw new AssertionError(name + " never said " + prefix + (ended ? "" : " within " + DEADLINE_S + " s") +
                    "; it said " + lines + "\n" + errors());
            }
            TimeUnit.NANOSECONDS.timedWait(this, remainingNs);
        }
    }

    /**
     * SIGKILL, as an OOM killer sends it: no shutdown hook, no close. {@code ProcessHandle.destroyForcibly} is
     * kill(pid, SIGKILL) with no fork of a kill command, so a kill aimed at a moment lands there; unlike
     * {@code Process.destroyForcibly} it leaves our end of the child's stdout open, so the lines it printed just
     * before the kill are all read. Waits until the child is dead and its stdout read to the end.
     *
     * @return the child's exit value (137 when the kill killed it).
     */
    public int kill() throws InterruptedException
    {
        process.toHandle().destroyForcibly();
        return awaitExit();
    }

    /**
     * Wait for the child to exit and its stdout to be read to the end; fails after {@link #DEADLINE_S}.
     *
     * @return its exit value.
     */
    public int awaitExit() throws InterruptedException
    {
        if (!process.waitFor(DEADLINE_S, TimeUnit.SECONDS))
        {
            throw new AssertionError(name + " did not exit within " + DEADLINE_S + " s; it said " + lines() + "\n" + errors());
        }
        stdout.join(TimeUnit.SECONDS.toMillis(DEADLINE_S));
        if (stdout.isAlive())
        {
            throw new AssertionError(name + ": its stdout did not end");
        }
        return process.exitValue();
    }

    /**
     * @return what the child wrote to stderr so far (or why it could not be read).
     */
    public String errors()
    {
        try
        {
            return Files.readString(errors);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(DEADLINE_S, TimeUnit.SECONDS);
    }

    private void readStdout()
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                synchronized (this)
                {
                    lines.add(line);
                    notifyAll();
                }
            }
        }
        catch (final IOException ex)
        {
            synchronized (this)
            {
                lines.add("stdout: " + ex);
            }
        }
        finally
        {
            synchronized (this)
            {
                ended = true;
                notifyAll();
            }
        }
    }
}
