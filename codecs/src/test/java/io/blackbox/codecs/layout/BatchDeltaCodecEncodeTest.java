package io.blackbox.codecs.layout;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

import static io.blackbox.codecs.layout.RecordingBatchDescriptor.PADDING_TYPE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link BatchDeltaCodec#encode} must write the bytes a plain, bounds-checked encoder writes (kept here as
 * {@link ReferenceEncoder}: byte by byte, no word tricks), bit for bit, whatever the buffers, offsets and room in dst:
 * recordings on disk hold them. The reference also writes the version 2 coding, which recordings of earlier versions
 * hold: the decoder must still read it.
 */
class BatchDeltaCodecEncodeTest
{
    private static final byte SENTINEL = (byte)0xA5;
    private static final int[] SOME_TYPES = { 0, 1, 2, 3, 11, 12, 127, 128, 200, 255, 256, 1000, -7, Integer.MIN_VALUE };

    private final BatchDeltaCodec codec = new BatchDeltaCodec();

    /**
     * Each body length 0-80 (whole words and a last partial one), each word of the body, each of the 256 masks
     * (runs from byte 0, runs elsewhere, scattered bytes, none, all): a record that differs from the one before it
     * in exactly those bytes, with garbage in the padding after the body.
     */
    @Test
    void shouldEncodeEveryMaskOfEveryWordOfEveryBodyLengthAsTheReference()
    {
        final SplittableRandom random = new SplittableRandom(11);
        for (int bodyLength = 0; bodyLength <= 80; bodyLength++)
        {
            final int length = 8 + bodyLength;
            final int aligned = BitUtil.align(length, 8);
            final int words = (bodyLength + 7) / 8;
            final byte[] batch = new byte[aligned * (1 + Math.max(1, words) * 256)];
            final byte[] body = randomBytes(random, bodyLength);
            int offset = putRecord(batch, 0, length, 11, body, random);
            for (int word = 0; word < Math.max(1, words); word++)
            {
                for (int mask = 0; mask < 256; mask++)
                {
                    for (int k = 0; k < 8; k++)
                    {
                        final int i = word * 8 + k;
                        if ((mask & (1 << k)) != 0 && i < bodyLength)
                        {
                            body[i] ^= (byte)(1 + random.nextInt(255));
                        }
                    }
                    offset = putRecord(batch, offset, length, 11, body, random);
                }
            }
            final byte[] expected = referenceEncoding(batch, offset);
            for (final Kind srcKind : Kind.values())
            {
                for (final Kind dstKind : Kind.values())
                {
                    assertEncodesAs(expected, batch, offset, srcKind, dstKind, random, "bodyLength " + bodyLength);
                }
            }
        }
    }

    @Test
    void shouldEncodeARandomCorpusAsTheReference()
    {
        final SplittableRandom random = new SplittableRandom(12);
        for (int round = 0; round < 400; round++)
        {
            final byte[] batch = randomBatch(random, 1 + random.nextInt(64 * 1024));
            final int length = batchLength(batch);
            assertEncodesAs(referenceEncoding(batch, length), batch, length, Kind.values()[random.nextInt(Kind.values().length)],
                Kind.values()[random.nextInt(Kind.values().length)], random, "round " + round);
        }
    }

    @Test
    void shouldEncodeTrainStepsAsTheReference()
    {
        // The drainer's usual batch: 61-byte train_step records (53-byte body), timestamp and step counting up.
        final SplittableRandom random = new SplittableRandom(13);
        final byte[] batch = new byte[64 * 4096];
        final UnsafeBuffer ring = new UnsafeBuffer(batch);
        long ts = 1_763_000_000_000_000_000L;
        double loss = 2.3;
        for (int i = 0; i < 4096; i++)
        {
            final int offset = i * 64;
            ring.putInt(offset, 61, ByteOrder.LITTLE_ENDIAN);
            ring.putInt(offset + 4, 11, ByteOrder.LITTLE_ENDIAN);
            ring.putLong(offset + 8, 0x0000_1C85_000B_0025L, ByteOrder.LITTLE_ENDIAN);
            ts += 20 + random.nextInt(21);
            ring.putLong(offset + 16, ts, ByteOrder.LITTLE_ENDIAN);
            ring.putInt(offset + 24, 1, ByteOrder.LITTLE_ENDIAN);
            ring.putLong(offset + 28, i, ByteOrder.LITTLE_ENDIAN);
            ring.putByte(offset + 36, (byte)3);
            loss = i % 3 == 0 ? loss * 0.999 : loss;
            ring.putDouble(offset + 37, loss, ByteOrder.LITTLE_ENDIAN);
            ring.putDouble(offset + 45, 3e-4, ByteOrder.LITTLE_ENDIAN);
        }
        final byte[] expected = referenceEncoding(batch, batch.length);
        assertTrue(expected.length < batch.length / 4, "train_steps encoded in " + expected.length);
        for (final Kind srcKind : Kind.values())
        {
            for (final Kind dstKind : Kind.values())
            {
                assertEncodesAs(expected, batch, batch.length, srcKind, dstKind, random, "train_steps");
            }
        }
    }

    /**
     * With dst exactly as long as the encoding, or a few bytes longer, the encoder cannot store whole words near
     * the end: it must still write the same bytes; one byte short, it must fail as the reference does.
     */
    @Test
    void shouldEncodeAsTheReferenceWhenDstIsNearItsCapacity()
    {
        final SplittableRandom random = new SplittableRandom(14);
        for (int round = 0; round < 200; round++)
        {
            final byte[] batch = randomBatch(random, 1 + random.nextInt(4096));
            final int length = batchLength(batch);
            final Kind srcKind = Kind.values()[random.nextInt(Kind.values().length)];
            final byte[] expected = referenceEncoding(batch, length);
            for (int room = -1; room <= 40; room++)
            {
                final int dstOffset = random.nextInt(16);
                final int capacity = dstOffset + expected.length + room;
                if (capacity < 0 || (room < 0 && expected.length == 0))
                {
                    continue;
                }
                for (final Kind dstKind : Kind.values())
                {
                    final int srcOffset = 8 * random.nextInt(2);
                    final MutableDirectBuffer src = srcKind.copyOf(batch, srcOffset);
                    final MutableDirectBuffer dst = dstKind.allocate(capacity);
                    dst.setMemory(0, capacity, SENTINEL);
                    final String context = "round " + round + ", room " + room + ", " + srcKind + " to " + dstKind;
                    if (room < 0)
                    {
                        assertThrows(IndexOutOfBoundsException.class,
                            () -> new ReferenceEncoder().encode(srcKind.copyOf(batch, 0), 0, length, dst, dstOffset), context);
                        assertThrows(IndexOutOfBoundsException.class,
                            () -> codec.encode(src, srcOffset, length, dst, dstOffset), context);
                        continue;
                    }
                    assertEquals(expected.length, codec.encode(src, srcOffset, length, dst, dstOffset), context);
                    assertArrayEquals(expected, bytes(dst, dstOffset, expected.length), context);
                    assertUntouched(dst, 0, dstOffset, context);
                }
            }
        }
    }

    @Test
    void shouldGrowAnExpandableDstAsTheReferenceDoes()
    {
        final SplittableRandom random = new SplittableRandom(15);
        for (int round = 0; round < 100; round++)
        {
            final byte[] batch = randomBatch(random, 1 + random.nextInt(8192));
            final int length = batchLength(batch);
            final byte[] expected = referenceEncoding(batch, length);
            final MutableDirectBuffer[] dsts =
                { new ExpandableArrayBuffer(1 + random.nextInt(64)), new ExpandableDirectByteBuffer(1 + random.nextInt(64)) };
            for (final MutableDirectBuffer dst : dsts)
            {
                final int dstOffset = random.nextInt(8);
                assertEquals(expected.length, codec.encode(new UnsafeBuffer(batch), 0, length, dst, dstOffset));
                assertArrayEquals(expected, bytes(dst, dstOffset, expected.length), "round " + round);
            }
        }
    }

    @Test
    void shouldRejectWhatTheReferenceRejects()
    {
        final SplittableRandom random = new SplittableRandom(16);
        int rejected = 0;
        for (int round = 0; round < 2000; round++)
        {
            final byte[] batch = randomBatch(random, 1 + random.nextInt(2048));
            int length = batchLength(batch);
            final UnsafeBuffer buffer = new UnsafeBuffer(batch);
            if (length > 0 && random.nextBoolean())
            {
                // Damage one record's length (the records after it then frame differently, or not at all).
                final int[] starts = recordStarts(batch, length);
                final int at = starts[random.nextInt(starts.length)];
                buffer.putInt(at, random.nextInt(4) == 0 ? random.nextInt(8) : 8 + random.nextInt(4 * length + 1),
                    ByteOrder.LITTLE_ENDIAN);
            }
            else
            {
                length = Math.max(0, length - 1 - random.nextInt(12)); // cut the last record, or leave a stub of one
            }
            final String context = "round " + round;
            final UnsafeBuffer expected = new UnsafeBuffer(new byte[BatchDeltaCodec.maxEncodedLength(length)]);
            int expectedLength = -1;
            String expectedMessage = null;
            try
            {
                expectedLength = new ReferenceEncoder().encode(buffer, 0, length, expected, 0);
            }
            catch (final IllegalArgumentException ex)
            {
                expectedMessage = ex.getMessage();
            }
            final byte[] dst = new byte[BatchDeltaCodec.maxEncodedLength(length)];
            if (expectedMessage == null)
            {
                assertEquals(expectedLength, codec.encode(buffer, 0, length, new UnsafeBuffer(dst), 0), context);
                assertArrayEquals(bytes(expected, 0, expectedLength), Arrays.copyOf(dst, expectedLength), context);
            }
            else
            {
                final int encodeLength = length;
                final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> codec.encode(buffer, 0, encodeLength, new UnsafeBuffer(dst), 0), context);
                assertEquals(expectedMessage, ex.getMessage(), context);
                rejected++;
            }
        }
        assertTrue(rejected > 500, "rejected " + rejected);
    }

    @Test
    void shouldRejectARecordLengthTooLargeToAlign()
    {
        // Lengths within 7 of Integer.MAX_VALUE align to a negative number: the first encoder let them through.
        for (int length = Integer.MAX_VALUE - 7; length != Integer.MIN_VALUE; length++)
        {
            for (final int type : new int[] { 1, PADDING_TYPE })
            {
                final UnsafeBuffer batch = new UnsafeBuffer(new byte[64]);
                batch.putInt(16, length, ByteOrder.LITTLE_ENDIAN);
                batch.putInt(20, type, ByteOrder.LITTLE_ENDIAN);
                batch.putInt(0, 16, ByteOrder.LITTLE_ENDIAN);
                batch.putInt(4, 1, ByteOrder.LITTLE_ENDIAN);
                final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> codec.encode(batch, 0, 64, new UnsafeBuffer(new byte[BatchDeltaCodec.maxEncodedLength(64)]), 0));
                assertEquals("ring record at offset 16 has length " + length + ", past the 64 bytes of the batch",
                    ex.getMessage());
            }
        }
    }

    @Test
    void shouldFailAsTheReferenceWhenTheRangeIsNotInTheBuffer()
    {
        final SplittableRandom random = new SplittableRandom(17);
        final byte[] batch = randomBatch(random, 4096);
        final int length = batchLength(batch);
        final UnsafeBuffer src = new UnsafeBuffer(batch, 0, length);
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[BatchDeltaCodec.maxEncodedLength(length + 64)]);
        for (final int[] range : new int[][] { { 0, length + 8 }, { -8, 16 }, { -8, length + 8 } })
        {
            assertThrows(IndexOutOfBoundsException.class, () -> new ReferenceEncoder().encode(src, range[0], range[1], dst, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> codec.encode(src, range[0], range[1], dst, 0));
        }
        assertEquals(0, codec.encode(src, 0, -8, dst, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> codec.encode(src, 0, length, dst, -1));
    }

    /**
     * Encodes {@code batch} from a buffer of {@code srcKind} at a random offset into one of {@code dstKind} at a
     * random offset, and checks the bytes against {@code expected} (the reference's), that nothing outside the
     * {@link BatchDeltaCodec#maxEncodedLength} bytes at the offset was written, and that the encoding decodes.
     */
    private void assertEncodesAs(
        final byte[] expected, final byte[] batch, final int length, final Kind srcKind, final Kind dstKind,
        final SplittableRandom random, final String context)
    {
        final int srcOffset = random.nextInt(4) * 8 + random.nextInt(2) * random.nextInt(8);
        final MutableDirectBuffer src = srcKind.copyOf(batch, srcOffset);
        final int dstOffset = random.nextInt(24);
        final int maxLength = BatchDeltaCodec.maxEncodedLength(length);
        final int after = random.nextInt(24);
        final MutableDirectBuffer dst = dstKind.allocate(dstOffset + maxLength + after);
        dst.setMemory(0, dst.capacity(), SENTINEL);
        final String where = context + ", " + srcKind + " to " + dstKind;

        final int encodedLength = codec.encode(src, srcOffset, length, dst, dstOffset);
        assertEquals(expected.length, encodedLength, where);
        assertArrayEquals(expected, bytes(dst, dstOffset, encodedLength), where);
        assertUntouched(dst, 0, dstOffset, where);
        assertUntouched(dst, dstOffset + maxLength, after, where);

        final UnsafeBuffer decoded = new UnsafeBuffer(new byte[length]);
        final int decodedLength = codec.decode(dst, dstOffset, encodedLength, decoded, 0, length);
        assertArrayEquals(withoutPadding(batch, length), bytes(decoded, 0, decodedLength), where);
    }

    /**
     * Recordings made before version 4 hold version 2 and 3 codings: the decoder reads a random corpus of each back
     * to the records, as it reads version 4.
     */
    @Test
    void shouldDecodeVersion2And3CodingsOfARandomCorpus()
    {
        final SplittableRandom random = new SplittableRandom(23);
        for (int round = 0; round < 400; round++)
        {
            final byte[] batch = randomBatch(random, 1 + random.nextInt(16 * 1024));
            final int length = batchLength(batch);
            for (int version = 2; version <= 3; version++)
            {
                final UnsafeBuffer coded = new UnsafeBuffer(new byte[BatchDeltaCodec.maxEncodedLength(length) + 64]);
                final int codedLength = new ReferenceEncoder(version).encode(new UnsafeBuffer(batch), 0, length, coded, 0);
                final UnsafeBuffer decoded = new UnsafeBuffer(new byte[length]);
                final int decodedLength = codec.decode(coded, 0, codedLength, decoded, 0, length);
                assertArrayEquals(withoutPadding(batch, length), bytes(decoded, 0, decodedLength),
                    "version " + version + ", round " + round);
            }
        }
    }

    /**
     * The random corpus must exercise the prediction, hit and miss, or the tests above prove nothing of it: count
     * the predicted records of its codings.
     */
    @Test
    void shouldPredictSomeRecordsOfTheRandomCorpusAndMissOthers()
    {
        final SplittableRandom random = new SplittableRandom(24);
        final ReferenceEncoder reference = new ReferenceEncoder();
        for (int round = 0; round < 100; round++)
        {
            final byte[] batch = randomBatch(random, 16 * 1024);
            final int length = batchLength(batch);
            reference.encode(new UnsafeBuffer(batch), 0, length, new UnsafeBuffer(new byte[BatchDeltaCodec.maxEncodedLength(length)]), 0);
        }
        assertTrue(reference.predicted > 1000, "predicted records: " + reference.predicted);
        assertTrue(reference.wordDeltas > 1000, "word deltas: " + reference.wordDeltas);
    }

    private static byte[] referenceEncoding(final byte[] batch, final int length)
    {
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[BatchDeltaCodec.maxEncodedLength(length)]);
        final int encodedLength = new ReferenceEncoder().encode(new UnsafeBuffer(batch), 0, length, dst, 0);
        return bytes(dst, 0, encodedLength);
    }

    private static void assertUntouched(final DirectBuffer buffer, final int offset, final int length, final String context)
    {
        for (int i = offset; i < offset + length; i++)
        {
            if (buffer.getByte(i) != SENTINEL)
            {
                fail(context + ": byte " + i + " outside the encoding's room was written");
            }
        }
    }

    /**
     * A batch of up to {@code maxLength} bytes of ring records: types that are delta-coded (one- and two-byte
     * varints) and ones that are not, padding, bodies of 0-200 bytes and a few longer, most alike the one before
     * of their type (a run of changed low bytes, or a few bytes anywhere), garbage in the padding after bodies.
     *
     * @return the batch, followed by 8 bytes that end with its length (read it with {@link #batchLength}).
     */
    private static byte[] randomBatch(final SplittableRandom random, final int maxLength)
    {
        final byte[] batch = new byte[maxLength + 8];
        final byte[][] lastBodyByType = new byte[SOME_TYPES.length][];
        final byte[][] beforeLastBodyByType = new byte[SOME_TYPES.length][];
        int offset = 0;
        while (true)
        {
            final boolean padding = random.nextInt(25) == 0;
            final int slot = random.nextInt(SOME_TYPES.length);
            final int type = padding ? PADDING_TYPE : SOME_TYPES[slot];
            byte[] body;
            final byte[] last = lastBodyByType[slot];
            final byte[] beforeLast = beforeLastBodyByType[slot];
            if (!padding && last != null && beforeLast != null && beforeLast.length == last.length && random.nextInt(3) == 0)
            {
                // What the two before predict (a counter, a steady clock), or one byte off it.
                body = predictedBody(last, beforeLast);
                if (body.length > 0 && random.nextInt(3) == 0)
                {
                    body[random.nextInt(body.length)] ^= (byte)(1 + random.nextInt(255));
                }
            }
            else if (!padding && last != null && random.nextInt(5) != 0)
            {
                body = lastBodyByType[slot].clone();
                if (body.length > 0 && random.nextBoolean())
                {
                    // A counter: a run of low bytes changes.
                    final int at = random.nextInt(body.length);
                    for (int k = 0, n = 1 + random.nextInt(4); k < n && at + k < body.length; k++)
                    {
                        body[at + k] ^= (byte)(1 + random.nextInt(255));
                    }
                }
                else
                {
                    for (int c = body.length == 0 ? 0 : random.nextInt(12); c > 0; c--)
                    {
                        body[random.nextInt(body.length)] ^= (byte)random.nextInt(256);
                    }
                }
            }
            else
            {
                body = randomBytes(random, random.nextInt(40) == 0 ? 200 + random.nextInt(2000) : random.nextInt(200));
            }
            if (!padding)
            {
                beforeLastBodyByType[slot] = lastBodyByType[slot];
                lastBodyByType[slot] = body;
            }
            final int length = 8 + body.length;
            if (offset + BitUtil.align(length, 8) > maxLength)
            {
                break;
            }
            offset = putRecord(batch, offset, length, type, body, random);
        }
        // The length rides in the last 8 bytes, past the records (which batchLength reads back).
        new UnsafeBuffer(batch).putInt(batch.length - 4, offset);
        return batch;
    }

    /**
     * @return each little-endian word of the body as 2 x last's - beforeLast's, a partial last word by its low bytes.
     */
    private static byte[] predictedBody(final byte[] last, final byte[] beforeLast)
    {
        final byte[] body = new byte[last.length];
        for (int i = 0; i < body.length; i += 8)
        {
            final int n = Math.min(8, body.length - i);
            long previous = 0;
            long beforePrevious = 0;
            for (int k = 0; k < n; k++)
            {
                previous |= (last[i + k] & 0xFFL) << (8 * k);
                beforePrevious |= (beforeLast[i + k] & 0xFFL) << (8 * k);
            }
            final long predicted = 2 * previous - beforePrevious;
            for (int k = 0; k < n; k++)
            {
                body[i + k] = (byte)(predicted >>> (8 * k));
            }
        }
        return body;
    }

    private static int batchLength(final byte[] batch)
    {
        return new UnsafeBuffer(batch).getInt(batch.length - 4);
    }

    private static int[] recordStarts(final byte[] batch, final int length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(batch);
        int[] starts = new int[16];
        int count = 0;
        for (int offset = 0; offset < length; offset += BitUtil.align(buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN), 8))
        {
            if (count == starts.length)
            {
                starts = Arrays.copyOf(starts, count * 2);
            }
            starts[count++] = offset;
        }
        return Arrays.copyOf(starts, count);
    }

    /**
     * The records as decoding gives them back: no padding records, zeros after each body.
     */
    private static byte[] withoutPadding(final byte[] batch, final int length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(batch);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[length]);
        int outLength = 0;
        for (int offset = 0; offset < length; )
        {
            final int recordLength = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
            final int aligned = BitUtil.align(recordLength, 8);
            if (buffer.getInt(offset + 4, ByteOrder.LITTLE_ENDIAN) != PADDING_TYPE)
            {
                out.putBytes(outLength, buffer, offset, recordLength);
                outLength += aligned;
            }
            offset += aligned;
        }
        return bytes(out, 0, outLength);
    }

    private static int putRecord(
        final byte[] batch, final int offset, final int length, final int type, final byte[] body, final SplittableRandom random)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(batch);
        buffer.putInt(offset, length, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(offset + 4, type, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(offset + 8, body);
        final int aligned = BitUtil.align(length, 8);
        for (int i = offset + length; i < offset + aligned; i++)
        {
            batch[i] = (byte)(1 + random.nextInt(255)); // the ring need not zero it: the encoding must not read it
        }
        return offset + aligned;
    }

    private static byte[] randomBytes(final SplittableRandom random, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)random.nextInt(256);
        }
        return bytes;
    }

    private static byte[] bytes(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    /**
     * The kinds of buffer the codec meets: heap arrays (tests, the exporter), direct memory (the drainer), and views
     * whose first byte is not the first of their memory.
     */
    enum Kind
    {
        HEAP_ARRAY
        {
            MutableDirectBuffer allocate(final int capacity)
            {
                return new UnsafeBuffer(new byte[capacity]);
            }
        },
        HEAP_BYTE_BUFFER_SLICE
        {
            MutableDirectBuffer allocate(final int capacity)
            {
                return new UnsafeBuffer(ByteBuffer.allocate(capacity + 5).position(5).slice()); // arrayOffset 5
            }
        },
        DIRECT
        {
            MutableDirectBuffer allocate(final int capacity)
            {
                return new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
            }
        },
        DIRECT_VIEW
        {
            MutableDirectBuffer allocate(final int capacity)
            {
                return new UnsafeBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + 11)), 3, capacity);
            }
        };

        abstract MutableDirectBuffer allocate(int capacity);

        /**
         * @return a buffer holding {@code bytes} at {@code offset}, garbage before them, and nothing after them.
         */
        MutableDirectBuffer copyOf(final byte[] bytes, final int offset)
        {
            final MutableDirectBuffer buffer = allocate(offset + bytes.length);
            buffer.setMemory(0, offset, (byte)0x5A);
            buffer.putBytes(offset, bytes);
            return buffer;
        }
    }

    /**
     * The encoder as first written (bounds-checked reads and writes, byte by byte), with the nonzero-byte mask
     * computed plainly: what the recordings on disk were written with.
     */
    static final class ReferenceEncoder
    {
        private final int[] lastOffsetByType = new int[256];
        private final int[] beforeLastOffsetByType = new int[256];
        /**
         * 2: a mask byte for every word; 3: a map of the words that differ; 4: as 3, and records the two before them
         * predict are their tag alone.
         */
        private final int version;
        /** Records coded so far by prediction, and as word deltas. */
        int predicted;
        int wordDeltas;

        ReferenceEncoder()
        {
            this(4);
        }

        ReferenceEncoder(final int version)
        {
            this.version = version;
        }

        int encode(
            final DirectBuffer src, final int srcOffset, final int srcLength, final MutableDirectBuffer dst, final int dstOffset)
        {
            Arrays.fill(lastOffsetByType, -1);
            Arrays.fill(beforeLastOffsetByType, -1);
            int out = dstOffset;
            int offset = srcOffset;
            int lastType = Integer.MIN_VALUE + 1;
            final int end = srcOffset + srcLength;
            while (offset < end)
            {
                final int length = src.getInt(offset, ByteOrder.LITTLE_ENDIAN);
                final int type = src.getInt(offset + 4, ByteOrder.LITTLE_ENDIAN);
                final int aligned = BitUtil.align(length, 8);
                if (length < 8 || aligned > end - offset)
                {
                    throw new IllegalArgumentException("ring record at offset " + (offset - srcOffset) + " has length " +
                        length + ", past the " + srcLength + " bytes of the batch");
                }
                if (type != PADDING_TYPE)
                {
                    out = encodeRecord(src, offset, length, type, lastType, dst, out);
                    lastType = type;
                }
                offset += aligned;
            }
            return out - dstOffset;
        }

        private int encodeRecord(
            final DirectBuffer src, final int offset, final int length, final int type, final int lastType,
            final MutableDirectBuffer dst, final int start)
        {
            int out = start;
            final int bodyLength = length - 8;
            final int body = offset + 8;
            final boolean tracked = type >= 0 && type < 256;
            final int previous = tracked ? lastOffsetByType[type] : -1;
            final int beforePrevious = tracked ? beforeLastOffsetByType[type] : -1;
            if (tracked)
            {
                beforeLastOffsetByType[type] = previous;
                lastOffsetByType[type] = offset;
            }
            if (previous < 0 || src.getInt(previous, ByteOrder.LITTLE_ENDIAN) != length)
            {
                dst.putByte(out++, BatchDeltaCodec.LITERAL);
                out = putVarint(dst, out, length);
                out = putVarint(dst, out, type);
                dst.putBytes(out, src, body, bodyLength);
                return out + bodyLength;
            }

            final int previousBody = previous + 8;
            if (version == 4 && beforePrevious >= 0 && src.getInt(beforePrevious, ByteOrder.LITTLE_ENDIAN) == length &&
                isPredicted(src, body, previousBody, beforePrevious + 8, bodyLength))
            {
                predicted++;
                if (type == lastType)
                {
                    dst.putByte(out++, BatchDeltaCodec.PREDICTED_SAME_TYPE);
                    return out;
                }
                dst.putByte(out++, BatchDeltaCodec.PREDICTED);
                return putVarint(dst, out, type);
            }
            if (version >= 3)
            {
                wordDeltas++;
                return encodeWordDelta(src, body, previousBody, bodyLength, type, lastType, dst, out);
            }
            dst.putByte(out++, BatchDeltaCodec.DELTA);
            out = putVarint(dst, out, type);
            for (int i = 0; i < bodyLength; i += 8)
            {
                final int n = Math.min(8, bodyLength - i);
                int mask = 0;
                for (int k = 0; k < n; k++)
                {
                    if (src.getByte(body + i + k) != src.getByte(previousBody + i + k))
                    {
                        mask |= 1 << k;
                    }
                }
                dst.putByte(out++, (byte)mask);
                for (int k = 0; k < n; k++)
                {
                    if ((mask & (1 << k)) != 0)
                    {
                        dst.putByte(out++, src.getByte(body + i + k));
                    }
                }
            }
            return out;
        }

        /**
         * Each body byte against the byte of the same weight of (2 x the previous record's word - the one before's),
         * the words read byte by byte from the body alone.
         */
        private static boolean isPredicted(
            final DirectBuffer src, final int body, final int previousBody, final int beforePreviousBody, final int bodyLength)
        {
            for (int i = 0; i < bodyLength; i += 8)
            {
                long previous = 0;
                long beforePrevious = 0;
                for (int k = 0; k < 8 && i + k < bodyLength; k++)
                {
                    previous |= (src.getByte(previousBody + i + k) & 0xFFL) << (8 * k);
                    beforePrevious |= (src.getByte(beforePreviousBody + i + k) & 0xFFL) << (8 * k);
                }
                final long predicted = 2 * previous - beforePrevious;
                for (int k = 0; k < 8 && i + k < bodyLength; k++)
                {
                    if (src.getByte(body + i + k) != (byte)(predicted >>> (8 * k)))
                    {
                        return false;
                    }
                }
            }
            return true;
        }

        private static int encodeWordDelta(final DirectBuffer src, final int body, final int previousBody,
            final int bodyLength, final int type, final int lastType, final MutableDirectBuffer dst, final int start)
        {
            int out = start;
            if (type == lastType)
            {
                dst.putByte(out++, BatchDeltaCodec.WORD_DELTA_SAME_TYPE);
            }
            else
            {
                dst.putByte(out++, BatchDeltaCodec.WORD_DELTA);
                out = putVarint(dst, out, type);
            }
            final int words = (bodyLength + 7) / 8;
            final int map = out;
            for (int b = 0; b < (words + 7) / 8; b++)
            {
                dst.putByte(out++, (byte)0);
            }
            for (int w = 0; w < words; w++)
            {
                int mask = 0;
                for (int k = 0; k < 8 && w * 8 + k < bodyLength; k++)
                {
                    if (src.getByte(body + w * 8 + k) != src.getByte(previousBody + w * 8 + k))
                    {
                        mask |= 1 << k;
                    }
                }
                if (mask == 0)
                {
                    continue;
                }
                dst.putByte(map + w / 8, (byte)(dst.getByte(map + w / 8) | (1 << (w % 8))));
                dst.putByte(out++, (byte)mask);
                for (int k = 0; k < 8; k++)
                {
                    if ((mask & (1 << k)) != 0)
                    {
                        dst.putByte(out++, src.getByte(body + w * 8 + k));
                    }
                }
            }
            return out;
        }

        private static int putVarint(final MutableDirectBuffer dst, final int offset, final int value)
        {
            int out = offset;
            int remaining = value;
            while ((remaining & ~0x7F) != 0)
            {
                dst.putByte(out++, (byte)((remaining & 0x7F) | 0x80));
                remaining >>>= 7;
            }
            dst.putByte(out++, (byte)remaining);
            return out;
        }
    }
}
