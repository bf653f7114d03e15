package io.blackbox.codecs.layout;

import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;

import java.nio.ByteOrder;

/**
 * Layout of one Chronicle Queue excerpt of a recording: a batch of ring records copied by the drainer.
 * <p>
 * Batching is what lets the queue keep up with the ring: the queue's per-excerpt cost (header, index)
 * is paid once per batch, not once per record.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Batch Version                          |  0
 *  +---------------------------------------------------------------+
 *  |                Records Length (ring bytes)                    |  4
 *  +---------------------------------------------------------------+
 *  |                        Ring Id (int64)                        |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          Ring Position of the first record (int64)            | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |               CRC-32C of the records as stored                | 24
 *  +---------------------------------------------------------------+
 *  |                        Record Count                           | 28
 *  +---------------------------------------------------------------+
 *  |         Records, to the end of the excerpt                   ...  32
 *  +---------------------------------------------------------------+
 * </pre>
 * The records are one contiguous range of ring positions [position, position + Records Length). In a version 1
 * batch they are the ring's own bytes (Records Length of them); in a version 2, 3 or 4 batch they are coded by
 * {@link BatchDeltaCodec}, padding left out, and decode to at most Records Length bytes; in a version 5 batch they
 * are a version 4 coding compressed as one zstd frame (RFC 8878) that declares its content size, which is at most
 * {@link BatchDeltaCodec#maxEncodedLength} of Records Length. The CRC covers the bytes as stored (for version 5, the
 * frame), so a reader checks it before it decompresses anything. Either way each record, as
 * the ring holds it and as a reader frames it, is an Agrona ring record:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |R|                 Length (header included)                    |
 *  +-+-------------------------------------------------------------+
 *  |                    Type (the SBE template id;                 |
 *  |                    -1 = padding, skipped)                     |
 *  +---------------------------------------------------------------+
 *  |   SBE message: header, fixed block, groups, var data         ...
 *  +---------------------------------------------------------------+
 *  |   zero padding to the next multiple of 8                     ...
 *  +---------------------------------------------------------------+
 * </pre>
 * All integers little-endian. A reader of a damaged queue checks the CRC before decoding a batch. Recovery after a
 * crash reads only the header: Ring Id, Ring Position and Records Length say which ring positions the queue holds.
 */
public final class RecordingBatchDescriptor
{
    /** Records as the ring holds them. */
    public static final int BATCH_VERSION = 1;
    /** Records coded by {@link BatchDeltaCodec} with a mask byte per body word (still read, no longer written). */
    public static final int BATCH_VERSION_DELTA = 2;
    /** Records coded by {@link BatchDeltaCodec} with a map of the words that differ (still read, no longer written). */
    public static final int BATCH_VERSION_WORD_DELTA = 3;
    /** Version 3 and records the two before them predict, stored as a tag alone: what the drainer writes. */
    public static final int BATCH_VERSION_PREDICTED = 4;
    /** A version 4 coding compressed as one zstd frame: what the drainer writes when that saves an eighth or more. */
    public static final int BATCH_VERSION_COMPRESSED = 5;

    public static final int BATCH_VERSION_OFFSET = 0;
    public static final int RECORDS_LENGTH_OFFSET = 4;
    public static final int RING_ID_OFFSET = 8;
    public static final int RING_POSITION_OFFSET = 16;
    public static final int CRC_OFFSET = 24;
    public static final int RECORD_COUNT_OFFSET = 28;
    public static final int HEADER_LENGTH = 32;

    /** Record header: length then type, as in {@link RecordDescriptor}. */
    public static final int RECORD_HEADER_LENGTH = RecordDescriptor.HEADER_LENGTH;
    public static final int RECORD_ALIGNMENT = RecordDescriptor.ALIGNMENT;
    /** Type of a record that carries nothing (ring wrap padding, or a record torn by a crash). */
    public static final int PADDING_TYPE = -1;

    private RecordingBatchDescriptor()
    {
    }

    /**
     * @return whether batches of {@code version} hold {@link BatchDeltaCodec} codings rather than the ring's bytes
     * (compressed or not).
     */
    public static boolean isDeltaCoded(final int version)
    {
        return version == BATCH_VERSION_DELTA || version == BATCH_VERSION_WORD_DELTA ||
            version == BATCH_VERSION_PREDICTED || version == BATCH_VERSION_COMPRESSED;
    }

    /**
     * @return whether batches of {@code version} hold a zstd frame, to decompress before decoding.
     */
    public static boolean isCompressed(final int version)
    {
        return version == BATCH_VERSION_COMPRESSED;
    }

    /**
     * Frame a ring record: what the ring, the drainer, the coder and the ring's readers each check of a header's
     * length before they trust it.
     *
     * @param length the length its header says (header included).
     * @param room   bytes from the record's start to the end of what holds it (a lane's data, a batch, a tail).
     * @return the record's length aligned to {@link #RECORD_ALIGNMENT}, or -1 when no record can have that length
     * there: shorter than its header, or running past {@code room} (a length near 2^31 aligns to a negative number).
     */
    public static int alignedRecordLength(final int length, final long room)
    {
        final int aligned = BitUtil.align(length, RECORD_ALIGNMENT);
        return length < RECORD_HEADER_LENGTH || aligned < 0 || aligned > room ? -1 : aligned;
    }

    /**
     * Write a batch header: the one place its fields are put, in the layout above.
     *
     * @param buffer        where the header goes.
     * @param offset        of the header in {@code buffer}.
     * @param version       {@link #BATCH_VERSION} or a delta-coded version.
     * @param recordsLength ring bytes the records take (decoded, padding included).
     * @param ringId        the lane's ring id.
     * @param ringPosition  ring position of the first record.
     * @param crc           CRC-32C of the records as stored.
     * @param recordCount   records, padding not counted.
     */
    public static void putHeader(final MutableDirectBuffer buffer, final int offset, final int version,
        final int recordsLength, final long ringId, final long ringPosition, final int crc, final int recordCount)
    {
        buffer.putInt(offset + BATCH_VERSION_OFFSET, version, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(offset + RECORDS_LENGTH_OFFSET, recordsLength, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + RING_ID_OFFSET, ringId, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + RING_POSITION_OFFSET, ringPosition, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(offset + CRC_OFFSET, crc, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(offset + RECORD_COUNT_OFFSET, recordCount, ByteOrder.LITTLE_ENDIAN);
    }

    public static int recordLengthOffset(final int recordOffset)
    {
        return recordOffset;
    }

    public static int recordTypeOffset(final int recordOffset)
    {
        return recordOffset + 4;
    }

    public static int recordMessageOffset(final int recordOffset)
    {
        return recordOffset + RECORD_HEADER_LENGTH;
    }
}
