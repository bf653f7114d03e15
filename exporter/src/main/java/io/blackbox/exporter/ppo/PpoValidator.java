package io.blackbox.exporter.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.exporter.FamilyValidator;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordCheck;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Interim: the keys each version requires and that they are numbers. The full validator (schema, ranges, offsets,
 * drift) replaces this class in the same landing.
 */
public final class PpoValidator implements FamilyValidator
{
    public List<Problem> validate(final Path file)
    {
        final String name = file.toString();
        final List<Problem> problems = new ArrayList<>();
        JsonLinesReader.read(file, (line, record) ->
        {
            final RecordCheck check = new RecordCheck(name, line, problems);
            final JsonNode version = record.get(PpoWire.TELEMETRY_VERSION);
            final boolean v11 = null != version && version.isNumber() && version.doubleValue() == PpoWire.VERSION_1_1;
            final List<String> required = new ArrayList<>(PpoWire.KEYS_1_0);
            if (v11)
            {
                required.addAll(PpoWire.KEYS_1_1);
            }
            for (final String key : required)
            {
                final JsonNode value = record.get(key);
                if (null == value)
                {
                    check.problem(key, "missing");
                }
                else if (!key.equals(PpoWire.DATA_MODE) && !value.isNumber())
                {
                    check.problem(key, "must be a number, found " + RecordCheck.quote(value));
                }
            }
        }, problems::add);
        return problems;
    }
}
