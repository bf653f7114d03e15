package io.blackbox.tests.gradience;

import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.exporter.RecordingReader;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.co.real_logic.sbe.PrimitiveType;
import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.ir.IrDecoder;
import uk.co.real_logic.sbe.ir.Token;
import uk.co.real_logic.sbe.otf.AbstractTokenListener;
import uk.co.real_logic.sbe.otf.OtfHeaderDecoder;
import uk.co.real_logic.sbe.otf.OtfMessageDecoder;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A recording describes itself: the schema IR the recorder stores in it ({@code schema.sbeir}) decodes every record
 * with SBE's on-the-fly decoder, with none of Blackbox's generated classes. Blackbox's own reader does not need it.
 */
class GradienceRecordingIrTest
{
    @TempDir
    Path temp;

    @Test
    void shouldDecodeEveryRecordWithTheIrStoredInTheRecording()
    {
        final Path recording = temp.resolve("recording");
        GradienceGoldenExportTest.recordScenario(recording);

        final Ir ir;
        try (IrDecoder irDecoder = new IrDecoder(recording.resolve(RecordingDirectoryLayout.IR_FILE).toString()))
        {
            ir = irDecoder.decode();
        }
        final OtfHeaderDecoder header = new OtfHeaderDecoder(ir.headerStructure());
        final Steps steps = new Steps();
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            reader.readAll((templateId, buffer, offset, length, symbols) ->
            {
                final int end = OtfMessageDecoder.decode(buffer, offset + header.encodedLength(),
                    header.getSchemaVersion(buffer, offset), header.getBlockLength(buffer, offset),
                    ir.getMessage(templateId), steps);
                assertEquals(offset + length, end, "the IR decodes the whole record");
            });
            assertEquals(List.of(), reader.damage());
        }

        final long none = Long.MIN_VALUE;
        assertEquals(List.of("GradienceRunStart " + none,
            "GradienceTrainStep 1", "GradienceTrainStep 2", "GradienceTrainStep 3", "GradienceTrainStep 4",
            "GradienceTrainStep " + none,
            "GradienceEval 10", "GradienceEval 10", "GradienceEval 10", "GradienceMetrics 10",
            "GradienceAlert 10", "GradienceAlert " + none, "GradienceRecommendation 10",
            "GradienceRunEnd " + none, "GradienceRunEnd 11"), steps.messages);
    }

    /**
     * Each message's name and step, as the on-the-fly decoder reads them.
     */
    private static final class Steps extends AbstractTokenListener
    {
        final List<String> messages = new ArrayList<>();
        private String message;

        @Override
        public void onBeginMessage(final Token token)
        {
            message = token.name();
        }

        @Override
        public void onEncoding(final Token fieldToken, final DirectBuffer buffer, final int index, final Token typeToken,
            final int actingVersion)
        {
            if ("step".equals(fieldToken.name()) && typeToken.encoding().primitiveType() == PrimitiveType.INT64)
            {
                messages.add(message + " " + buffer.getLong(index, ByteOrder.LITTLE_ENDIAN));
            }
        }
    }
}
