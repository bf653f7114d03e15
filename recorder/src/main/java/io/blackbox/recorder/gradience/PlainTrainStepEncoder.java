package io.blackbox.recorder.gradience;

import io.blackbox.codecs.GradienceTrainStepEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;
import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;

import java.nio.ByteOrder;

/**
 * The commonest record, a {@code train_step} of one run with a step, a loss and one learning rate, written as a copy
 * of a template plus four stores: byte for byte what {@link GradienceTrainStepEncoder} writes for it (the schema
 * stays the one place its layout is declared; the template is made by that encoder, the offsets are its own).
 * <p>
 * Why: with the ring's own cost gone (lanes of one producer), the generated encoder's work for this record
 * (wrapping three empty groups and a var-data field, each put bounds-checked) was most of an emit: a JFR profile of
 * {@code EmitLatency.blackboxTrainStep} put 3 of every 4 of the emitting thread's samples in the encoder.
 */
final class PlainTrainStepEncoder
{
    /** Length of the SBE message. */
    static final int LENGTH = GradienceEmitter.trainStepMessageLength(0, 0, 0);
    /** Bytes the template covers: the message and the zeros that align its ring record. */
    private static final int WORDS =
        (BitUtil.align(RecordDescriptor.HEADER_LENGTH + LENGTH, RecordDescriptor.ALIGNMENT) - RecordDescriptor.HEADER_LENGTH) /
        Long.BYTES;
    private static final int BLOCK = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int TIMESTAMP = BLOCK + GradienceTrainStepEncoder.timestampEncodingOffset();
    private static final int STEP = BLOCK + GradienceTrainStepEncoder.stepEncodingOffset();
    private static final int LOSS = BLOCK + GradienceTrainStepEncoder.lossEncodingOffset();
    private static final int LR = BLOCK + GradienceTrainStepEncoder.lrEncodingOffset();
    private static final ByteOrder ORDER = GradienceTrainStepEncoder.BYTE_ORDER;
    private static final boolean NATIVE_IS_SBE_ORDER = ByteOrder.nativeOrder() == ORDER;

    private final long[] template = new long[WORDS];

    /**
     * @param run symbol of the run id, constant for an emitter.
     */
    PlainTrainStepEncoder(final int run)
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[WORDS * Long.BYTES]);
        encodeWithSbe(scratch, 0, run, 0, 0, 0, 0);
        for (int i = 0; i < WORDS; i++)
        {
            template[i] = scratch.getLong(i * Long.BYTES, ORDER);
        }
    }

    /**
     * Write the message at {@code index}; the caller owns {@code [index, index + LENGTH)} and the alignment after it.
     */
    void encode(final MutableDirectBuffer buffer, final int index, final long timestamp, final long step,
        final double loss, final double lr)
    {
        // One bounds check for the record, then stores that check nothing: nine checked puts cost a quarter of
        // an emit (the same profile).
        buffer.boundsCheck(index, WORDS * Long.BYTES);
        final byte[] array = buffer.byteArray();
        final long address = buffer.addressOffset() + index;
        final long[] template = this.template;
        for (int i = 0; i < WORDS; i++)
        {
            UnsafeApi.putLong(array, address + i * Long.BYTES, ordered(template[i]));
        }
        UnsafeApi.putLong(array, address + TIMESTAMP, ordered(timestamp));
        UnsafeApi.putLong(array, address + STEP, ordered(step));
        UnsafeApi.putLong(array, address + LOSS, ordered(Double.doubleToRawLongBits(loss)));
        UnsafeApi.putLong(array, address + LR, ordered(Double.doubleToRawLongBits(lr)));
    }

    private static long ordered(final long value)
    {
        return NATIVE_IS_SBE_ORDER ? value : Long.reverseBytes(value);
    }

    /**
     * The same record through the generated encoder: the reference (tests compare the two).
     */
    static void encodeWithSbe(final MutableDirectBuffer buffer, final int index, final int run, final long timestamp,
        final long step, final double loss, final double lr)
    {
        final GradienceTrainStepEncoder encoder = new GradienceTrainStepEncoder()
            .wrapAndApplyHeader(buffer, index, new MessageHeaderEncoder())
            .timestamp(timestamp)
            .run(run)
            .step(step)
            .loss(loss)
            .lr(lr);
        encoder.fields().clear().loss(true).lr(true).lrPerGroup(false);
        encoder.lrGroupsCount(0);
        encoder.doubleMetricsCount(0);
        encoder.longMetricsCount(0);
        encoder.putExtras(new byte[0], 0, 0);
    }
}
