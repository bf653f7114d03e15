package io.blackbox.bench.gradience;

import io.blackbox.bench.TemporaryDirectory;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.apache.logging.log4j.core.async.AsyncLoggerContextSelector;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.apache.logging.log4j.util.Unbox.box;

/**
 * Log4j 2 as a telemetry writer, set up for speed as its manual advises: every logger asynchronous (the
 * Disruptor ring between the logging thread and the one that writes), garbage-free parameters ({@code Unbox}), a
 * RandomAccessFile appender without a flush per event, into a file in a fresh temporary directory; nothing on the
 * console. Configured in code, for the trial, otherwise Log4j's defaults. The timestamp is Log4j's own.
 * <p>
 * Log4j's default policy for a full ring is documented to wait, so nothing should be lost; at the end this counts
 * the lines in the file against the events logged, and prints both. (With Log4j 2.25 and Disruptor 4.0, two or
 * more threads logging into a full ring lost events here: the file had fewer lines than events logged, with no
 * status message, whether thread-locals were on or off; with a ring large enough never to fill, none were lost.)
 */
@State(Scope.Benchmark)
public class Log4jAsyncState
{
    static
    {
        // Before Log4j initialises: all loggers asynchronous.
        System.setProperty("log4j2.contextSelector", AsyncLoggerContextSelector.class.getName());
    }

    final Queue<TrainStepValues> loggers = new ConcurrentLinkedQueue<>();
    Logger logger;
    private LoggerContext context;
    private Path directory;
    private Path file;

    @Setup(org.openjdk.jmh.annotations.Level.Trial)
    public void start() throws IOException
    {
        directory = TemporaryDirectory.create("blackbox-bench-log4j-");
        file = directory.resolve("train.log");
        final ConfigurationBuilder<BuiltConfiguration> builder = ConfigurationBuilderFactory.newConfigurationBuilder();
        builder.setConfigurationName("blackbox-bench");
        builder.setStatusLevel(Level.ERROR);
        builder.add(builder.newAppender("file", "RandomAccessFile")
            .addAttribute("fileName", file.toString())
            .addAttribute("immediateFlush", false)
            .addAttribute("append", false)
            .add(builder.newLayout("PatternLayout").addAttribute("pattern", "%d{UNIX_MILLIS} %m%n")));
        builder.add(builder.newRootLogger(Level.INFO).add(builder.newAppenderRef("file")));
        context = Configurator.initialize(builder.build());
        if (!(context instanceof AsyncLoggerContext))
        {
            throw new IllegalStateException("Log4j loggers are not all asynchronous: context=" + context.getClass());
        }
        logger = context.getLogger("blackbox.bench.train");
    }

    @TearDown(org.openjdk.jmh.annotations.Level.Trial)
    public void stop() throws IOException
    {
        try
        {
            Configurator.shutdown(context); // drains the ring into the file
            long events = 0;
            for (final TrainStepValues values : loggers)
            {
                events += values.step;
            }
            final long bytes = Files.size(file);
            final long lines = lines(file);
            System.out.printf("bench: bytes on disk: Log4j %.1f B/line (%d bytes)%n",
                lines == 0 ? 0.0 : (double)bytes / lines, bytes);
            System.out.printf("bench: Log4j read back: %d of %d logged events (%.2f%% lost)%n",
                lines, events, events == 0 ? 0.0 : 100.0 * (events - lines) / events);
        }
        finally
        {
            TemporaryDirectory.delete(directory);
        }
    }

    private static long lines(final Path file) throws IOException
    {
        long lines = 0;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            while (channel.read(buffer) > 0)
            {
                buffer.flip();
                while (buffer.hasRemaining())
                {
                    if (buffer.get() == '\n')
                    {
                        lines++;
                    }
                }
                buffer.clear();
            }
        }
        return lines;
    }

    /**
     * One logging thread's values.
     */
    @State(Scope.Thread)
    public static class Logging extends TrainStepValues
    {
        @Setup(org.openjdk.jmh.annotations.Level.Trial)
        public void register(final Log4jAsyncState state)
        {
            state.loggers.add(this);
        }

        /**
         * Log one train_step with this thread's values, garbage-free parameters.
         */
        public void log(final Log4jAsyncState state)
        {
            state.logger.info("train_step run_id={} step={} loss={} lr={}", runId, box(step++), box(loss), box(lr));
        }
    }
}
