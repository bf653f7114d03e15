package io.blackbox.recorder.gradience;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The template encoder of the plain {@code train_step} writes exactly the generated encoder's bytes, whatever the
 * values and whatever the memory held before (a lane is reused lap after lap, never zeroed).
 */
class PlainTrainStepEncoderTest
{
    private static final int RECORD_BYTES = GradienceEmitter.trainStepRecordBytes(0, 0, 0) - 8;

    @Test
    void shouldWriteTheGeneratedEncodersBytesOverAnyOldBytes()
    {
        final SplittableRandom random = new SplittableRandom(20261201);
        final double[] specials = { Double.NaN, -0.0, Double.POSITIVE_INFINITY, Double.MIN_VALUE, 1e-300, 3e-4 };
        for (int round = 0; round < 10_000; round++)
        {
            final int run = random.nextInt();
            final long timestamp = random.nextLong();
            final long step = round % 7 == 0 ? GradienceEmitter.NO_STEP : random.nextLong();
            final double loss = round % 5 == 0 ? specials[round % specials.length] : random.nextDouble();
            final double lr = round % 3 == 0 ? specials[(round / 3) % specials.length] : random.nextDouble();

            final UnsafeBuffer expected = new UnsafeBuffer(new byte[RECORD_BYTES + 16]);
            final UnsafeBuffer actual = new UnsafeBuffer(new byte[RECORD_BYTES + 16]);
            for (int i = 0; i < actual.capacity(); i++)
            {
                actual.putByte(i, (byte)random.nextInt()); // stale bytes of an earlier lap
            }
            expected.putBytes(0, actual, 0, actual.capacity());
            final int index = 8;
            expected.setMemory(index, RECORD_BYTES, (byte)0); // what is beyond the message in a ring record is zero
            PlainTrainStepEncoder.encodeWithSbe(expected, index, run, timestamp, step, loss, lr);
            new PlainTrainStepEncoder(run).encode(actual, index, timestamp, step, loss, lr);

            for (int i = 0; i < actual.capacity(); i++)
            {
                assertEquals(expected.getByte(i), actual.getByte(i), "round " + round + " byte " + i);
            }
        }
    }
}
