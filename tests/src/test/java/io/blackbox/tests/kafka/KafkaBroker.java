package io.blackbox.tests.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Apache Kafka broker for tests: {@code kafka.Kafka} from the {@code kafka_2.13} artifact, one KRaft node that
 * is both broker and controller, listening on 127.0.0.1 only. It runs in a child JVM on the test class path so a
 * test can {@link #kill()} it with SIGKILL and {@link #restart()} it on the same log directory and ports. Its
 * stdout, stderr and log4j log go to files in its directory, never to the test's output; every failure quotes their
 * tails. {@link #close()} kills it and removes nothing (the test's temporary directory does that).
 */
public final class KafkaBroker implements AutoCloseable
{
    /** A guard against a hung broker only, never a performance check. */
    public static final Duration DEADLINE = Duration.ofSeconds(60);

    private static final String HOST = "127.0.0.1";
    /** Lines of each of the broker's output files a failure quotes. */
    private static final int TAIL_LINES = 40;

    private final Path directory;
    private final int port;
    private final int controllerPort;
    private final Path serverProperties;
    private final Path log4jConfiguration;
    private final Path stdout;
    private final Path stderr;
    private final Path serverLog;
    private Process process;

    private KafkaBroker(final Path directory, final int port, final int controllerPort)
    {
        this.directory = directory.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        serverProperties = this.directory.resolve("server.properties");
        log4jConfiguration = this.directory.resolve("log4j2.properties");
        stdout = this.directory.resolve("broker-stdout.txt");
        stderr = this.directory.resolve("broker-stderr.txt");
        serverLog = this.directory.resolve("server.log");
    }

    /**
     * Configure a broker in {@code directory} on two free loopback ports, format its storage, start it and wait
     * until it answers an admin client.
     */
    public static KafkaBroker start(final Path directory) throws IOException, InterruptedException
    {
        Files.createDirectories(directory);
        final int[] ports = freeLoopbackPorts(2);
        final KafkaBroker broker = new KafkaBroker(directory, ports[0], ports[1]);
        try
        {
            broker.writeConfiguration();
            broker.format();
            broker.launchUntilReady();
            return broker;
        }
        catch (final Throwable ex)
        {
            try
            {
                broker.close();
            }
            catch (final RuntimeException closing)
            {
                ex.addSuppressed(closing);
            }
            throw ex;
        }
    }

    /**
     * @return the broker's {@code bootstrap.servers}: {@code 127.0.0.1:PORT}, the same after a restart.
     */
    public String bootstrap()
    {
        return HOST + ":" + port;
    }

    /**
     * @return the directory holding the broker's configuration, log directory and output files.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * SIGKILL the broker (no shutdown hook, no clean shutdown of its logs) and wait until it is dead.
     */
    public void kill() throws InterruptedException
    {
        final Process running = process;
        if (running == null)
        {
            return;
        }
        running.destroyForcibly();
        if (!running.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS))
        {
            throw new IllegalStateException("the Kafka broker did not die within " + DEADLINE + " of SIGKILL\n" +
                tails());
        }
        process = null;
    }

    /**
     * Start the broker again on the same properties, log directory and ports, and wait until it answers. Right
     * after a kill a port may not be bindable at once: the start is retried until {@link #DEADLINE}.
     */
    public void restart() throws IOException, InterruptedException
    {
        if (process != null && process.isAlive())
        {
            throw new IllegalStateException("the Kafka broker is running: kill() it before restart()");
        }
        launchUntilReady();
    }

    /**
     * Create {@code name} with {@code partitions} partitions (replication factor 1) and wait until every partition
     * has a leader, so a producer's first send finds it.
     */
    public void createTopic(final String name, final int partitions) throws InterruptedException
    {
        try (Admin admin = admin())
        {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
                .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!allLed(admin, name, partitions))
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("topic " + name + " has partitions without a leader after " +
                        DEADLINE + "\n" + tails());
                }
                Thread.sleep(50);
            }
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException("could not create topic " + name + ": " + ex + "\n" + tails(), ex);
        }
    }

    /**
     * Kill the broker; its files stay. An interrupt while waiting for it to die is kept on the thread.
     */
    @Override
    public void close()
    {
        try
        {
            kill();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return the last lines of the broker's stdout, stderr and log, for a failure message.
     */
    public String tails()
    {
        return tail(stdout) + tail(stderr) + tail(serverLog);
    }

    private void writeConfiguration() throws IOException
    {
        final String logDirectory = directory.resolve("kafka-logs").toString().replace('\\', '/');
        final String properties = String.join("\n",
            "# Written by io.blackbox.tests.kafka.KafkaBroker: one KRaft node, broker and controller, on loopback.",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@" + HOST + ":" + controllerPort,
            "listeners=PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort,
            "advertised.listeners=PLAINTEXT://" + HOST + ":" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + logDirectory,
            "num.partitions=3",
            "default.replication.factor=1",
            "min.insync.replicas=1",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=3",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "transaction.state.log.num.partitions=3",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            // After a kill -9 the controller keeps the dead incarnation registered until its session times out
            // (9 s by default); the restarted broker cannot register before that.
            "broker.heartbeat.interval.ms=500",
            "broker.session.timeout.ms=3000",
            // A test's data is tiny: small segments and indexes, a small cleaner buffer (128 MiB of heap by
            // default), few threads on a 2-core machine.
            "log.segment.bytes=1048576",
            "log.index.size.max.bytes=65536",
            "log.cleaner.dedupe.buffer.size=4194304",
            "num.network.threads=2",
            "num.io.threads=2",
            "");
        Files.writeString(serverProperties, properties, StandardCharsets.UTF_8);

        // Every logger to one file in the directory: nothing reaches the test's output, and failures quote it.
        final String log4j = String.join("\n",
            "status = warn",
            "appender.file.type = File",
            "appender.file.name = file",
            "appender.file.fileName = " + serverLog.toString().replace('\\', '/'),
            "appender.file.append = true",
            "appender.file.layout.type = PatternLayout",
            "appender.file.layout.pattern = [%d] %p %m (%c)%n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.file.ref = file",
            "");
        Files.writeString(log4jConfiguration, log4j, StandardCharsets.UTF_8);
    }

    /**
     * {@code kafka-storage.sh format -t CLUSTER_ID -c server.properties}: the script runs this main class.
     */
    private void format() throws IOException, InterruptedException
    {
        final String clusterId = Uuid.randomUuid().toString();
        final Process formatting = launch("kafka.tools.StorageTool", "format", "-t", clusterId, "-c",
            serverProperties.toString());
        if (!formatting.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS))
        {
            formatting.destroyForcibly();
            throw new IllegalStateException("formatting the Kafka storage did not finish within " + DEADLINE +
                "\n" + tails());
        }
        if (formatting.exitValue() != 0)
        {
            throw new IllegalStateException("formatting the Kafka storage failed with exit value " +
                formatting.exitValue() + "\n" + tails());
        }
    }

    /**
     * Start {@code kafka.Kafka} and wait until an admin client sees the broker. A broker that exits because a
     * listener could not bind (a port of a broker killed a moment ago) is started again, until the deadline.
     */
    private void launchUntilReady() throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true)
        {
            final long stdoutMark = size(stdout);
            final long stderrMark = size(stderr);
            final long logMark = size(serverLog);
            process = launch("kafka.Kafka", serverProperties.toString());
            if (awaitReady(deadline))
            {
                return;
            }
            if (process.isAlive())
            {
                kill();
                throw new IllegalStateException("the Kafka broker on " + bootstrap() + " was not ready within " +
                    DEADLINE + "\n" + tails());
            }
            final int exitValue = process.exitValue();
            process = null;
            final String said = since(stdout, stdoutMark) + since(stderr, stderrMark) + since(serverLog, logMark);
            final boolean bindFailed = said.contains("Address already in use") || said.contains("BindException");
            if (!bindFailed || System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("the Kafka broker on " + bootstrap() + " exited with " + exitValue +
                    " before it was ready\n" + tails());
            }
            Thread.sleep(250);
        }
    }

    /**
     * @return true once the broker answers {@code describeCluster} with its node; false when it exited or the
     *         deadline passed first.
     */
    private boolean awaitReady(final long deadline) throws InterruptedException
    {
        try (Admin admin = admin())
        {
            while (process.isAlive() && System.nanoTime() - deadline < 0)
            {
                try
                {
                    final Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                        .nodes().get();
                    if (!nodes.isEmpty())
                    {
                        return true;
                    }
                }
                catch (final ExecutionException notYet)
                {
                    // Not listening yet, or still starting: ask again.
                }
                Thread.sleep(100);
            }
            return false;
        }
    }

    private Admin admin()
    {
        return Admin.create(Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 250));
    }

    private static boolean allLed(final Admin admin, final String topic, final int partitions)
        throws InterruptedException
    {
        try
        {
            final TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
            if (description.partitions().size() != partitions)
            {
                return false;
            }
            for (final TopicPartitionInfo partition : description.partitions())
            {
                if (partition.leader() == null || partition.leader().isEmpty())
                {
                    return false;
                }
            }
            return true;
        }
        catch (final ExecutionException notYet)
        {
            // The broker's metadata may not have the new topic yet.
            return false;
        }
    }

    /**
     * Start {@code main} in a JVM on the broker's class path, its output appended to the files in the directory.
     */
    private Process launch(final String main, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-Djava.awt.headless=true");
        command.add("-Dlog4j2.configurationFile=" + log4jConfiguration);
        command.add("-cp");
        command.add(brokerClassPath());
        command.add(main);
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
            .start();
    }

    /**
     * The test class path with its slf4j-nop binding swapped for log4j's (copied by the build into the directory
     * {@code blackbox.kafka.brokerLib} names), so the broker's log reaches server.log. Without that directory (a
     * run outside Maven) the broker still runs, with its log lost.
     */
    private static String brokerClassPath() throws IOException
    {
        final List<String> entries = new ArrayList<>();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            if (!Path.of(entry).getFileName().toString().startsWith("slf4j-nop"))
            {
                entries.add(entry);
            }
        }
        final Path lib = Path.of(System.getProperty("blackbox.kafka.brokerLib", "target/kafka-broker-lib"));
        if (Files.isDirectory(lib))
        {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, "*.jar"))
            {
                for (final Path jar : jars)
                {
                    entries.add(jar.toAbsolutePath().toString());
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static int[] freeLoopbackPorts(final int count) throws IOException
    {
        // Hold every socket until all are bound, so the ports differ.
        final List<ServerSocket> sockets = new ArrayList<>();
        try
        {
            final int[] ports = new int[count];
            for (int i = 0; i < count; i++)
            {
                final ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        }
        finally
        {
            for (final ServerSocket socket : sockets)
            {
                socket.close();
            }
        }
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    /**
     * @return what {@code file} holds past {@code offset} (empty when it does not exist).
     */
    private static String since(final Path file, final long offset)
    {
        try (RandomAccessFile reader = new RandomAccessFile(file.toFile(), "r"))
        {
            final long length = reader.length();
            final byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(0, length - offset))];
            reader.seek(length - bytes.length);
            reader.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    private static String tail(final Path file)
    {
        if (!Files.exists(file))
        {
            return "--- " + file.getFileName() + ": none\n";
        }
        // The last 64 KiB hold the last lines but for a huge config dump.
        final String text = since(file, Math.max(0, size(file) - 65536));
        final String[] lines = text.split("\n", -1);
        final int from = Math.max(0, lines.length - TAIL_LINES - 1);
        final StringBuilder tail = new StringBuilder("--- " + file.getFileName() + " (last lines):\n");
        for (int i = from; i < lines.length; i++)
        {
            tail.append(lines[i]).append('\n');
        }
        return tail.toString();
    }
}
