package io.blackbox.bench.gradience;

import io.blackbox.bench.BenchJvm;
import io.blackbox.codecs.GradienceTrainStepEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.layout.BatchDeltaCodec;
import io.blackbox.recorder.gradience.GradienceEmitter;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What {@link BatchDeltaCodec#encode} costs the drainer per record, alone: one batch of {@value #BATCH_BYTES}
 * bytes of {@code train_step} ring records of one run (as a {@link ManyToOneRingBuffer} over direct memory holds
 * them, written by the SBE encoder as the emitter writes them), encoded into a direct buffer of
 * {@link BatchDeltaCodec#maxEncodedLength} bytes, as the drainer does. Between consecutive records the step
 * counts up and the timestamp advances 20-40 ns; {@code loss} says how the loss moves:
 * <ul>
 *     <li>{@code slow}: it changes every 100 records and the learning rate every 1000 (the few-bytes-change case);</li>
 *     <li>{@code everyStep}: a new full-precision double in every record (8 more changed bytes per record).</li>
 * </ul>
 * The setup checks that the batch decodes back to its records. The forks print the encoded bytes per record.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(DeltaCodecCost.RECORDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchJvm.ARGFILE)
public class DeltaCodecCost
{
    public static final int BATCH_BYTES = 1024 * 1024;
    public static final int RECORD_BYTES = 64;
    public static final int RECORDS = BATCH_BYTES / RECORD_BYTES;

    @Benchmark
    public int encode(final Batch batch)
    {
        return batch.codec.encode(batch.ring, 0, BATCH_BYTES, batch.encoded, 0);
    }

    @State(Scope.Thread)
    public static class Batch
    {
        @Param({ "slow", "everyStep" })
        public String loss;

        final BatchDeltaCodec codec = new BatchDeltaCodec();
        UnsafeBuffer ring;
        UnsafeBuffer encoded;

        @Setup(Level.Trial)
        public void write()
        {
            final int messageLength = GradienceEmitter.trainStepMessageLength(0, 0, 0);
            if (BitUtil.align(messageLength + 8, 8) != RECORD_BYTES)
            {
                throw new IllegalStateException("train_step record is not " + RECORD_BYTES + " bytes: message=" +
                    messageLength);
            }
            // Twice the batch, so the ring never refuses a claim; the batch is the first BATCH_BYTES.
            ring = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * BATCH_BYTES + RingBufferDescriptor.TRAILER_LENGTH));
            final ManyToOneRingBuffer ringBuffer = new ManyToOneRingBuffer(ring);
            final MessageHeaderEncoder header = new MessageHeaderEncoder();
            final GradienceTrainStepEncoder encoder = new GradienceTrainStepEncoder();
            final SplittableRandom random = new SplittableRandom(7);
            final boolean lossEveryStep = "everyStep".equals(loss);
            long timestamp = 1_763_000_000_000_000_000L;
            double lossValue = 2.3;
            double lr = 3e-4;
            for (int step = 0; step < RECORDS; step++)
            {
                timestamp += 20 + random.nextInt(21);
                if (lossEveryStep || step % 100 == 0)
                {
                    lossValue = 2.3 * Math.exp(-step / 60_000.0) + 0.1 + 0.02 * random.nextDouble();
                }
                if (step % 1000 == 0)
                {
                    lr = 3e-4 * 0.5 * (1 + Math.cos(Math.PI * step / 100_000.0));
                }
                final int index = ringBuffer.tryClaim(GradienceTrainStepEncoder.TEMPLATE_ID, messageLength);
                if (index < 0)
                {
                    throw new IllegalStateException("ring refused record " + step);
                }
                encoder.wrapAndApplyHeader(ring, index, header)
                    .timestamp(timestamp)
                    .run(1)
                    .step(step)
                    .loss(lossValue)
                    .lr(lr);
                encoder.fields().clear().loss(true).lr(true).lrPerGroup(false);
                encoder.lrGroupsCount(0);
                encoder.doubleMetricsCount(0);
                encoder.longMetricsCount(0);
                encoder.putExtras(new byte[0], 0, 0);
                ringBuffer.commit(index);
            }
            encoded = new UnsafeBuffer(ByteBuffer.allocateDirect(BatchDeltaCodec.maxEncodedLength(BATCH_BYTES)));

            final int encodedLength = codec.encode(ring, 0, BATCH_BYTES, encoded, 0);
            final UnsafeBuffer decoded = new UnsafeBuffer(new byte[BATCH_BYTES]);
            if (codec.decode(encoded, 0, encodedLength, decoded, 0, BATCH_BYTES) != BATCH_BYTES ||
                !new UnsafeBuffer(ring, 0, BATCH_BYTES).equals(decoded))
            {
                throw new IllegalStateException("the batch does not decode to its records");
            }
            System.out.printf("bench: loss=%s encoded %.2f B/record (%d bytes for %d records)%n",
                loss, (double)encodedLength / RECORDS, encodedLength, RECORDS);
        }
    }
}
