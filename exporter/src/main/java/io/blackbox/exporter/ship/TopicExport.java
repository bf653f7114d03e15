package io.blackbox.exporter.ship;

import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.recorder.ChronicleSettings;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code blackbox export --bootstrap HOST:PORT --topic T --out ROOT}: the recordings {@code blackbox ship} put on a
 * topic, exported as they would be from their directories, byte for byte.
 * <p>
 * The topic is read from its beginning to the end it had when the export began, without a consumer group (every
 * partition assigned, nothing committed). Each recording's excerpts, in their numbers' order, are appended to a
 * Chronicle queue of a recording rebuilt in a hidden directory under ROOT, exactly the documents the recorder's
 * drainer wrote; a copy of an excerpt already taken (a shipper that was restarted sends again what it had not saved
 * as acknowledged) is dropped; a number missing is damage, named. The rebuilt recordings are then exported as the
 * recordings of one job ({@link RecordingExport#export(List, List, Path, LongConsumer)}), the summary naming each by
 * the directory it was shipped from, and removed.
 */
public final class TopicExport
{
    static
    {
        ChronicleSettings.apply(); // the rebuilt queues are Chronicle's: its analytics stay off
    }

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);
    private static final String REBUILT_DIRECTORY = ".blackbox-topic-recordings";
    /** A message's key: {@link ShipWire#recordingId}, a UUID's text. */
    private static final Pattern RECORDING_ID =
        Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** One recording as read from the topic. */
    private static final class Rebuilt implements AutoCloseable
    {
        final Path directory;
        final ChronicleQueue queue;
        final ExcerptAppender appender;
        String origin;
        long next;
        long duplicates;

        Rebuilt(final Path directory)
        {
            this.directory = directory;
            this.queue = SingleChronicleQueueBuilder.binary(directory.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY))
                .build();
            this.appender = queue.createAppender();
        }

        void append(final byte[] excerpt)
        {
            try (DocumentContext document = appender.writingDocument())
            {
                document.wire().bytes().write(excerpt);
            }
        }

        public void close()
        {
            appender.close();
            queue.close();
        }
    }

    private TopicExport()
    {
    }

    /**
     * @param settings consumer settings beyond Blackbox's (they win).
     * @return the export's result; its damage lists excerpts missing from the topic.
     * @throws RecordingException when the topic does not exist or holds a message that is not a shipped excerpt.
     */
    public static RecordingExport.Result export(final String bootstrap, final String topic, final Path root,
        final Map<String, String> settings, final LongConsumer progress) throws IOException
    {
        final Path rebuiltRoot = root.resolve(REBUILT_DIRECTORY);
        deleteTree(rebuiltRoot);
        final Map<String, Rebuilt> recordings = new TreeMap<>();
        final List<String> missing = new ArrayList<>();
        try
        {
            read(bootstrap, topic, settings, rebuiltRoot, recordings, missing);
            for (final Rebuilt rebuilt : recordings.values())
            {
                rebuilt.close();
            }
            if (recordings.isEmpty())
            {
                throw new RecordingException("topic " + topic + " on " + bootstrap + " holds no shipped recording");
            }
            final List<Path> directories = new ArrayList<>();
            final List<String> names = new ArrayList<>();
            for (final Rebuilt rebuilt : recordings.values())
            {
                directories.add(rebuilt.directory);
                names.add(rebuilt.origin);
            }
            final RecordingExport.Result exported = RecordingExport.export(directories, names, root, progress);
            if (missing.isEmpty() && exported.damage().isEmpty())
            {
                return exported;
            }
            // The rebuilt directories are gone when this returns: damage is named by where it was shipped from.
            final List<String> damage = new ArrayList<>(missing);
            for (final String line : exported.damage())
            {
                String named = line;
                for (final Rebuilt rebuilt : recordings.values())
                {
                    named = named.replace(rebuilt.directory.toString(), rebuilt.origin + " (as rebuilt from topic " +
                        topic + ")");
                }
                damage.add(named);
            }
            return new RecordingExport.Result(exported.records(), exported.files(), exported.dropped(), damage,
                exported.unknownTypes(), exported.dataBytes(), exported.damageCount() + missing.size(),
                exported.warnings());
        }
        finally
        {
            for (final Rebuilt rebuilt : recordings.values())
            {
                rebuilt.close();
            }
            deleteTree(rebuiltRoot);
        }
    }

    private static void read(final String bootstrap, final String topic, final Map<String, String> settings,
        final Path rebuiltRoot, final Map<String, Rebuilt> recordings, final List<String> missing)
    {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(bootstrap, settings)))
        {
            final List<PartitionInfo> partitions;
            try
            {
                partitions = consumer.partitionsFor(topic, METADATA_WAIT);
            }
            catch (final TimeoutException ex)
            {
                throw new RecordingException("--bootstrap " + bootstrap + ": no answer about topic " + topic +
                    " within " + METADATA_WAIT.toSeconds() + " s: " + ex.getMessage());
            }
            if (null == partitions || partitions.isEmpty())
            {
                throw new RecordingException("topic " + topic + " does not exist on " + bootstrap);
            }
            final List<TopicPartition> assigned = new ArrayList<>();
            for (final PartitionInfo partition : partitions)
            {
                assigned.add(new TopicPartition(topic, partition.partition()));
            }
            assigned.sort(Comparator.comparingInt(TopicPartition::partition));
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            final Map<TopicPartition, Long> end = new LinkedHashMap<>(consumer.endOffsets(assigned, METADATA_WAIT));
            end.entrySet().removeIf(partition -> consumer.position(partition.getKey(), METADATA_WAIT) >=
                partition.getValue());
            while (!end.isEmpty())
            {
                for (final ConsumerRecord<byte[], byte[]> message : consumer.poll(POLL))
                {
                    final TopicPartition partition = new TopicPartition(message.topic(), message.partition());
                    final Long last = end.get(partition);
                    if (null == last || message.offset() >= last)
                    {
                        continue; // written after the export began
                    }
                    take(topic, message, rebuiltRoot, recordings, missing);
                }
                end.entrySet().removeIf(partition -> consumer.position(partition.getKey(), METADATA_WAIT) >=
                    partition.getValue());
            }
        }
    }

    /**
     * Append {@code message}'s excerpt to its recording, unless it is a copy of one taken.
     */
    private static void take(final String topic, final ConsumerRecord<byte[], byte[]> message, final Path rebuiltRoot,
        final Map<String, Rebuilt> recordings, final List<String> missing)
    {
        final String where = "topic " + topic + " partition " + message.partition() + " offset " + message.offset();
        final String key = null == message.key() ? "" : new String(message.key(), StandardCharsets.US_ASCII);
        final long number = ShipWire.excerptNumber(value(message, ShipWire.EXCERPT_HEADER));
        final byte[] origin = value(message, ShipWire.RECORDING_HEADER);
        if (!RECORDING_ID.matcher(key).matches() || number < 0 ||
            null == origin || null == message.value())
        {
            throw new RecordingException(where + ": not an excerpt shipped by blackbox ship (its key must be a " +
                "recording id and its headers " + ShipWire.EXCERPT_HEADER + " and " + ShipWire.RECORDING_HEADER + ")");
        }
        Rebuilt rebuilt = recordings.get(key);
        if (null == rebuilt)
        {
            rebuilt = new Rebuilt(rebuiltRoot.resolve(key));
            rebuilt.origin = new String(origin, StandardCharsets.UTF_8);
            recordings.put(key, rebuilt);
        }
        if (number < rebuilt.next)
        {
            rebuilt.duplicates++;
            return;
        }
        if (number > rebuilt.next)
        {
            missing.add(where + ": recording " + rebuilt.origin + " (" + key + ") lacks excerpts " + rebuilt.next +
                " to " + (number - 1) + ": they are not on the topic, and their records are not in this export");
        }
        rebuilt.append(message.value());
        rebuilt.next = number + 1;
    }

    private static byte[] value(final ConsumerRecord<byte[], byte[]> message, final String name)
    {
        final Header header = message.headers().lastHeader(name);
        return null == header ? null : header.value();
    }

    static Properties consumerProperties(final String bootstrap, final Map<String, String> settings)
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "blackbox-export");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Reading must not make a topic a mistyped name would otherwise create.
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.putAll(settings);
        return properties;
    }

    private static void deleteTree(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> tree = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)tree.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(path);
            }
        }
        catch (final UncheckedIOException ex)
        {
            throw ex.getCause();
        }
    }
}
