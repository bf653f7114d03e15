package io.blackbox.exporter.ppo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.codecs.PpoDataMode;
import io.blackbox.codecs.PpoEpochDecoder;
import io.blackbox.codecs.PpoTelemetryVersion;
import io.blackbox.exporter.JsonMembers;
import io.blackbox.exporter.LineKeys;
import io.blackbox.exporter.PythonFloats;
import io.blackbox.exporter.RecordDecoding;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.RunJsonLines;
import io.blackbox.exporter.RunLinesExport;
import io.blackbox.exporter.Symbols;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes PPO epoch records as the NDJSON stream of {@code specs/ppo-telemetry-v1.1.md}: {@code ROOT/ppo/<run>.jsonl},
 * one epoch a line, laid out as townlet's harness writes it (Python's {@code json.dumps}: {@code ", "} and
 * {@code ": "}, floats as Python writes them, {@link PythonFloats}), so the original's tools read it and an imported
 * original exports to itself byte for byte.
 * <p>
 * Keys, in the harness's order: the fifteen 1.0 keys; the four health keys when the record has them; on a 1.1 record
 * the ten 1.1 keys; then the record's extra keys (floats, then integers, then the other JSON values). Every number is
 * a float, counts included ({@code "epoch": 1.0}), and {@code telemetry_version} is the number {@code 1.0} or
 * {@code 1.1}.
 * <p>
 * {@code log_stream_offset}: a record carries its number among its run's records of its session (from 1), or an explicit
 * offset (imported). The offset written is the run's last offset before the session plus that number, so it is global
 * to the run: a process that reopens the recording and records more of the run goes on from where the last one
 * stopped. The session's base is taken at the run's first numbered record of each session. A record lost to damage
 * leaves a gap; the records after it keep their offsets. A session whose start record was lost to damage reads as part
 * of the previous one, so its numbers repeat that session's (the validator reports offsets that do not increase).
 * Records of one run emitted through two emitters at once keep their numbers but reach the file in the drainer's lane
 * order, not necessarily the emit order. 1.0 records are numbered too, without writing the key.
 */
public final class PpoExport extends RunLinesExport
{
    public static final int FIRST_TEMPLATE_ID = 70;
    public static final int LAST_TEMPLATE_ID = 89;

    private static final SerializedString[] KEYS_1_0 = serialized(PpoWire.KEYS_1_0);
    private static final SerializedString[] HEALTH_KEYS = serialized(PpoWire.HEALTH_KEYS);
    private static final SerializedString[] KEYS_1_1 = serialized(PpoWire.KEYS_1_1);
    private static final SerializedString[] DATA_MODES = serialized(PpoWire.DATA_MODES);

    private final JsonMembers json = new JsonMembers();
    private final LineKeys lineKeys;
    private final char[] number = new char[PythonFloats.MAX_LENGTH];
    /** Each source's runs' numbering ({@link #beginSource}): two ranks' runs of one id are numbered apart. */
    private final List<Map<String, RunOffsets>> offsetsBySource = new ArrayList<>(List.of(new HashMap<>()));
    private Map<String, RunOffsets> offsetsByRun = offsetsBySource.get(0);
    /** Counts the sessions begun: a run whose numbers were based in an earlier one is based again. */
    private long session;

    @Override
    public void beginSource(final int source, final String label)
    {
        super.beginSource(source, label);
        while (offsetsBySource.size() <= source)
        {
            offsetsBySource.add(new HashMap<>());
        }
        offsetsByRun = offsetsBySource.get(source);
    }

    /** Where a run's numbering stands. */
    private static final class RunOffsets
    {
        long lastOffset;
        long base;
        long baseSession = -1;
    }

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PpoEpochDecoder decoder = new PpoEpochDecoder();

    /**
     * @param root the export root; files go to {@code root/ppo/}.
     * @param live whether files are written in place, growing by whole lines.
     */
    public PpoExport(final Path root, final boolean live)
    {
        this(new RunJsonLines(root.resolve(PpoWire.FAMILY), live));
    }

    /**
     * @param lines where the runs' lines go.
     */
    PpoExport(final RunJsonLines lines)
    {
        super(lines);
        final List<String> reserved = new ArrayList<>(PpoWire.KEYS_1_0);
        reserved.addAll(PpoWire.HEALTH_KEYS);
        reserved.addAll(PpoWire.KEYS_1_1);
        // Every key the spec names is the record's own: an extra key by one of these names is refused, whether or
        // not this record writes the spec's key (a 1.0 record with an extra "cycle_id" would read as a 1.1 key).
        this.lineKeys = new LineKeys(reserved.toArray(new String[0]));
    }

    public void onSessionStart(final RecordingReader.Session started)
    {
        session++;
    }

    public void onRecord(final int templateId, final DirectBuffer buffer, final int offset, final int length,
        final Symbols symbols)
    {
        header.wrap(buffer, offset);
        final int end = offset + length;
        try
        {
            if (templateId != PpoEpochDecoder.TEMPLATE_ID)
            {
                throw new RecordingException("unknown ppo template " + templateId);
            }
            writeEpoch(buffer, offset, end, symbols);
        }
        catch (final IndexOutOfBoundsException ex)
        {
            lines.discardLine();
            throw new RecordingException("template " + templateId + " runs past its record (" + length + " bytes; " +
                ex.getMessage() + ")");
        }
        catch (final IOException ex)
        {
            lines.discardLine();
            throw new UncheckedIOException(ex);
        }
        catch (final RuntimeException ex)
        {
            lines.discardLine();
            throw ex;
        }
    }

    private void writeEpoch(final DirectBuffer buffer, final int offset, final int end, final Symbols symbols)
        throws IOException
    {
        RecordDecoding.requireBlock(header, "epoch", PpoEpochDecoder.BLOCK_LENGTH, offset, end);
        final PpoEpochDecoder d = decoder.wrapAndApplyHeader(buffer, offset, header);
        final String runId = RecordDecoding.symbol(symbols, d.run(), "run");
        final short versionCode = d.versionRaw();
        if (versionCode != PpoTelemetryVersion.V1_0.value() && versionCode != PpoTelemetryVersion.V1_1.value())
        {
            throw new RecordingException("version: unknown value " + versionCode);
        }
        final boolean v11 = versionCode == PpoTelemetryVersion.V1_1.value();
        final short dataModeCode = d.dataModeRaw();
        if (v11 && (dataModeCode < PpoDataMode.REPLAY.value() || dataModeCode > PpoDataMode.MIXED.value()))
        {
            throw new RecordingException("dataMode: unknown value " + dataModeCode);
        }

        final RunOffsets offsets = offsetsByRun.computeIfAbsent(runId, run -> new RunOffsets());
        final boolean explicitOffset = d.fields().explicitOffset();
        final long number = d.logStreamOffset();
        final boolean rebase = !explicitOffset && offsets.baseSession != session;
        final long base = rebase ? offsets.lastOffset : offsets.base;
        final long streamOffset = explicitOffset ? number : base + number;

        final JsonGenerator g = lines.beginLine(runId);
        g.setPrettyPrinter(PythonJsonLayout.INSTANCE);
        lineKeys.reset();
        g.writeStartObject();
        writeFloat(g, KEYS_1_0[0], d.epoch());
        writeFloat(g, KEYS_1_0[1], d.updates());
        writeFloat(g, KEYS_1_0[2], d.transitions());
        writeFloat(g, KEYS_1_0[3], d.lossPolicy());
        writeFloat(g, KEYS_1_0[4], d.lossValue());
        writeFloat(g, KEYS_1_0[5], d.lossEntropy());
        writeFloat(g, KEYS_1_0[6], d.lossTotal());
        writeFloat(g, KEYS_1_0[7], d.clipFraction());
        writeFloat(g, KEYS_1_0[8], d.advMean());
        writeFloat(g, KEYS_1_0[9], d.advStd());
        writeFloat(g, KEYS_1_0[10], d.gradNorm());
        writeFloat(g, KEYS_1_0[11], d.klDivergence());
        writeFloat(g, KEYS_1_0[12], v11 ? PpoWire.VERSION_1_1 : PpoWire.VERSION_1_0);
        writeFloat(g, KEYS_1_0[13], d.lr());
        writeFloat(g, KEYS_1_0[14], d.steps());
        if (d.fields().health())
        {
            writeFloat(g, HEALTH_KEYS[0], d.advZeroStdBatches());
            writeFloat(g, HEALTH_KEYS[1], d.advMinStd());
            writeFloat(g, HEALTH_KEYS[2], d.clipTriggeredMinibatches());
            writeFloat(g, HEALTH_KEYS[3], d.clipFractionMax());
        }
        if (v11)
        {
            writeFloat(g, KEYS_1_1[0], d.epochDurationSec());
            g.writeFieldName(KEYS_1_1[1]);
            g.writeString(DATA_MODES[dataModeCode]);
            writeFloat(g, KEYS_1_1[2], d.cycleId());
            writeFloat(g, KEYS_1_1[3], d.batchEntropyMean());
            writeFloat(g, KEYS_1_1[4], d.batchEntropyStd());
            writeFloat(g, KEYS_1_1[5], d.gradNormMax());
            writeFloat(g, KEYS_1_1[6], d.klDivergenceMax());
            writeFloat(g, KEYS_1_1[7], d.rewardAdvantageCorr());
            writeFloat(g, KEYS_1_1[8], d.rolloutTicks());
            writeFloat(g, KEYS_1_1[9], streamOffset);
        }

        final PpoEpochDecoder.DoubleMetricsDecoder doubles = d.doubleMetrics();
        RecordDecoding.requireGroup("doubleMetrics", doubles.count(), doubles.actingBlockLength(),
            PpoEpochDecoder.DoubleMetricsDecoder.sbeBlockLength(), d.limit(), end);
        while (doubles.hasNext())
        {
            doubles.next();
            g.writeFieldName(key(symbols, doubles.key(), "doubleMetrics key"));
            writeFloatValue(g, doubles.value());
        }
        final PpoEpochDecoder.LongMetricsDecoder longs = d.longMetrics();
        RecordDecoding.requireGroup("longMetrics", longs.count(), longs.actingBlockLength(),
            PpoEpochDecoder.LongMetricsDecoder.sbeBlockLength(), d.limit(), end);
        while (longs.hasNext())
        {
            longs.next();
            g.writeNumberField(key(symbols, longs.key(), "longMetrics key"), longs.value());
        }
        final int extrasOffset = d.limit() + PpoEpochDecoder.extrasHeaderLength();
        final int extrasLength = RecordDecoding.checkLength("extras", d.extrasLength(), extrasOffset, end);
        json.copyMembers(g, "extras", buffer, extrasOffset, extrasLength, lineKeys);
        d.skipExtras();
        g.writeEndObject();
        lines.endLine();
        // Numbered once the line is whole: a record that does not decode moves nothing.
        offsets.lastOffset = streamOffset;
        if (!explicitOffset)
        {
            offsets.base = base;
            offsets.baseSession = session;
        }
    }

    private void writeFloat(final JsonGenerator g, final SerializedString key, final double value) throws IOException
    {
        g.writeFieldName(key);
        writeFloatValue(g, value);
    }

    private void writeFloatValue(final JsonGenerator g, final double value) throws IOException
    {
        g.writeNumber(number, 0, PythonFloats.format(value, number));
    }

    private String key(final Symbols symbols, final int symbol, final String field)
    {
        final String key = RecordDecoding.symbol(symbols, symbol, field);
        lineKeys.add(key);
        return key;
    }

    private static SerializedString[] serialized(final List<String> names)
    {
        final SerializedString[] keys = new SerializedString[names.size()];
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = new SerializedString(names.get(i));
        }
        return keys;
    }
}
