package io.blackbox.tests.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Kafka broker of {@link KafkaBroker}: what an idempotent producer sends comes back once, in order per key,
 * and a kill -9 of the broker while a producer waits on it loses and repeats nothing once it is back.
 */
class KafkaBrokerTest
{
    private static final String TOPIC = "telemetry";
    private static final int PARTITIONS = 3;
    private static final int KEYS = 7;
    private static final int BATCH = 100;
    /** Guards against a hang only: a producer's sends wait this long for a broker that is down. */
    private static final Duration PRODUCER_WAIT = Duration.ofMinutes(2);

    @TempDir
    Path directory;

    @Test
    void shouldKeepEveryRecordOnceInKeyOrderAcrossAKillOfTheBroker() throws Exception
    {
        try (KafkaBroker broker = KafkaBroker.start(directory))
        {
            broker.createTopic(TOPIC, PARTITIONS);

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(broker)))
            {
                awaitAll(send(producer, 0, BATCH), broker);
            }
            assertRecords(readAll(broker), BATCH);

            final ExecutorService sender = Executors.newSingleThreadExecutor();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(broker)))
            {
                // Metadata known before the kill, as a producer that was shipping has it: its records wait in its
                // buffer for the broker to come back.
                assertEquals(PARTITIONS, producer.partitionsFor(TOPIC).size());
                broker.kill();

                // Sends on a thread of their own, so a send that blocks for metadata cannot hold up the restart.
                final Future<List<Future<RecordMetadata>>> sends = sender.submit(() -> send(producer, BATCH, BATCH));
                Thread.sleep(2000);
                broker.restart();

                awaitAll(sends.get(PRODUCER_WAIT.toSeconds(), TimeUnit.SECONDS), broker);
            }
            finally
            {
                sender.shutdownNow();
            }
            assertRecords(readAll(broker), 2 * BATCH);
        }
    }

    private static List<Future<RecordMetadata>> send(final KafkaProducer<String, String> producer, final int first,
        final int count)
    {
        final List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (int i = first; i < first + count; i++)
        {
            sends.add(producer.send(new ProducerRecord<>(TOPIC, "key-" + (i % KEYS), String.valueOf(i))));
        }
        return sends;
    }

    private static void awaitAll(final List<Future<RecordMetadata>> sends, final KafkaBroker broker)
        throws Exception
    {
        for (final Future<RecordMetadata> send : sends)
        {
            try
            {
                // Past the delivery timeout, so a send that gave up fails with the producer's own exception.
                send.get(PRODUCER_WAIT.toSeconds() + 30, TimeUnit.SECONDS);
            }
            catch (final Exception ex)
            {
                throw new AssertionError("a send failed: " + ex + "\n" + broker.tails(), ex);
            }
        }
    }

    /**
     * Every record of the topic, read from the start of each partition to its end offset: no consumer group.
     */
    private static List<ConsumerRecord<String, String>> readAll(final KafkaBroker broker)
    {
        final Map<String, Object> properties = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        final List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties))
        {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final PartitionInfo partition : consumer.partitionsFor(TOPIC))
            {
                partitions.add(new TopicPartition(TOPIC, partition.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            final long deadline = System.nanoTime() + KafkaBroker.DEADLINE.toNanos();
            while (!atEnd(consumer, ends))
            {
                assertTrue(System.nanoTime() - deadline < 0, () -> "the consumer did not reach the end offsets " +
                    ends + " within " + KafkaBroker.DEADLINE + "; it read " + records.size() + " records");
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private static boolean atEnd(final KafkaConsumer<String, String> consumer, final Map<TopicPartition, Long> ends)
    {
        for (final Map.Entry<TopicPartition, Long> end : ends.entrySet())
        {
            if (consumer.position(end.getKey()) < end.getValue())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The records are 0 .. count-1, each once; each key's records sit in one partition in the order they were sent.
     */
    private static void assertRecords(final List<ConsumerRecord<String, String>> records, final int count)
    {
        final Map<Integer, Integer> copies = new TreeMap<>();
        final Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        final Map<String, Integer> partitionOfKey = new HashMap<>();
        for (final ConsumerRecord<String, String> record : records)
        {
            final int value = Integer.parseInt(record.value());
            copies.merge(value, 1, Integer::sum);
            assertEquals("key-" + (value % KEYS), record.key(), "the key of record " + value);
            byKey.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(value);
            final Integer partition = partitionOfKey.putIfAbsent(record.key(), record.partition());
            assertTrue(partition == null || partition == record.partition(), record.key() + " in two partitions");
        }
        for (int value = 0; value < count; value++)
        {
            assertEquals(1, copies.getOrDefault(value, 0), "copies of record " + value);
        }
        assertEquals(count, records.size(), "records in " + TOPIC + ": " + copies.keySet());
        for (final Map.Entry<String, List<Integer>> key : byKey.entrySet())
        {
            final List<Integer> sorted = new ArrayList<>(key.getValue());
            sorted.sort(null);
            assertEquals(sorted, key.getValue(), "the order of " + key.getKey() + "'s records");
        }
    }

    private static Map<String, Object> producerProperties(final KafkaBroker broker)
    {
        return Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd",
            // A broker that is down is waited for, never given up on, within these guards.
            ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) PRODUCER_WAIT.toMillis(),
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) PRODUCER_WAIT.toMillis(),
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    }
}
