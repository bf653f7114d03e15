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
    }

    /**
     * Readers size their decode buffer from the stored bytes ({@link BatchDeltaCodec#MAX_DECODED_PER_STORED_BYTE}): the
     * best case of the coding, records identical to the one before them, must stay within it for every body length.
     */
    @Test
    void shouldNeverDecodeToMoreThanTheBoundPerStoredByte()
    {
        for (int bodyLength = 0; bodyLength <= 4096; bodyLength += bodyLength < 200 ? 1 : 61)
        {
            final int length = 8 + bodyLength;
            final int aligned = BitUtil.align(length, 8);
            final int records = Math.max(2, 60 * 1024 / aligned);
            final UnsafeBuffer ring = new UnsafeBuffer(new byte[records * aligned]);
            final byte[] body = new byte[bodyLength];
            for (int r = 0; r < records; r++)
            {
                putRecord(ring, r * aligned, length, 12, body);
            }
            final UnsafeBuffer encoded = new UnsafeBuffer(new byte[BatchDeltaCodec.maxEncodedLength(ring.capacity())]);
            final int encodedLength = codec.encode(ring, 0, ring.capacity(), encoded, 0);
            final UnsafeBuffer decoded = new UnsafeBuffer(new byte[ring.capacity()]);
            final int decodedLength = codec.decode(encoded, 0, encodedLength, decoded, 0, decoded.capacity());
            assertEquals(ring.capacity(), decodedLength);
            assertTrue((long)decodedLength <= (long)BatchDeltaCodec.MAX_DECODED_PER_STORED_BYTE * encodedLength,
                "body " + bodyLength + ": " + decodedLength + " bytes from " + encodedLength);
        }
    }

    private static void putRecord(final UnsafeBuffer buffer, final int offset, final int length, final int type, final byte[] body)
    {
        buffer.putInt(offset, length, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(offset + 4, type, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(offset + 8, body);
        buffer.setMemory(offset + length, BitUtil.align(length, 8) - length, (byte)0);
    }
}
