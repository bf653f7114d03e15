package io.blackbox.codecs.layout;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.ByteOrder;
import java.util.Arrays;

import static io.blackbox.codecs.layout.RecordingBatchDescriptor.PADDING_TYPE;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RECORD_ALIGNMENT;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.RECORD_HEADER_LENGTH;
import static io.blackbox.codecs.layout.RecordingBatchDescriptor.alignedRecordLength;

/**
 * The records of a coded batch ({@link RecordingBatchDescriptor#isDeltaCoded}): each record is stored as the bytes
 * in which it differs from the record before it of the same type, or as nothing when the two before it predict it,
 * so a run of {@code train_step}s of one run costs its changing bytes (timestamp, step, loss), not its 64.
 * <p>
 * Ring records of one template have one length when their groups and var data are alike, and then differ in a few
 * bytes: the same run symbol, the same presence bits, a learning rate that changes rarely, a timestamp and a step
 * whose high bytes stay put. A general-purpose compressor finds that too (zstd -1 makes 2.9x of a batch), but costs
 * the drainer several times as much CPU per byte; this costs one XOR and one mask per 8 bytes.
 * <p>
 * Padding is not stored. Each batch decodes on its own (the first record of each type in a batch is literal), so a
 * damaged batch costs only itself. Encoded records, one after another:
 * <pre>
 *   Literal: a record unlike the one before it of its type (or the first of its type in the batch)
 *  +--------+---------------------+-------------------+---------------------------------------------+
 *  |  0x00  | Length (varint;     | Type (varint of   | Body: Length - 8 bytes, the SBE message    ...
 *  |        | header included)    | its 32 bits)      |                                             |
 *  +--------+---------------------+-------------------+---------------------------------------------+
 *
 *   Delta (version 2 batches only, still read): same type and length as the record before it of its type
 *  +--------+-------------------+------------+----------------------+------------+---------------
 *  |  0x01  | Type (varint)     | Mask of    | the body bytes of    | Mask of    | ...
 *  |        |                   | bytes 0-7  | 0-7 that differ,     | bytes 8-15 |
 *  |        |                   | (bit k:    | in order             |            |
 *  |        |                   | byte k     |                      |            |
 *  |        |                   | differs)   |                      |            |
 *  +--------+-------------------+------------+----------------------+------------+---------------
 *
 *   Word delta (versions 3 and 4): same type and length as the record before it of its type
 *  +--------+---------------+-----------------------+------------+-------------------+------------+-----------
 *  |  0x02  | Type (varint) | Word map: (words + 7) | Mask of    | its bytes that    | Mask of    | ...
 *  |        |               | / 8 bytes, bit w of   | the first  | differ, in order  | the next   |
 *  |  0x03  | (absent: the  | byte w / 8 set when   | word that  |                   | word that  |
 *  |        | type of the   | body word w differs   | differs    |                   | differs    |
 *  |        | record before)|                       |            |                   |            |
 *  +--------+---------------+-----------------------+------------+-------------------+------------+-----------
 *
 *   Predicted (version 4): same type and length as the two records before it of its type, and each body word
 *   (a little-endian int64) is 2 x that word of the record before minus that of the one before that, modulo 2^64
 *  +--------+---------------+
 *  |  0x04  | Type (varint) |
 *  |  0x05  | (absent)      |
 *  +--------+---------------+
 * </pre>
 * A body of n bytes has (n + 7) / 8 words, the last maybe partial (its bytes past the body are left out of every
 * comparison, and decode as zero). Words that do not differ cost one bit instead of a mask byte: a
 * {@code train_step} whose step and timestamp moved is 5-9 bytes instead of 11-14. On the machine this was measured
 * on, every byte the drainer stores costs it 1-3 ns of kernel time (page faults on the queue's mapped file), more
 * than the coder's own work.
 * <p>
 * The prediction is a delta of deltas, as time-series stores code clocks: a step that counts up, a timestamp that
 * moved as much as last time and every field that stays put cost nothing, so such a record is its tag alone. A
 * record the prediction misses is coded as a word delta against the record before it: a value that changes in no
 * regular way (a loss) is cheaper as a difference from the last one than from an extrapolation. The encoder tries
 * the prediction first, stopping at the first word that misses: 2-4 ns a record more when it misses (a timestamp
 * with jitter), against 4-9 stored bytes fewer when it hits.
 * <p>
 * Varints are unsigned LEB128. Decoding writes the records back in ring form (header, body, zero padding to 8
 * bytes) with the padding records left out. Instances hold the per-type state of one batch; not thread-safe.
 */
public final class BatchDeltaCodec
{
    static final byte LITERAL = 0;
    static final byte DELTA = 1;
    static final byte WORD_DELTA = 2;
    static final byte WORD_DELTA_SAME_TYPE = 3;
    static final byte PREDICTED = 4;
    static final byte PREDICTED_SAME_TYPE = 5;

    /** Types below this are delta-coded; larger ones are always literal (the schema's template ids are small). */
    private static final int TRACKED_TYPES = 256;
    /** No record before this one in the batch: no type matches it. */
    private static final int NO_TYPE = Integer.MIN_VALUE + 1;
    private static final long LOW_SEVEN_BITS = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long BYTE_GATHER = 0x0102040810204080L;
    private static final boolean NATIVE_LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    /**
     * Room beyond a record's body and mask bytes that dst must have for the unchecked encoding: 11 bytes of literal
     * tag and varints, or 3 of delta tag and type, 1 of a rounded-up mask and 6 that a whole-word store of its last
     * changed bytes may run past them.
     */
    private static final int UNCHECKED_RECORD_SLACK = 16;

    /** Decoding: offset in the target of the last record of each type in the batch being decoded. */
    private final int[] lastOffsetByType = new int[TRACKED_TYPES];
    /** Decoding: offset in the target of the record of each type before the last one. */
    private final int[] beforeLastOffsetByType = new int[TRACKED_TYPES];
    /**
     * Encoding's copy of the same: (batch number << 32) | offset, valid only for the batch being encoded, so a batch
     * of a few records does not pay for clearing 256 entries (a profile of the drainer put 6 % of its samples in that).
     */
    private final long[] encodeOffsetByType = new long[TRACKED_TYPES];
    /** Encoding: the entry {@link #encodeOffsetByType} held before its last record, for the prediction. */
    private final long[] encodeBeforeOffsetByType = new long[TRACKED_TYPES];
    private int encodeBatch;

    /**
     * @param recordsLength bytes of ring records.
     * @return the most bytes {@link #encode} can write for them.
     */
    public static int maxEncodedLength(final int recordsLength)
    {
        // A literal adds at most 1 + 5 + 5 bytes to a record of at least 8 header bytes it does not store.
        return recordsLength + (recordsLength / RECORD_ALIGNMENT) * 4 + 16;
    }

    /**
     * Encode ring records, padding included, aligned as the ring holds them.
     * <p>
     * Writes only within the {@link #maxEncodedLength} bytes at {@code dstOffset}, but may write bytes past the
     * returned length there (they are not part of the encoding).
     *
     * @return bytes written at {@code dstOffset}.
     * @throws IllegalArgumentException when a record cannot be framed (its length runs past the range).
     */
    public int encode(
        final DirectBuffer src, final int srcOffset, final int srcLength, final MutableDirectBuffer dst, final int dstOffset)
    {
        if (++encodeBatch == Integer.MAX_VALUE)
        {
            Arrays.fill(encodeOffsetByType, 0);
            Arrays.fill(encodeBeforeOffsetByType, 0);
            encodeBatch = 1;
        }
        if (srcOffset < 0 || srcLength < 0 || srcOffset > src.capacity() - srcLength || dstOffset < 0)
        {
            // A range outside src or a negative dstOffset: fails where it did (a negative length encodes nothing).
            return encodeChecked(src, srcOffset, srcLength, srcOffset, NO_TYPE, dst, dstOffset) - dstOffset;
        }

        // The whole source range is checked once above; each record is framed inside it before it is read, and
        // written unchecked only while dst has room for its worst case, so nothing below reads or writes outside.
        final byte[] srcArray = src.byteArray();
        final long srcAddress = src.addressOffset();
        final long dstEnd = (long)dstOffset + srcLength + (srcLength / RECORD_ALIGNMENT) * 4L + 16; // maxEncodedLength, in long
        byte[] dstArray = dst.byteArray();
        long dstAddress = dst.addressOffset();
        long dstLimit = Math.min(dst.capacity(), dstEnd);
        int out = dstOffset;
        int offset = srcOffset;
        int lastType = NO_TYPE;
        final int end = srcOffset + srcLength;
        while (end - offset >= RECORD_HEADER_LENGTH)
        {
            final long header = getLongLittleEndian(srcArray, srcAddress + offset);
            final int length = (int)header;
            final int type = (int)(header >>> 32);
            final int aligned = alignedRecordLength(length, end - offset);
            if (aligned < 0)
            {
                throw unframed(srcOffset, srcLength, offset, length);
            }
            if (type != PADDING_TYPE)
            {
                final int bodyLength = length - RECORD_HEADER_LENGTH;
                if (dstLimit - out >= (long)bodyLength + (bodyLength >>> 3) + (bodyLength >>> 6) + UNCHECKED_RECORD_SLACK)
                {
                    final long next = encodeRecordUnchecked(
                        srcArray, srcAddress, offset, length, type, lastType, dstArray, dstAddress + out);
                    out = (int)(next - dstAddress);
                }
                else
                {
                    // Too close to the end of dst for whole-word stores: bounds-checked, as dst may also expand.
                    out = encodeRecord(src, offset, length, type, lastType, dst, out);
                    dstArray = dst.byteArray();
                    dstAddress = dst.addressOffset();
                    dstLimit = Math.min(dst.capacity(), dstEnd);
                }
                lastType = type;
            }
            offset += aligned;
        }
        if (offset < end)
        {
            // a stub of a header: fails as it did
            out = encodeChecked(src, srcOffset, srcLength, offset, lastType, dst, out);
        }
        return out - dstOffset;
    }

    /**
     * The bounds-checked encoding of the records from {@code from}, for ranges the unchecked one cannot vouch for.
     *
     * @return the offset in dst after the bytes written.
     */
    private int encodeChecked(
        final DirectBuffer src, final int srcOffset, final int srcLength, final int from, final int typeBefore,
        final MutableDirectBuffer dst, final int dstOffset)
    {
        int out = dstOffset;
        int offset = from;
        int lastType = typeBefore;
        final int end = srcOffset + srcLength;
        while (offset < end)
        {
            final int length = src.getInt(offset, ByteOrder.LITTLE_ENDIAN);
            final int type = src.getInt(offset + 4, ByteOrder.LITTLE_ENDIAN);
            final int aligned = alignedRecordLength(length, end - offset);
            if (aligned < 0)
            {
                throw unframed(srcOffset, srcLength, offset, length);
            }
            if (type != PADDING_TYPE)
            {
                out = encodeRecord(src, offset, length, type, lastType, dst, out);
                lastType = type;
            }
            offset += aligned;
        }
        return out;
    }

    private static IllegalArgumentException unframed(final int srcOffset, final int srcLength, final int offset, final int length)
    {
        return new IllegalArgumentException("ring record at offset " + (offset - srcOffset) + " has length " + length +
            ", past the " + srcLength + " bytes of the batch");
    }

    /**
     * {@link #encodeRecord} through {@link UnsafeApi} (array null for direct memory, addresses then absolute): the
     * caller has framed the record in the source and made sure dst has room for its worst case, the body, its
     * mask bytes and {@link #UNCHECKED_RECORD_SLACK}.
     *
     * @return the dst address after the bytes of the encoding.
     */
    private long encodeRecordUnchecked(
        final byte[] srcArray, final long srcAddress, final int offset, final int length, final int type,
        final int lastType, final byte[] dstArray, final long start)
    {
        long out = start;
        final int bodyLength = length - RECORD_HEADER_LENGTH;
        final long body = srcAddress + offset + RECORD_HEADER_LENGTH;
        final boolean tracked = type >= 0 && type < TRACKED_TYPES;
        final int previous = tracked ? inThisBatch(encodeOffsetByType[type]) : -1;
        final int beforePrevious = tracked ? inThisBatch(encodeBeforeOffsetByType[type]) : -1;
        if (tracked)
        {
            encodeBeforeOffsetByType[type] = encodeOffsetByType[type];
            encodeOffsetByType[type] = (long)encodeBatch << 32 | (offset & 0xFFFF_FFFFL);
        }
        if (previous < 0 || getIntLittleEndian(srcArray, srcAddress + previous) != length)
        {
            return putLiteral(srcArray, body, length, type, dstArray, out);
        }

        final long previousBody = srcAddress + previous + RECORD_HEADER_LENGTH;
        if (beforePrevious >= 0 && getIntLittleEndian(srcArray, srcAddress + beforePrevious) == length &&
            isPredicted(srcArray, body, previousBody, srcAddress + beforePrevious + RECORD_HEADER_LENGTH, bodyLength))
        {
            return putTag(dstArray, out, PREDICTED, type, lastType);
        }
        return putWordDeltas(srcArray, body, previousBody, bodyLength, dstArray, putTag(dstArray, out, WORD_DELTA, type, lastType));
    }

    /**
     * Whether each body word is what the two records before it of its type predict, {@link #predict}: counters,
     * clocks that moved by as much as last time, and fields that stay put.
     */
    private static boolean isPredicted(final byte[] srcArray, final long body, final long previousBody,
        final long beforePreviousBody, final int bodyLength)
    {
        final int wholeWords = bodyLength >>> 3;
        for (int w = 0; w < wholeWords; w++)
        {
            final long at = (long)w << 3;
            if (getLongLittleEndian(srcArray, body + at) !=
                predict(getLongLittleEndian(srcArray, previousBody + at), getLongLittleEndian(srcArray, beforePreviousBody + at)))
            {
                return false;
            }
        }
        if ((bodyLength & 7) == 0)
        {
            return true;
        }
        // The partial last word: its bytes past the body are padding (zero or not), and the low bytes of a
        // difference depend only on the low bytes of its terms, so whole words masked give the body's bytes.
        final long at = (long)wholeWords << 3;
        final long predicted = predict(getLongLittleEndian(srcArray, previousBody + at), getLongLittleEndian(srcArray, beforePreviousBody + at));
        return ((getLongLittleEndian(srcArray, body + at) ^ predicted) & partialWordMask(bodyLength)) == 0;
    }

    /**
     * A body word extrapolated from the same word of the two records before it of its type: the previous value
     * moved by as much as it moved last time (little-endian 64-bit words, arithmetic modulo 2^64).
     */
    static long predict(final long previous, final long beforePrevious)
    {
        return (previous << 1) - beforePrevious;
    }

    /**
     * @return the bits of a body's partial last word that belong to the body (its length not a multiple of 8).
     */
    private static long partialWordMask(final int bodyLength)
    {
        return (1L << ((bodyLength & 7) << 3)) - 1;
    }

    /**
     * @return the offset of an entry of {@link #encodeOffsetByType} or {@link #encodeBeforeOffsetByType} when it was
     * made in the batch being encoded, or -1.
     */
    private int inThisBatch(final long entry)
    {
        return (int)(entry >>> 32) == encodeBatch ? (int)entry : -1;
    }

    /**
     * The tag (and type) of a word delta or a predicted record ({@code tag}: {@link #WORD_DELTA} or
     * {@link #PREDICTED}, one more for the same type as the record before); a tracked type is below 256, so its
     * varint takes one or two bytes.
     */
    private static long putTag(final byte[] dstArray, final long start, final byte tag, final int type, final int lastType)
    {
        if (type == lastType)
        {
            UnsafeApi.putByte(dstArray, start, (byte)(tag + 1));
            return start + 1;
        }
        if (type < 0x80)
        {
            UnsafeApi.putShort(dstArray, start, littleEndian((short)(tag | type << 8)));
            return start + 2;
        }
        UnsafeApi.putByte(dstArray, start, tag);
        return putVarint(dstArray, start + 1, type);
    }

    /**
     * The word map and the changed words of a body against the previous record's of its type.
     */
    private static long putWordDeltas(final byte[] srcArray, final long body, final long previousBody,
        final int bodyLength, final byte[] dstArray, final long start)
    {
        final long map = start;
        long out = start + ((bodyLength + 63) >>> 6);
        final int wholeWords = bodyLength >>> 3;
        int bits = 0;
        int w = 0;
        for (; w < wholeWords; w++)
        {
            final long current = getLongLittleEndian(srcArray, body + ((long)w << 3));
            final long diff = current ^ getLongLittleEndian(srcArray, previousBody + ((long)w << 3));
            if (diff != 0)
            {
                bits |= 1 << (w & 7);
                out = putChangedBytes(dstArray, out, current, diff);
            }
            if ((w & 7) == 7)
            {
                UnsafeApi.putByte(dstArray, map + (w >>> 3), (byte)bits); // behind out: later stores cannot reach it
                bits = 0;
            }
        }
        if ((bodyLength & 7) != 0)
        {
            return putPartialWord(srcArray, body, previousBody, bodyLength, bits, dstArray, map, out);
        }
        if ((w & 7) != 0)
        {
            UnsafeApi.putByte(dstArray, map + ((w - 1) >>> 3), (byte)bits);
        }
        return out;
    }

    /**
     * The partial last word of a body, and the word map's last byte.
     */
    private static long putPartialWord(final byte[] srcArray, final long body, final long previousBody,
        final int bodyLength, final int bitsBefore, final byte[] dstArray, final long map, final long start)
    {
        // Records are aligned to 8, so the whole word is inside this record's (and the previous one's) range; the
        // bytes past the body are padding, which need not be zero: leave them out of the difference.
        final int w = bodyLength >>> 3;
        final long current = getLongLittleEndian(srcArray, body + ((long)w << 3));
        final long diff = (current ^ getLongLittleEndian(srcArray, previousBody + ((long)w << 3))) &
            partialWordMask(bodyLength);
        int bits = bitsBefore;
        long out = start;
        if (diff != 0)
        {
            bits |= 1 << (w & 7);
            out = putChangedBytes(dstArray, out, current, diff);
        }
        UnsafeApi.putByte(dstArray, map + (w >>> 3), (byte)bits);
        return out;
    }

    // Apart from the delta path above, so that stays small enough for the JIT to inline into the record loop.
    private static long putLiteral(
        final byte[] srcArray, final long body, final int length, final int type, final byte[] dstArray, final long start)
    {
        long out = start;
        UnsafeApi.putByte(dstArray, out++, LITERAL);
        out = putVarint(dstArray, out, length);
        out = putVarint(dstArray, out, type);
        final int bodyLength = length - RECORD_HEADER_LENGTH;
        UnsafeApi.copyMemory(srcArray, body, dstArray, out, bodyLength);
        return out + bodyLength;
    }

    /**
     * The mask byte of one body word that differs ({@code diff != 0}) and its changed bytes, writing up to 6 bytes past
     * those it returns.
     */
    private static long putChangedBytes(final byte[] dstArray, final long out, final long current, final long diff)
    {
        final int mask = nonZeroByteMask(diff);
        final int first = Long.numberOfTrailingZeros(diff) >>> 3;
        final int run = mask >>> first;
        if ((run & (run + 1)) == 0) // one run of changed bytes, as a counter's or a timestamp's low bytes usually are
        {
            final int changed = Integer.bitCount(run);
            if (changed < 8)
            {
                UnsafeApi.putLong(dstArray, out, littleEndian(current >>> (first << 3) << 8 | mask));
            }
            else
            {
                UnsafeApi.putByte(dstArray, out, (byte)mask);
                UnsafeApi.putLong(dstArray, out + 1, littleEndian(current));
            }
            return out + 1 + changed;
        }

        UnsafeApi.putByte(dstArray, out, (byte)mask);
        long at = out + 1;
        int remaining = mask;
        while (remaining != 0)
        {
            UnsafeApi.putByte(dstArray, at++, (byte)(current >>> (Integer.numberOfTrailingZeros(remaining) << 3)));
            remaining &= remaining - 1;
        }
        return at;
    }

    private int encodeRecord(
        final DirectBuffer src, final int offset, final int length, final int type, final int lastType,
        final MutableDirectBuffer dst, final int start)
    {
        int out = start;
        final int bodyLength = length - RECORD_HEADER_LENGTH;
        final int body = offset + RECORD_HEADER_LENGTH;
        final boolean tracked = type >= 0 && type < TRACKED_TYPES;
        final int previous = tracked ? inThisBatch(encodeOffsetByType[type]) : -1;
        final int beforePrevious = tracked ? inThisBatch(encodeBeforeOffsetByType[type]) : -1;
        if (tracked)
        {
            encodeBeforeOffsetByType[type] = encodeOffsetByType[type];
            encodeOffsetByType[type] = (long)encodeBatch << 32 | (offset & 0xFFFF_FFFFL);
        }
        if (previous < 0 || src.getInt(previous, ByteOrder.LITTLE_ENDIAN) != length)
        {
            dst.putByte(out++, LITERAL);
            out = putVarint(dst, out, length);
            out = putVarint(dst, out, type);
            dst.putBytes(out, src, body, bodyLength);
            return out + bodyLength;
        }

        final int previousBody = previous + RECORD_HEADER_LENGTH;
        final int words = (bodyLength + 7) >>> 3;
        if (beforePrevious >= 0 && src.getInt(beforePrevious, ByteOrder.LITTLE_ENDIAN) == length &&
            isPredicted(src, body, previousBody, beforePrevious + RECORD_HEADER_LENGTH, bodyLength))
        {
            return putTag(dst, out, PREDICTED, type, lastType);
        }
        out = putTag(dst, out, WORD_DELTA, type, lastType);
        final int map = out;
        out += (words + 7) >>> 3;
        for (int w = 0; w < words; w++)
        {
            final int i = w << 3;
            final int n = Math.min(8, bodyLength - i);
            final long current = n == 8 ? src.getLong(body + i, ByteOrder.LITTLE_ENDIAN) : getPartialLong(src, body + i, n);
            final long before = n == 8 ? src.getLong(previousBody + i, ByteOrder.LITTLE_ENDIAN) :
                getPartialLong(src, previousBody + i, n);
            int mask = nonZeroByteMask(current ^ before);
            if ((w & 7) == 0)
            {
                dst.putByte(map + (w >>> 3), (byte)0);
            }
            if (mask != 0)
            {
                dst.putByte(map + (w >>> 3), (byte)(dst.getByte(map + (w >>> 3)) | (1 << (w & 7))));
                dst.putByte(out++, (byte)mask);
                while (mask != 0)
                {
                    final int k = Integer.numberOfTrailingZeros(mask);
                    dst.putByte(out++, (byte)(current >>> (k << 3)));
                    mask &= mask - 1;
                }
            }
        }
        return out;
    }

    /**
     * {@link #isPredicted(byte[], long, long, long, int)}, bounds-checked: the records are framed inside src.
     */
    private static boolean isPredicted(final DirectBuffer src, final int body, final int previousBody,
        final int beforePreviousBody, final int bodyLength)
    {
        for (int i = 0; i < bodyLength; i += 8)
        {
            final int n = Math.min(8, bodyLength - i);
            final long predicted = predict(getPartialLong(src, previousBody + i, n), getPartialLong(src, beforePreviousBody + i, n));
            final long mask = n == 8 ? -1L : (1L << (n << 3)) - 1;
            if (((getPartialLong(src, body + i, n) ^ predicted) & mask) != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static int putTag(final MutableDirectBuffer dst, final int start, final byte tag, final int type, final int lastType)
    {
        if (type == lastType)
        {
            dst.putByte(start, (byte)(tag + 1));
            return start + 1;
        }
        dst.putByte(start, tag);
        return putVarint(dst, start + 1, type);
    }

    /**
     * Decode what {@link #encode} wrote back into ring records (no padding).
     *
     * @return bytes written at {@code dstOffset}.
     * @throws IllegalArgumentException naming the offset when the bytes are not a valid encoding, or decode to more
     *                                  than {@code dstCapacity} bytes.
     */
    public int decode(
        final DirectBuffer src, final int srcOffset, final int srcLength,
        final MutableDirectBuffer dst, final int dstOffset, final int dstCapacity)
    {
        Arrays.fill(lastOffsetByType, -1);
        Arrays.fill(beforeLastOffsetByType, -1);
        final int end = srcOffset + srcLength;
        final int dstEnd = dstOffset + dstCapacity;
        int in = srcOffset;
        int out = dstOffset;
        int lastType = NO_TYPE;
        while (in < end)
        {
            final int recordStart = in - srcOffset;
            final byte tag = src.getByte(in++);
            if (tag == LITERAL)
            {
                final long lengthAndNext = getVarint(src, in, end, recordStart, "length");
                in = (int)(lengthAndNext >>> 32);
                final int length = (int)lengthAndNext;
                final long typeAndNext = getVarint(src, in, end, recordStart, "type");
                in = (int)(typeAndNext >>> 32);
                final int type = (int)typeAndNext;
                final int bodyLength = length - RECORD_HEADER_LENGTH;
                final int aligned = BitUtil.align(length, RECORD_ALIGNMENT);
                if (length < RECORD_HEADER_LENGTH || aligned < 0 || bodyLength > end - in || aligned > dstEnd - out)
                {
                    throw invalid(recordStart, "literal record length " + length + " does not fit");
                }
                dst.putInt(out, length, ByteOrder.LITTLE_ENDIAN);
                dst.putInt(out + 4, type, ByteOrder.LITTLE_ENDIAN);
                dst.putBytes(out + RECORD_HEADER_LENGTH, src, in, bodyLength);
                dst.setMemory(out + length, aligned - length, (byte)0);
                in += bodyLength;
                if (type >= 0 && type < TRACKED_TYPES)
                {
                    beforeLastOffsetByType[type] = lastOffsetByType[type];
                    lastOffsetByType[type] = out;
                }
                lastType = type;
                out += aligned;
            }
            else if (tag >= DELTA && tag <= PREDICTED_SAME_TYPE)
            {
                final int type;
                if (tag == WORD_DELTA_SAME_TYPE || tag == PREDICTED_SAME_TYPE)
                {
                    type = lastType;
                }
                else
                {
                    final long typeAndNext = getVarint(src, in, end, recordStart, "type");
                    in = (int)(typeAndNext >>> 32);
                    type = (int)typeAndNext;
                }
                final boolean predicted = tag >= PREDICTED;
                final boolean tracked = type >= 0 && type < TRACKED_TYPES;
                final int previous = tracked ? lastOffsetByType[type] : -1;
                final int beforePrevious = tracked ? beforeLastOffsetByType[type] : -1;
                if (previous < 0 || (predicted && beforePrevious < 0))
                {
                    throw invalid(recordStart, (predicted ? "predicted record of type " + type + " has not two records" :
                        "delta record of type " + type + " has no record") + " of its type before it");
                }
                final int length = dst.getInt(previous, ByteOrder.LITTLE_ENDIAN);
                if (predicted && dst.getInt(beforePrevious, ByteOrder.LITTLE_ENDIAN) != length)
                {
                    throw invalid(recordStart, "predicted record of type " + type + " follows two of different lengths");
                }
                final int aligned = BitUtil.align(length, RECORD_ALIGNMENT);
                if (aligned > dstEnd - out)
                {
                    throw invalid(recordStart, "decoded records exceed " + dstCapacity + " bytes");
                }
                if (predicted)
                {
                    putPredicted(dst, out, previous, beforePrevious, length);
                }
                else
                {
                    dst.putBytes(out, dst, previous, aligned);
                    in = applyDelta(src, in, end, recordStart, tag != DELTA, dst, out + RECORD_HEADER_LENGTH,
                        length - RECORD_HEADER_LENGTH);
                }
                beforeLastOffsetByType[type] = previous;
                lastOffsetByType[type] = out;
                lastType = type;
                out += aligned;
            }
            else
            {
                throw invalid(recordStart, "unknown record tag " + tag);
            }
        }
        return out - dstOffset;
    }

    /**
     * Write at {@code out} the record the two before it of its type predict: their header, and each body word
     * {@link #predict}ed, the bytes past the body zero.
     */
    private static void putPredicted(
        final MutableDirectBuffer dst, final int out, final int previous, final int beforePrevious, final int length)
    {
        dst.putLong(out, dst.getLong(previous));
        final int bodyLength = length - RECORD_HEADER_LENGTH;
        for (int i = 0; i < bodyLength; i += 8)
        {
            final int at = RECORD_HEADER_LENGTH + i;
            final long predicted = predict(
                dst.getLong(previous + at, ByteOrder.LITTLE_ENDIAN), dst.getLong(beforePrevious + at, ByteOrder.LITTLE_ENDIAN));
            dst.putLong(out + at, bodyLength - i >= 8 ? predicted : predicted & partialWordMask(bodyLength),
                ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * Apply one delta record's changed bytes to the copy of the previous record at {@code body}: with a word map
     * (version 3) only the words it marks have a mask byte; without (version 2) every word has one.
     *
     * @return the offset in src after the record.
     */
    private static int applyDelta(final DirectBuffer src, final int from, final int end, final int recordStart,
        final boolean wordMap, final MutableDirectBuffer dst, final int body, final int bodyLength)
    {
        int in = from;
        final int words = (bodyLength + 7) >>> 3;
        int map = -1;
        if (wordMap)
        {
            final int mapLength = (words + 7) >>> 3;
            if (mapLength > end - in)
            {
                throw invalid(recordStart, "delta record ends inside its word map");
            }
            map = in;
            in += mapLength;
            if ((words & 7) != 0 && (src.getByte(map + mapLength - 1) & 0xFF) >>> (words & 7) != 0)
            {
                throw invalid(recordStart, "word map marks words past the " + words + " of the record");
            }
        }
        for (int w = 0; w < words; w++)
        {
            if (wordMap && (src.getByte(map + (w >>> 3)) & (1 << (w & 7))) == 0)
            {
                continue;
            }
            if (in >= end)
            {
                throw invalid(recordStart, "delta record ends inside its masks");
            }
            int mask = src.getByte(in++) & 0xFF;
            final int i = w << 3;
            final int n = Math.min(8, bodyLength - i);
            if ((wordMap && mask == 0) || (mask >>> n) != 0 || Integer.bitCount(mask) > end - in)
            {
                throw invalid(recordStart, "delta mask " + mask + " of body bytes " + i + "-" + (i + n - 1) +
                    " does not fit the record or the batch");
            }
            while (mask != 0)
            {
                final int k = Integer.numberOfTrailingZeros(mask);
                dst.putByte(body + i + k, src.getByte(in++));
                mask &= mask - 1;
            }
        }
        return in;
    }

    /**
     * @return bit k set when byte k (little-endian order) of {@code value} is not zero.
     */
    static int nonZeroByteMask(final long value)
    {
        // High bit of each byte: set when the byte is not zero (no carry crosses bytes: each lane adds at most 0xFE).
        long t = (((value & LOW_SEVEN_BITS) + LOW_SEVEN_BITS) | value) & HIGH_BITS;
        // Moved to bit 8k, each byte's bit k of BYTE_GATHER (at 7j + 7, j = 7 - k) carries it to bit 56 + k; the
        // other partial products all land on other bits (8k + 7j + 7 is distinct for each k, j), so none carry.
        return (int)(((t >>> 7) * BYTE_GATHER) >>> 56);
    }

    private static long getPartialLong(final DirectBuffer buffer, final int offset, final int n)
    {
        long value = 0;
        for (int k = 0; k < n; k++)
        {
            value |= (buffer.getByte(offset + k) & 0xFFL) << (k << 3);
        }
        return value;
    }

    private static long getLongLittleEndian(final byte[] array, final long address)
    {
        final long value = UnsafeApi.getLong(array, address);
        return NATIVE_LITTLE_ENDIAN ? value : Long.reverseBytes(value);
    }

    private static int getIntLittleEndian(final byte[] array, final long address)
    {
        final int value = UnsafeApi.getInt(array, address);
        return NATIVE_LITTLE_ENDIAN ? value : Integer.reverseBytes(value);
    }

    private static long littleEndian(final long value)
    {
        return NATIVE_LITTLE_ENDIAN ? value : Long.reverseBytes(value);
    }

    private static short littleEndian(final short value)
    {
        return NATIVE_LITTLE_ENDIAN ? value : Short.reverseBytes(value);
    }

    private static long putVarint(final byte[] array, final long address, final int value)
    {
        long out = address;
        int remaining = value;
        while ((remaining & ~0x7F) != 0)
        {
            UnsafeApi.putByte(array, out++, (byte)((remaining & 0x7F) | 0x80));
            remaining >>>= 7;
        }
        UnsafeApi.putByte(array, out++, (byte)remaining);
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

    /**
     * @return the value (32 bits, read as an int by the caller) in the low 32 bits, the offset after it in the high 32.
     */
    private static long getVarint(final DirectBuffer src, final int offset, final int end, final int recordStart, final String field)
    {
        int in = offset;
        long value = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            if (in >= end)
            {
                throw invalid(recordStart, "record " + field + " runs past the batch");
            }
            final int b = src.getByte(in++) & 0xFF;
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (value > 0xFFFF_FFFFL)
                {
                    throw invalid(recordStart, "record " + field + " " + value + " is too large");
                }
                return ((long)in << 32) | value; // the int's 32 bits, unsigned: a type may be any int
            }
        }
        throw invalid(recordStart, "record " + field + " is a varint longer than 5 bytes");
    }

    private static IllegalArgumentException invalid(final int offset, final String problem)
    {
        return new IllegalArgumentException("encoded record at offset " + offset + ": " + problem);
    }
}
