package io.blackbox.exporter.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.RecordCheck;
import io.blackbox.exporter.family.FamilyValidation;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code blackbox validate ppo FILE... --baseline FILE [--relative] [--drift-threshold D]}: how far each record's
 * {@code baseline_*} keys drift from a baseline, as townlet's {@code validate_ppo_telemetry.py} reports it.
 * <p>
 * The baseline is a JSON object; its {@code baseline_*} keys (finite numbers) are compared, in the order the baseline
 * file gives them, so the report's columns are stable. For each record of a valid file: its epoch, then per key
 * {@code record - baseline} ({@code %+.6f}), and with {@code --relative} {@code 100 * delta / |baseline|}
 * ({@code %+.2f%}; {@code n/a} where the baseline is 0). A record without a key shows {@code -} (not a zero: nothing was
 * measured). A key the baseline lacks is skipped. Then the worst absolute drift per key. With {@code --drift-threshold}
 * the file fails (exit 1) when any |delta| exceeds it, naming the keys.
 */
public final class PpoDrift implements FamilyValidation
{
    @Option(names = "--baseline", paramLabel = "FILE",
        description = "A JSON object of baseline_* keys (finite numbers): print each record's drift from them.")
    Path baselineFile;

    @Option(names = "--relative", description = "With --baseline, also the drift in percent of the baseline's " +
        "magnitude (n/a where the baseline is 0).")
    boolean relative;

    @Option(names = "--drift-threshold", paramLabel = "D", description = "With --baseline, fail a file (exit 1) " +
        "when a key's absolute drift exceeds D (default: report only).")
    Double threshold;

    private Map<String, Double> baseline;

    public void checkOptions()
    {
        if (null == baselineFile)
        {
            if (relative || null != threshold)
            {
                throw new IllegalArgumentException("--relative and --drift-threshold need --baseline FILE");
            }
            return;
        }
        if (null != threshold && !(threshold >= 0.0 && Double.isFinite(threshold)))
        {
            throw new IllegalArgumentException("--drift-threshold must be a finite number, at least 0: " + threshold);
        }
        baseline = load(baselineFile);
    }

    /**
     * @return the baseline's {@code baseline_*} keys in the file's order.
     * @throws IllegalArgumentException naming the file and the key at fault.
     */
    static Map<String, Double> load(final Path file)
    {
        final JsonNode root;
        try
        {
            root = JsonLinesReader.MAPPER.readTree(Files.readString(file));
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("--baseline " + file + ": cannot be read as JSON (" +
                String.valueOf(ex.getMessage()).lines().findFirst().orElse("") + ")");
        }
        if (null == root || !root.isObject())
        {
            throw new IllegalArgumentException("--baseline " + file + ": must be a JSON object");
        }
        final Map<String, Double> keys = new LinkedHashMap<>();
        for (final Map.Entry<String, JsonNode> member : root.properties())
        {
            if (!member.getKey().startsWith(PpoWire.BASELINE_PREFIX))
            {
                continue;
            }
            final JsonNode value = member.getValue();
            if (!value.isNumber() || !Double.isFinite(value.doubleValue()))
            {
                throw new IllegalArgumentException("--baseline " + file + ": " + member.getKey() +
                    ": must be a finite number, found " + RecordCheck.quote(value));
            }
            keys.put(member.getKey(), value.doubleValue());
        }
        if (keys.isEmpty())
        {
            throw new IllegalArgumentException("--baseline " + file + ": has no " + PpoWire.BASELINE_PREFIX + "* key");
        }
        return keys;
    }

    public boolean report(final Path file, final PrintWriter out)
    {
        if (null == baseline)
        {
            return true;
        }
        final List<String> keys = new ArrayList<>(baseline.keySet());
        final double[] worst = new double[keys.size()];
        final Map<String, Double> exceeded = new LinkedHashMap<>();
        final StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %12s", PpoWire.EPOCH));
        for (final String key : keys)
        {
            header.append(String.format(Locale.ROOT, " | %24s", key));
        }
        if (relative)
        {
            for (final String key : keys)
            {
                header.append(String.format(Locale.ROOT, " | %24s", key + "%"));
            }
        }
        out.println(file + ": drift from " + baselineFile + " (record - baseline" +
            (relative ? "; %: 100 * delta / |baseline|" : "") + ")");
        out.println(header);

        JsonLinesReader.read(file, (line, record) ->
        {
            final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %12s",
                epoch(record.get(PpoWire.EPOCH))));
            final double[] deltas = new double[keys.size()];
            for (int k = 0; k < keys.size(); k++)
            {
                final JsonNode value = record.get(keys.get(k));
                if (null == value || !value.isNumber())
                {
                    deltas[k] = Double.NaN;
                    row.append(String.format(Locale.ROOT, " | %24s", "-"));
                    continue;
                }
                final double delta = value.doubleValue() - baseline.get(keys.get(k));
                deltas[k] = delta;
                row.append(String.format(Locale.ROOT, " | %+24.6f", delta));
                if (Math.abs(delta) > Math.abs(worst[k]))
                {
                    worst[k] = delta;
                }
                if (null != threshold && Math.abs(delta) > threshold)
                {
                    exceeded.merge(keys.get(k), delta, (a, b) -> Math.abs(a) >= Math.abs(b) ? a : b);
                }
            }
            if (relative)
            {
                for (int k = 0; k < keys.size(); k++)
                {
                    final double base = baseline.get(keys.get(k));
                    final String cell = Double.isNaN(deltas[k]) ? "-" : base == 0.0 ? "n/a" :
                        String.format(Locale.ROOT, "%+.2f%%", 100.0 * deltas[k] / Math.abs(base));
                    row.append(String.format(Locale.ROOT, " | %24s", cell));
                }
            }
            out.println(row);
        }, problem ->
        {
            // The file validated before the report: a problem now means it changed under us.
            out.println(problem);
        });
        out.println("  worst absolute drift:");
        for (int k = 0; k < keys.size(); k++)
        {
            out.println(String.format(Locale.ROOT, "    %s: %+.6f", keys.get(k), worst[k]));
        }
        if (!exceeded.isEmpty())
        {
            final StringBuilder pairs = new StringBuilder();
            exceeded.forEach((key, delta) -> pairs.append(pairs.length() == 0 ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s=%+.6f", key, delta)));
            out.println(file + ": drift beyond --drift-threshold " + threshold + ": " + pairs);
            return false;
        }
        return true;
    }

    /**
     * @return an epoch as the whole number it is ({@code 12}), or as written when it is not one.
     */
    private static String epoch(final JsonNode epoch)
    {
        if (null == epoch || !epoch.isNumber())
        {
            return "-";
        }
        final double value = epoch.doubleValue();
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long)value) : epoch.toString();
    }
}
