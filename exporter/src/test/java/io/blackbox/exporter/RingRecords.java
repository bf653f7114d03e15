package io.blackbox.exporter;

import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.SessionStartEncoder;
import io.blackbox.codecs.StringDefinitionEncoder;
import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import org.agrona.BitUtil;
import org.agrona.ExpandableDirectByteBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.IntUnaryOperator;

/**
 * Ring records built byte by byte, framed as the ring frames them (length with the header, type, the SBE message, zero
 * padding to {@link RecordingBatchDescriptor#RECORD_ALIGNMENT}), for tests that write recordings a recorder would not:
 * damaged records, fuzzed ones. One builder, so the framing is written once for every module's tests (this class is
 * in the exporter's test-jar).
 */
public final class RingRecords
{
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(1 << 16);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private int length;
    private int count;

    /**
     * Append one record: {@code message} writes the SBE message into {@link #buffer()} at the offset it is given and
     * returns the message's length (it may write anything there: the record is framed as it says).
     *
     * @return this.
     */
    public RingRecords record(final int type, final IntUnaryOperator message)
    {
        final int recordOffset = length;
        final int messageLength = message.applyAsInt(RecordingBatchDescriptor.recordMessageOffset(recordOffset));
        final int recordLength = RecordingBatchDescriptor.RECORD_HEADER_LENGTH + messageLength;
        buffer.putInt(RecordingBatchDescriptor.recordLengthOffset(recordOffset), recordLength);
        buffer.putInt(RecordingBatchDescriptor.recordTypeOffset(recordOffset), type);
        length = BitUtil.align(recordOffset + recordLength, RecordingBatchDescriptor.RECORD_ALIGNMENT);
        buffer.setMemory(recordOffset + recordLength, length - recordOffset - recordLength, (byte)0);
        count++;
        return this;
    }

    /**
     * Append a record holding {@code message} as it is.
     *
     * @return this.
     */
    public RingRecords record(final int type, final byte[] message)
    {
        return record(type, offset ->
        {
            buffer.putBytes(offset, message);
            return message.length;
        });
    }

    /**
     * @return this.
     */
    public RingRecords sessionStart(final long timestamp, final long pid, final long ringId, final String host)
    {
        final byte[] hostBytes = host.getBytes(StandardCharsets.UTF_8);
        return record(SessionStartEncoder.TEMPLATE_ID, offset -> new SessionStartEncoder()
            .wrapAndApplyHeader(buffer, offset, header).timestamp(timestamp).pid(pid).ringId(ringId)
            .putHost(hostBytes, 0, hostBytes.length).limit() - offset);
    }

    /**
     * A session start of a recorder in a distributed job (schema version 2's fields).
     *
     * @return this.
     */
    public RingRecords sessionStart(final long timestamp, final String host, final int rank, final int worldSize,
        final int localRank)
    {
        final byte[] hostBytes = host.getBytes(StandardCharsets.UTF_8);
        return record(SessionStartEncoder.TEMPLATE_ID, offset -> new SessionStartEncoder()
            .wrapAndApplyHeader(buffer, offset, header).timestamp(timestamp).pid(1).ringId(7)
            .rank(rank).worldSize(worldSize).localRank(localRank)
            .putHost(hostBytes, 0, hostBytes.length).limit() - offset);
    }

    /**
     * A session start as schema version 1 wrote it, before the rank fields: its block is timestamp, pid and ring id.
     *
     * @return this.
     */
    public RingRecords sessionStartVersion1(final long timestamp, final long pid, final long ringId, final String host)
    {
        final byte[] hostBytes = host.getBytes(StandardCharsets.UTF_8);
        return record(SessionStartEncoder.TEMPLATE_ID, offset ->
        {
            header.wrap(buffer, offset).blockLength(24).templateId(SessionStartEncoder.TEMPLATE_ID)
                .schemaId(SessionStartEncoder.SCHEMA_ID).version(1);
            final int block = offset + MessageHeaderEncoder.ENCODED_LENGTH;
            buffer.putLong(block, timestamp, ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(block + 8, pid, ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(block + 16, ringId, ByteOrder.LITTLE_ENDIAN);
            buffer.putInt(block + 24, hostBytes.length, ByteOrder.LITTLE_ENDIAN);
            buffer.putBytes(block + 28, hostBytes);
            return MessageHeaderEncoder.ENCODED_LENGTH + 28 + hostBytes.length;
        });
    }

    /**
     * @return this.
     */
    public RingRecords define(final int symbol, final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return record(StringDefinitionEncoder.TEMPLATE_ID, offset -> new StringDefinitionEncoder()
            .wrapAndApplyHeader(buffer, offset, header).symbol(symbol).putValue(bytes, 0, bytes.length).limit() - offset);
    }

    /**
     * @return the buffer the records are in, from offset 0; a message writer may patch it.
     */
    public ExpandableDirectByteBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the message header encoder the records are written with, for a message writer to wrap.
     */
    public MessageHeaderEncoder header()
    {
        return header;
    }

    /**
     * @return bytes of records, padding included.
     */
    public int length()
    {
        return length;
    }

    public int count()
    {
        return count;
    }

    public byte[] toByteArray()
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }
}
