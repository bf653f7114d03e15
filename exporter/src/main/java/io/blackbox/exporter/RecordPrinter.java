package io.blackbox.exporter;

import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.exporter.family.RecordOutline;
import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import org.agrona.DirectBuffer;
import uk.co.real_logic.sbe.PrimitiveType;
import uk.co.real_logic.sbe.ir.Encoding;
import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.ir.IrDecoder;
import uk.co.real_logic.sbe.ir.Token;
import uk.co.real_logic.sbe.otf.AbstractTokenListener;
import uk.co.real_logic.sbe.otf.OtfMessageDecoder;
import uk.co.real_logic.sbe.otf.Types;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code blackbox print --recording DIR}: a recording's records in recording order, one line each, as they are read
 * (nothing is held back, so the first line comes at once and a closed pipe ends it).
 * <ul>
 *     <li>Text (the default): {@code TIME FAMILY EVENT run=RUN} and every other field of the record as the schema names
 *     it, decoded with the schema IR the recording stores ({@code schema.sbeir}; SBE's on-the-fly decoder), symbols
 *     resolved, times as instants, enums and sets by name, absent optional values left out.</li>
 *     <li>JSON ({@code --json}): the line the family's export writes for the record
 *     ({@link TelemetryFamily#newLineExport}), byte for byte; for Clamp, whose file is one document, each entry of its
 *     {@code records} as the file writes it, printed at the anchor's release (or its session's end, in flight): an
 *     entry is a lock and its release, so {@code --event} does not split them. A family without a line export prints
 *     the record's fields as one JSON object.</li>
 * </ul>
 * Filters by family, run and event read only the record's {@link RecordOutline}.
 */
public final class RecordPrinter implements RecordingReader.RecordHandler
{
    /**
     * Where the lines go.
     */
    @FunctionalInterface
    public interface Output
    {
        /**
         * @param line one record's line, without its newline.
         */
        void line(CharSequence line);
    }

    /**
     * Which records are printed: null matches any.
     *
     * @param family a family's name.
     * @param run    a run id.
     * @param event  an event, as {@code summary --recording} names it.
     */
    public record Filter(String family, String run, String event)
    {
    }

    private final Filter filter;
    private final boolean json;
    private final Output output;
    private final Ir ir;
    /** The families' line exports, printing each line; null for the text form. */
    private final FamilyExports lines;
    private final RecordOutline.Outline outline = new RecordOutline.Outline();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final FieldText fields = new FieldText();
    private final StringBuilder line = new StringBuilder(512);
    private long printed;

    /**
     * @param recording the recording (its stored schema IR decodes the text form).
     * @param filter    which records.
     * @param json      the export's JSON instead of text.
     * @param output    receives each line.
     */
    public RecordPrinter(final Path recording, final Filter filter, final boolean json, final Output output)
    {
        this.filter = filter;
        this.json = json;
        this.output = output;
        this.ir = loadIr(recording);
        this.lines = json ? FamilyExports.lines(recording.resolve(".print"), family ->
            (runId, file, bytes, offset, length) ->
                output.line(new String(bytes, offset, length - 1, StandardCharsets.UTF_8))) : null;
    }

    private static Ir loadIr(final Path recording)
    {
        final Path stored = recording.resolve(RecordingDirectoryLayout.IR_FILE);
        try
        {
            final byte[] bytes;
            if (Files.isRegularFile(stored))
            {
                bytes = Files.readAllBytes(stored);
            }
            else
            {
                // A recording from before the IR was stored: this version's schema.
                try (InputStream in = RecordPrinter.class.getResourceAsStream(RecordingDirectoryLayout.IR_RESOURCE))
                {
                    bytes = in.readAllBytes();
                }
            }
            try (IrDecoder decoder = new IrDecoder(ByteBuffer.wrap(bytes)))
            {
                return decoder.decode();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(stored + ": cannot read the schema IR: " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            throw new RecordingException(stored + ": not an SBE IR file: " + ex);
        }
    }

    /**
     * @return records printed so far.
     */
    public long printed()
    {
        return printed;
    }

    @Override
    public void onRecord(final int templateId, final DirectBuffer buffer, final int offset, final int length,
        final Symbols symbols)
    {
        final TelemetryFamily family = TelemetryFamilies.byTemplateId(templateId);
        if (null == family || !family.outline().knows(templateId))
        {
            return; // a template of a newer version: summary and export count it
        }
        if (null != filter.family && !filter.family.equals(family.name()))
        {
            return;
        }
        family.outline().read(templateId, buffer, offset, length, symbols, outline);
        final boolean hasLines = null != lines && lines.handles(templateId);
        // An entry made of several records (Clamp's lock and release) needs them all, whatever event was asked for.
        final boolean everyRecord = hasLines && family.linesNeedEveryRecord();
        if ((null != filter.run && !filter.run.equals(outline.run())) ||
            (!everyRecord && null != filter.event && !filter.event.equals(outline.event())))
        {
            return;
        }
        printed++;
        if (hasLines)
        {
            lines.onRecord(templateId, buffer, offset, length, symbols); // its sink prints the line
            return;
        }
        final List<Token> tokens = ir.getMessage(templateId);
        if (null == tokens)
        {
            throw new RecordingException("template " + templateId + " is not in the recording's schema IR");
        }
        line.setLength(0);
        if (json)
        {
            line.append("{\"family\":\"").append(family.name()).append("\",\"event\":");
            Types.jsonEscape(outline.event(), line.append('"'));
            line.append("\",\"run\":\"");
            Types.jsonEscape(outline.run(), line);
            line.append('"');
        }
        else
        {
            line.append(EpochSeconds.toInstant(outline.timestampNanos())).append(' ').append(family.name()).append(' ')
                .append(outline.event()).append(" run=").append(outline.run());
        }
        header.wrap(buffer, offset);
        fields.start(line, symbols, json);
        try
        {
            OtfMessageDecoder.decode(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.version(),
                header.blockLength(), tokens, fields);
        }
        catch (final IllegalStateException | IllegalArgumentException | NegativeArraySizeException ex)
        {
            // The decoder's word for a length no record can have (found by FamilyRecordFuzzTest): damage, skipped.
            throw new RecordingException("template " + templateId + " does not decode: " + ex.getMessage());
        }
        if (json)
        {
            line.append('}');
        }
        output.line(line);
    }

    @Override
    public void onSessionStart(final RecordingReader.Session session)
    {
        if (null != lines)
        {
            lines.onSessionStart(session);
        }
    }

    @Override
    public void onSessionEnd(final RecordingReader.Session session)
    {
        if (null != lines)
        {
            lines.onSessionEnd(session);
        }
    }

    /**
     * A record's fields past its outline, as {@code name=value} (text) or {@code ,"name":value} (JSON), groups as
     * lists of their entries.
     */
    private static final class FieldText extends AbstractTokenListener
    {
        private StringBuilder out;
        private Symbols symbols;
        private boolean json;
        private int depth;
        /** Whether the entry being written has a field yet (a comma or space goes before the next). */
        private boolean entryStarted;

        void start(final StringBuilder out, final Symbols symbols, final boolean json)
        {
            this.out = out;
            this.symbols = symbols;
            this.json = json;
            this.depth = 0;
            this.entryStarted = true;
        }

        private void name(final String name)
        {
            if (json)
            {
                out.append(entryStarted ? "," : "").append('"').append(name).append("\":");
            }
            else
            {
                out.append(entryStarted ? " " : "").append(name).append('=');
            }
            entryStarted = true;
        }

        @Override
        public void onEncoding(final Token fieldToken, final DirectBuffer buffer, final int index,
            final Token typeToken, final int actingVersion)
        {
            final String name = fieldToken.name();
            if (0 == depth && ("timestamp".equals(name) || "run".equals(name)))
            {
                return; // in the outline before the fields
            }
            final Encoding encoding = typeToken.encoding();
            if (typeToken.arrayLength() != 1 || fieldToken.version() > actingVersion)
            {
                return; // no arrays in the schema; a field newer than the record is absent
            }
            final PrimitiveType type = encoding.primitiveType();
            if (PrimitiveType.FLOAT == type || PrimitiveType.DOUBLE == type)
            {
                final double value = PrimitiveType.DOUBLE == type ? buffer.getDouble(index, ByteOrder.LITTLE_ENDIAN) :
                    buffer.getFloat(index, ByteOrder.LITTLE_ENDIAN);
                name(name);
                if (json && !Double.isFinite(value))
                {
                    out.append('"').append(value).append('"');
                }
                else
                {
                    out.append(PythonFloats.toString(value));
                }
                return;
            }
            final long value = Types.getLong(buffer, index, encoding);
            if (Encoding.Presence.OPTIONAL == encoding.presence() && null != encoding.nullValue() &&
                value == encoding.nullValue().longValue())
            {
                return; // absent
            }
            if ("Symbol".equals(typeToken.name()) && io.blackbox.recorder.EmitterContext.NO_SYMBOL == value)
            {
                return; // no string: the family's null or default
            }
            name(name);
            switch (typeToken.name())
            {
                case "Symbol" -> quoted(symbols.get((int)value));
                case "EpochNanos" -> quoted(EpochSeconds.toInstant(value));
                default -> out.append(PrimitiveType.UINT64 == type ? Long.toUnsignedString(value) : Long.toString(value));
            }
        }

        @Override
        public void onEnum(final Token fieldToken, final DirectBuffer buffer, final int bufferIndex,
            final List<Token> tokens, final int fromIndex, final int toIndex, final int actingVersion)
        {
            final Token type = tokens.get(fromIndex);
            final long value = Types.getLong(buffer, bufferIndex, type.encoding());
            String named = null;
            for (int i = fromIndex + 1; i < toIndex; i++)
            {
                if (tokens.get(i).encoding().constValue().longValue() == value)
                {
                    named = tokens.get(i).name();
                }
            }
            name(fieldToken.name());
            quoted(null == named ? Long.toString(value) : named);
        }

        @Override
        public void onBitSet(final Token fieldToken, final DirectBuffer buffer, final int bufferIndex,
            final List<Token> tokens, final int fromIndex, final int toIndex, final int actingVersion)
        {
            final long bits = Types.getLong(buffer, bufferIndex, tokens.get(fromIndex).encoding());
            name(fieldToken.name());
            out.append(json ? '[' : '{');
            boolean first = true;
            for (int i = fromIndex + 1; i < toIndex; i++)
            {
                if ((bits & (1L << tokens.get(i).encoding().constValue().longValue())) != 0)
                {
                    out.append(first ? "" : ",");
                    if (json)
                    {
                        out.append('"').append(tokens.get(i).name()).append('"');
                    }
                    else
                    {
                        out.append(tokens.get(i).name());
                    }
                    first = false;
                }
            }
            out.append(json ? ']' : '}');
        }

        @Override
        public void onGroupHeader(final Token token, final int numInGroup)
        {
            if (numInGroup > 0)
            {
                name(token.name());
                out.append('[');
                entryStarted = false;
            }
        }

        @Override
        public void onBeginGroup(final Token token, final int groupIndex, final int numInGroup)
        {
            depth++;
            out.append(groupIndex > 0 ? "," : "").append('{');
            entryStarted = false;
        }

        @Override
        public void onEndGroup(final Token token, final int groupIndex, final int numInGroup)
        {
            depth--;
            out.append('}');
            if (groupIndex == numInGroup - 1)
            {
                out.append(']');
            }
            entryStarted = true;
        }

        @Override
        public void onVarData(final Token fieldToken, final DirectBuffer buffer, final int bufferIndex,
            final int length, final Token typeToken)
        {
            if (0 == length)
            {
                return; // absent
            }
            final String text = buffer.getStringWithoutLengthUtf8(bufferIndex, length);
            name(fieldToken.name());
            // Open-shaped values travel as JSON text (the schema's convention): an object or array is printed as it is.
            final char first = text.charAt(0);
            if ('{' == first || '[' == first)
            {
                out.append(text);
            }
            else
            {
                quoted(text);
            }
        }

        private void quoted(final String text)
        {
            out.append('"');
            Types.jsonEscape(text, out);
            out.append('"');
        }
    }
}
