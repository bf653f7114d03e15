package io.blackbox.codecs.layout;

import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static io.blackbox.codecs.layout.RecordingBatchDescriptor.PADDING_TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchDeltaCodecTest
{
    private final BatchDeltaCodec codec = new BatchDeltaCodec();

    @Test
    void shouldMaskExactlyTheNonZeroBytes()
    {
        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 200_000; i++)
        {
            long value = random.nextLong();
            // Knock out a random set of bytes, so zero bytes are common, as in XORs of similar records.
            final int zeros = random.nextInt(256);
            for (int k = 0; k < 8; k++)
            {
                if ((zeros & (1 << k)) != 0)
                {
                    value &= ~(0xFFL << (k * 8));
                }
            }
            int expected = 0;
            for (int k = 0; k < 8; k++)
            {
                if (((value >>> (k * 8)) & 0xFF) != 0)
                {
                    expected |= 1 << k;
                }
            }
            assertEquals(expected, BatchDeltaCodec.nonZeroByteMask(value), Long.toHexString(value));
        }
    }

    @Test
    void shouldRoundTripMixedRecordsLeavingOutPadding()
    {
        final SplittableRandom random = new SplittableRandom(2);
        for (int round = 0; round < 300; round++)
        {
            final UnsafeBuffer ring = new UnsafeBuffer(new byte[64 * 1024]);
            final UnsafeBuffer expected = new UnsafeBuffer(new byte[64 * 1024]);
            int ringLength = 0;
            int expectedLength = 0;
            final int records = 1 + random.nextInt(300);
            final byte[][] lastBodyByType = new byte[8][];
            for (int r = 0; r < records; r++)
            {
                final boolean padding = random.nextInt(20) == 0;
                final int type = padding ? PADDING_TYPE : (random.nextInt(10) == 0 ? 1000 + random.nextInt(5) : random.nextInt(6));
                byte[] body;
                final int slot = type >= 0 && type < 8 ? type : -1;
                if (slot >= 0 && lastBodyByType[slot] != null && random.nextInt(4) != 0)
                {
                    body = lastBodyByType[slot].clone(); // alike: a few bytes change
                    for (int c = body.length == 0 ? 0 : random.nextInt(6); c > 0; c--)
                    {
                        body[random.nextInt(body.length)] ^= (byte)(1 + random.nextInt(255));
                    }
                }
                else
                {
                    body = new byte[random.nextInt(150)];
                    for (int i = 0; i < body.length; i++)
                    {
                        body[i] = (byte)random.nextInt(256);
                    }
                }
                if (slot >= 0)
                {
                    lastBodyByType[slot] = body;
                }
                final int length = 8 + body.length;
                final int aligned = BitUtil.align(length, 8);
                if (ringLength + aligned > 60 * 1024)
                {
                    break;
                }
                putRecord(ring, ringLength, length, type, body);
                ringLength += aligned;
                if (!padding)
                {
                    putRecord(expected, expectedLength, length, type, body);
                    expectedLength += aligned;
                }
            }

            final UnsafeBuffer encoded = new UnsafeBuffer(new byte[BatchDeltaCodec.maxEncodedLength(ringLength)]);
            final int encodedLength = codec.encode(ring, 0, ringLength, encoded, 0);
            assertTrue(encodedLength <= BatchDeltaCodec.maxEncodedLength(ringLength));
            final UnsafeBuffer decoded = new UnsafeBuffer(new byte[64 * 1024]);
            final int decodedLength = codec.decode(encoded, 0, encodedLength, decoded, 0, decoded.capacity());
            assertEquals(expectedLength, decodedLength, "round " + round);
            for (int i = 0; i < expectedLength; i++)
            {
                assertEquals(expected.getByte(i), decoded.getByte(i), "round " + round + ", byte " + i);
            }
        }
    }

    @Test
    void shouldStoreARunOfTrainStepsInAFractionOfTheirBytes()
    {
        // 64-byte records as the Gradience train_step: header, timestamp, run, step, loss, lr, presence.
        final UnsafeBuffer ring = new UnsafeBuffer(new byte[64 * 10_000]);
        long ts = 1_763_000_000_000_000_000L;
        for (int i = 0; i < 10_000; i++)
        {
            final int offset = i * 64;
            ring.putInt(offset, 64, ByteOrder.LITTLE_ENDIAN);
            ring.putInt(offset + 4, 11, ByteOrder.LITTLE_ENDIAN);
            ring.putLong(offset + 8, 0x000B_0001_0030L, ByteOrder.LITTLE_ENDIAN); // SBE header
            ts += 180 + (i % 7);
            ring.putLong(offset + 16, ts, ByteOrder.LITTLE_ENDIAN);
            ring.putInt(offset + 24, 1, ByteOrder.LITTLE_ENDIAN);
            ring.putLong(offset + 28, i, ByteOrder.LITTLE_ENDIAN);
            ring.putDouble(offset + 36, 2.0 / Math.log(i + 2.0), ByteOrder.LITTLE_ENDIAN);
            ring.putDouble(offset + 44, 3e-4, ByteOrder.LITTLE_ENDIAN);
        }
        final UnsafeBuffer encoded = new UnsafeBuffer(new byte[BatchDeltaCodec.maxEncodedLength(ring.capacity())]);
        final int encodedLength = codec.encode(ring, 0, ring.capacity(), encoded, 0);
        assertTrue(encodedLength < ring.capacity() / 3, "encoded " + encodedLength + " of " + ring.capacity());
        final UnsafeBuffer decoded = new UnsafeBuffer(new byte[ring.capacity()]);
        assertEquals(ring.capacity(), codec.decode(encoded, 0, encodedLength, decoded, 0, decoded.capacity()));
        assertEquals(0, ring.compareTo(decoded));
    }

    @Test
    void shouldRejectBytesThatAreNotAnEncodingWithTheirOffset()
    {
        final SplittableRandom random = new SplittableRandom(3);
        final UnsafeBuffer decoded = new UnsafeBuffer(new byte[4096]);
        int rejected = 0;
        for (int round = 0; round < 20_000; round++)
        {
            final byte[] bytes = new byte[1 + random.nextInt(64)];
            for (int i = 0; i < bytes.length; i++)
            {
                bytes[i] = (byte)(random.nextInt(4) == 0 ? random.nextInt(3) : random.nextInt(256));
            }
            try
            {
                codec.decode(new UnsafeBuffer(bytes), 0, bytes.length, decoded, 0, decoded.capacity());
            }
            catch (final IllegalArgumentException expected)
            {
                assertTrue(expected.getMessage().startsWith("encoded record at offset "), expected.getMessage());
                rejected++;
            }
        }
        assertTrue(rejected > 10_000, "most random bytes are not an encoding: " + rejected);

        final UnsafeBuffer delta = new UnsafeBuffer(new byte[] { BatchDeltaCodec.DELTA, 5 });
        final IllegalArgumentException noReference = assertThrows(IllegalArgumentException.class,
            () -> codec.decode(delta, 0, 2, decoded, 0, decoded.capacity()));
        assertEquals("encoded record at offset 0: delta record of type 5 has no record of its type before it",
            noReference.getMessage());

        // a literal of type 5 (length 16), then a record predicted from two
        final UnsafeBuffer predicted = new UnsafeBuffer(new byte[] {
            BatchDeltaCodec.LITERAL, 16, 5, 1, 2, 3, 4, 5, 6, 7, 8, BatchDeltaCodec.PREDICTED_SAME_TYPE });
        final IllegalArgumentException oneBefore = assertThrows(IllegalArgumentException.class,
            () -> codec.decode(predicted, 0, predicted.capacity(), decoded, 0, decoded.capacity()));
        assertEquals("encoded record at offset 11: predicted record of type 5 has not two records of its type before it",
            oneBefore.getMessage());

        // two literals of type 5 of different lengths, then a record predicted from them
        final UnsafeBuffer unlike = new UnsafeBuffer(new byte[] {
            BatchDeltaCodec.LITERAL, 9, 5, 1, BatchDeltaCodec.LITERAL, 10, 5, 1, 2, BatchDeltaCodec.PREDICTED, 5 });
        final IllegalArgumentException differentLengths = assertThrows(IllegalArgumentException.class,
            () -> codec.decode(unlike, 0, unlike.capacity(), decoded, 0, decoded.capacity()));
        assertEquals("encoded record at offset 9: predicted record of type 5 follows two of different lengths",
            differentLengths.getMessage());
    }

    /**
     * Records the two before them predict, whatever their length (0 to 4096 body bytes, whole words or a partial
     * last one): each word a counter that counts up, one that counts down across its sign and zero, and one that
     * stays put, are stored as their tag alone after the first two of their type, and decode to exactly themselves.
     */
    @Test
    void shouldStoreRecordsTheTwoBeforeThemPredictAsTheirTagAlone()
    {
        for (int bodyLength = 0; bodyLength <= 4096; bodyLength += bodyLength < 200 ? 1 : 61)
        {
            final int length = 8 + bodyLength;
            final int aligned = BitUtil.align(length, 8);
            final int records = 64;
            final UnsafeBuffer ring = new UnsafeBuffer(new byte[records * aligned]);
            final UnsafeBuffer body = new UnsafeBuffer(new byte[bodyLength + 8]);
            for (int r = 0; r < records; r++)
            {
                for (int w = 0; w * 8 < bodyLength; w++)
                {
                    final long value = w % 3 == 0 ? 0xFFFF_FFF0L + r : w % 3 == 1 ? 5 - 3L * r : 0x0123_4567_89AB_CDEFL;
                    body.putLong(w * 8, value, ByteOrder.LITTLE_ENDIAN);
                }
                putRecord(ring, r * aligned, length, 12, bytes(body, bodyLength));
            }
            final UnsafeBuffer encoded = new UnsafeBuffer(new byte[BatchDeltaCodec.maxEncodedLength(ring.capacity())]);
            final int encodedLength = codec.encode(ring, 0, ring.capacity(), encoded, 0);
            final int literal = 1 + 1 + (length < 128 ? 1 : 2) + bodyLength;
            for (int r = 2; r < records; r++)
            {
                assertEquals(BatchDeltaCodec.PREDICTED_SAME_TYPE, encoded.getByte(encodedLength - (records - r)),
                    "body " + bodyLength + ", record " + r);
            }
            assertTrue(encodedLength <= literal + 1 + (bodyLength + 63) / 64 + 9 * ((bodyLength + 7) / 8) + records - 2,
                "body " + bodyLength + ": " + encodedLength + " bytes");
            final UnsafeBuffer decoded = new UnsafeBuffer(new byte[ring.capacity()]);
            final int decodedLength = codec.decode(encoded, 0, encodedLength, decoded, 0, decoded.capacity());
            assertEquals(ring.capacity(), decodedLength);
            assertEquals(0, decoded.compareTo(ring), "body " + bodyLength);
        }
    }

    private static byte[] bytes(final UnsafeBuffer buffer, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static void putRecord(final UnsafeBuffer buffer, final int offset, final int length, final int type, final byte[] body)
    {
        buffer.putInt(offset, length, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(offset + 4, type, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(offset + 8, body);
        buffer.setMemory(offset + length, BitUtil.align(length, 8) - length, (byte)0);
    }
}
