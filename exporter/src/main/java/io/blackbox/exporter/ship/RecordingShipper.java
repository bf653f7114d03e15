package io.blackbox.exporter.ship;

import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.exporter.QueueReader;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.RingBacklog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code blackbox ship}: follows a recording, live or closed, and produces each of its queue excerpts to a Kafka
 * topic ({@link ShipWire}) with the official client: an idempotent producer ({@code acks=all}), zstd-compressed, one
 * key per recording so its excerpts keep their order in one partition.
 * <p>
 * The recording on disk stays the source of truth: the shipper is another process that only reads it, so a broker
 * that is down never reaches the training process. While the broker is away the producer's sends wait and are
 * retried; what was acknowledged is written to {@link ShippedPosition} as acknowledgements come. A send that fails
 * for good (the producer gave up, or the broker lost what it had) starts a new producer from the last acknowledged
 * excerpt; so does a shipper started again after a crash. Either may send excerpts the topic already holds: the
 * collector ({@link TopicExport}) keeps the first copy of each number, so nothing is lost and nothing repeated.
 * <p>
 * It ends when the recorder has closed the recording (or died) and every excerpt is acknowledged, or when asked to
 * stop: then it waits a moment for what is in flight and saves its position.
 */
public final class RecordingShipper
{
    /** A producer's sends wait this long for room or metadata before the shipper looks up and tries again. */
    private static final long MAX_BLOCK_MS = 2_000;
    /** How long a send is retried before the producer gives up on it and the shipper starts again. */
    private static final int DELIVERY_TIMEOUT_MS = (int)TimeUnit.MINUTES.toMillis(10);
    /** Waited for acknowledgements in flight when asked to stop. */
    private static final long STOP_WAIT_NS = TimeUnit.SECONDS.toNanos(10);

    /**
     * What {@link #ship} asks of its caller.
     */
    public interface Control
    {
        /**
         * @return whether to stop: what is in flight gets a moment, the position is saved.
         */
        boolean stopRequested();

        /**
         * Wait before looking at the recording again; return early when a stop is requested.
         */
        void idle() throws InterruptedException;
    }

    /**
     * What a ship did.
     *
     * @param recordingId  the recording's key on the topic.
     * @param excerpts     excerpts acknowledged in all, those of earlier runs of the shipper included.
     * @param sent         excerpts sent by this run, resent ones included.
     * @param records      records in the excerpts this run sent.
     * @param bytes        bytes of the excerpts this run sent.
     * @param restarts     producers started again after a send failed for good.
     * @param damage       damaged parts of the queue, skipped (not shipped).
     * @param stopped      whether it stopped on request, before the recording ended.
     * @param warnings     why each producer was started again.
     */
    public record Result(String recordingId, long excerpts, long sent, long records, long bytes, int restarts,
        List<String> damage, boolean stopped, List<String> warnings)
    {
    }

    private RecordingShipper()
    {
    }

    /**
     * Ship {@code recording} to {@code topic} on the brokers {@code bootstrap}, from where an earlier ship to that topic
     * left it, until it ends or the caller asks to stop.
     *
     * @param settings producer settings beyond Blackbox's (they win), as {@code --producer key=value} gives them.
     * @throws io.blackbox.exporter.RecordingException naming the file when {@code recording} is not a recording or its
     *                                                 position file does not hold.
     */
    public static Result ship(final Path recording, final String bootstrap, final String topic,
        final Map<String, String> settings, final Control control) throws InterruptedException
    {
        RecordingReader.requireRecording(recording);
        final Path ring = recording.resolve(RecordingDirectoryLayout.RING_FILE);
        RecordingReader.Session first = RecordingReader.firstSession(recording);
        while (null == first)
        {
            // A recorder that has just opened the recording has not drained its first record yet.
            if (!RingBacklog.isOwnerAlive(ring) || control.stopRequested())
            {
                return new Result("", 0, 0, 0, 0, 0, List.of(), control.stopRequested(), List.of());
            }
            control.idle();
            first = RecordingReader.firstSession(recording);
        }
        final String recordingId = ShipWire.recordingId(first);
        final byte[] key = recordingId.getBytes(StandardCharsets.US_ASCII);
        final byte[] origin = recording.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
        final ShippedPosition position = ShippedPosition.load(recording, recordingId, topic);
        final AtomicLong acknowledged = new AtomicLong(position.excerpts());
        final Set<String> damage = new LinkedHashSet<>();
        long sent = 0;
        long records = 0;
        long bytes = 0;
        int restarts = 0;
        final List<String> warnings = new ArrayList<>();

        while (true)
        {
            final AtomicReference<Exception> failure = new AtomicReference<>();
            final long from = acknowledged.get();
            final long[] next = { 0 };
            final long[] counts = new long[3];
            final QueueReader queue = new QueueReader(recording.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY),
                damage::add);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(bootstrap, settings)))
            {
                final QueueReader.ExcerptHandler send = (file, excerptOffset, buffer, offset, length) ->
                {
                    final long number = next[0]++;
                    if (number < from || null != failure.get())
                    {
                        return;
                    }
                    final ProducerRecord<byte[], byte[]> message = new ProducerRecord<>(topic, null, key,
                        copy(buffer, offset, length));
                    message.headers().add(ShipWire.EXCERPT_HEADER, ShipWire.excerptNumber(number));
                    message.headers().add(ShipWire.RECORDING_HEADER, origin);
                    sendWaiting(producer, message, number, acknowledged, failure, control);
                    counts[0]++;
                    counts[1] += recordCount(buffer, offset, length);
                    counts[2] += length;
                };
                boolean stopped = false;
                while (null == failure.get())
                {
                    // Whether the recorder is gone is asked before the read: a read after it closed sees all it wrote.
                    final boolean closed = !RingBacklog.isOwnerAlive(ring);
                    queue.read(send, closed);
                    position.saveIfDue(acknowledged.get());
                    if (control.stopRequested())
                    {
                        stopped = true;
                        break;
                    }
                    if (closed && acknowledged.get() == next[0])
                    {
                        break;
                    }
                    if (closed && from > next[0])
                    {
                        throw new RecordingException(position.path() + ": excerpts: " + from + " shipped, but the " +
                            "recording holds " + next[0] + "; remove the file to ship the recording from its start");
                    }
                    control.idle();
                }
                if (stopped)
                {
                    final long deadline = System.nanoTime() + STOP_WAIT_NS;
                    while (acknowledged.get() < next[0] && null == failure.get() && System.nanoTime() < deadline)
                    {
                        Thread.sleep(10);
                    }
                    if (acknowledged.get() < next[0])
                    {
                        // The broker is away: do not wait for it in close; what is not acknowledged is sent next time.
                        producer.close(Duration.ZERO);
                    }
                }
                sent += counts[0];
                records += counts[1];
                bytes += counts[2];
                if (null == failure.get())
                {
                    position.save(acknowledged.get());
                    return new Result(recordingId, acknowledged.get(), sent, records, bytes, restarts,
                        new ArrayList<>(damage), stopped, warnings);
                }
                producer.close(Duration.ZERO);
            }
            finally
            {
                queue.close();
            }
            position.save(acknowledged.get());
            restarts++;
            warnings.add("a send failed for good (" + failure.get() + "): a new producer sends again from excerpt " +
                acknowledged.get());
            if (control.stopRequested())
            {
                return new Result(recordingId, acknowledged.get(), sent, records, bytes, restarts,
                    new ArrayList<>(damage), true, warnings);
            }
            control.idle();
        }
    }

    /**
     * Send, waiting while the producer has no room or no metadata (the broker is away), until it takes the message or
     * a stop is requested.
     */
    private static void sendWaiting(final KafkaProducer<byte[], byte[]> producer,
        final ProducerRecord<byte[], byte[]> message, final long number, final AtomicLong acknowledged,
        final AtomicReference<Exception> failure, final Control control)
    {
        while (true)
        {
            try
            {
                producer.send(message, (metadata, exception) ->
                {
                    if (null != exception)
                    {
                        failure.compareAndSet(null, exception);
                    }
                    else if (null == failure.get())
                    {
                        // one key, one partition: acknowledgements come in the order of the sends
                        acknowledged.set(number + 1);
                    }
                });
                return;
            }
            catch (final TimeoutException ex)
            {
                if (control.stopRequested())
                {
                    failure.compareAndSet(null, ex);
                    return;
                }
            }
        }
    }

    static Properties producerProperties(final String bootstrap, final Map<String, String> settings)
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "blackbox-ship");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(MAX_BLOCK_MS));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(DELIVERY_TIMEOUT_MS));
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.putAll(settings);
        return properties;
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    private static long recordCount(final DirectBuffer buffer, final int offset, final int length)
    {
        return length < RecordingBatchDescriptor.HEADER_LENGTH ? 0 :
            buffer.getInt(offset + RecordingBatchDescriptor.RECORD_COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }
}
