package io.blackbox.exporter.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.FamilyValidator;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.recorder.agent.AgentEmitter;
import io.blackbox.recorder.agent.AgentRedaction;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code blackbox validate agent}: the envelope of every line and the payload of each core event, {@code FILE:LINE:
 * field: problem}. Envelope: {@code schema_version} {@code "0.1"}, {@code timestamp} ISO-8601 UTC with milliseconds
 * and {@code Z}, a non-empty {@code source} and {@code run_id}, an integer {@code cycle} of at least 1, an
 * {@code event} named {@code module.action}, {@code payload} an object, {@code tags} an object of strings. Each core
 * event's payload holds the keys its emitter writes, with their types ({@code review.decision}'s verdict one of
 * {@code accept}, {@code revise}, {@code abort}); keys beyond them pass, and so does any other well-formed namespaced
 * event ("backwards-compatible additions must not break existing parsers"). {@code redacted_fields}, when present, is
 * a list of the paths whose values were replaced, and each of those values must be redacted: {@code "REDACTED"}, a
 * keyed hash ({@code hmac-sha256:} and 32 hex digits), or an argument {@code --key=} either of them.
 */
public final class AgentValidator implements FamilyValidator
{
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    private static final Pattern REDACTED_VALUE = Pattern.compile("(?:.*=)?(?:" + AgentRedaction.REDACTED + "|" +
        Pattern.quote(AgentRedaction.HASH_PREFIX) + "[0-9a-f]{32})");
    private static final Pattern PATH_PART = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    private enum Kind
    {
        INTEGER, NUMBER, STRING, BOOLEAN, STRINGS
    }

    private static final Map<String, Map<String, Kind>> CORE = Map.of(
        "plan.generated", Map.of("steps", Kind.INTEGER, "confidence", Kind.NUMBER, "tools", Kind.STRINGS),
        "plan.step_started", Map.of("step_index", Kind.INTEGER, "tool", Kind.STRING, "description", Kind.STRING),
        "plan.step_completed", Map.of("step_index", Kind.INTEGER, "duration_ms", Kind.NUMBER, "result_summary",
            Kind.STRING, "status", Kind.STRING),
        "executor.command_started", Map.of("command", Kind.STRING, "arguments", Kind.STRINGS),
        "executor.command_completed", Map.of("command", Kind.STRING, "exit_code", Kind.INTEGER, "stdout_digest",
            Kind.STRING, "stderr_digest", Kind.STRING),
        "executor.error", Map.of("exception_class", Kind.STRING, "message", Kind.STRING, "handled", Kind.BOOLEAN),
        "review.feedback_generated", Map.of("confidence_delta", Kind.NUMBER, "comments", Kind.STRINGS,
            "blocking_issues", Kind.STRINGS),
        "review.decision", Map.of("verdict", Kind.STRING),
        "optimizer.profile_selected", Map.of("hardware_signature", Kind.STRING, "profile", Kind.STRING),
        "optimizer.benchmark_completed", Map.of("throughput_tokens_per_s", Kind.NUMBER, "latency_ms", Kind.NUMBER));

    public List<Problem> validate(final Path file)
    {
        final List<Problem> problems = new ArrayList<>();
        final String name = file.toString();
        JsonLinesReader.read(file, (line, record) -> check(name, line, record, problems), problems::add);
        return problems;
    }

    private static void check(final String file, final long line, final ObjectNode record, final List<Problem> out)
    {
        final JsonNode version = record.get(AgentWire.SCHEMA_VERSION);
        if (null == version || !AgentEmitter.SCHEMA_VERSION.equals(version.textValue()))
        {
            out.add(new Problem(file, line, AgentWire.SCHEMA_VERSION, "must be \"0.1\", found " + version));
        }
        final JsonNode time = record.get(AgentWire.TIMESTAMP);
        if (null == time || !time.isTextual() || !TIME.matcher(time.textValue()).matches())
        {
            out.add(new Problem(file, line, AgentWire.TIMESTAMP, "must be ISO-8601 UTC with milliseconds and Z " +
                "(2025-10-06T12:34:56.789Z), found " + time));
        }
        for (final String key : List.of(AgentWire.SOURCE, AgentWire.RUN_ID))
        {
            final JsonNode value = record.get(key);
            if (null == value || !value.isTextual() || value.textValue().isEmpty())
            {
                out.add(new Problem(file, line, key, "must be a non-empty string, found " + value));
            }
        }
        final JsonNode cycle = record.get(AgentWire.CYCLE);
        if (null == cycle || !cycle.isIntegralNumber() || cycle.longValue() < 1)
        {
            out.add(new Problem(file, line, AgentWire.CYCLE, "must be an integer from 1, found " + cycle));
        }
        final JsonNode event = record.get(AgentWire.EVENT);
        if (null == event || !event.isTextual() || !AgentEmitter.EVENT_NAME.matcher(event.textValue()).matches())
        {
            out.add(new Problem(file, line, AgentWire.EVENT, "must be a namespaced name, module.action, found " +
                event));
        }
        final JsonNode tags = record.get(AgentWire.TAGS);
        if (null == tags || !tags.isObject())
        {
            out.add(new Problem(file, line, AgentWire.TAGS, "must be an object, found " + tags));
        }
        else
        {
            tags.properties().forEach(tag ->
            {
                if (!tag.getValue().isTextual())
                {
                    out.add(new Problem(file, line, AgentWire.TAGS + "." + tag.getKey(), "must be a string, found " +
                        tag.getValue()));
                }
            });
        }
        final JsonNode payload = record.get(AgentWire.PAYLOAD);
        if (null == payload || !payload.isObject())
        {
            out.add(new Problem(file, line, AgentWire.PAYLOAD, "must be an object, found " + payload));
            return;
        }
        final Map<String, Kind> keys = null == event ? null : CORE.get(event.textValue());
        if (null != keys)
        {
            keys.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(key ->
                kind(file, line, AgentWire.PAYLOAD + "." + key.getKey(), payload.get(key.getKey()), key.getValue(),
                    out));
            if ("review.decision".equals(event.textValue()) && payload.path("verdict").isTextual() &&
                !List.of("accept", "revise", "abort").contains(payload.get("verdict").textValue()))
            {
                out.add(new Problem(file, line, AgentWire.PAYLOAD + ".verdict", "must be accept, revise or abort, " +
                    "found " + payload.get("verdict")));
            }
        }
        redacted(file, line, record, payload, out);
    }

    private static void kind(final String file, final long line, final String field, final JsonNode value,
        final Kind kind, final List<Problem> out)
    {
        final boolean ok = null != value && switch (kind)
        {
            case INTEGER -> value.isIntegralNumber();
            case NUMBER -> value.isNumber();
            case STRING -> value.isTextual();
            case BOOLEAN -> value.isBoolean();
            case STRINGS -> value.isArray() && allText(value);
        };
        if (!ok)
        {
            out.add(new Problem(file, line, field, null == value ? "missing" : "must be " + switch (kind)
            {
                case INTEGER -> "an integer";
                case NUMBER -> "a number";
                case STRING -> "a string";
                case BOOLEAN -> "true or false";
                case STRINGS -> "a list of strings";
            } + ", found " + value));
        }
    }

    private static boolean allText(final JsonNode array)
    {
        for (final JsonNode element : array)
        {
            if (!element.isTextual())
            {
                return false;
            }
        }
        return true;
    }

    private static void redacted(final String file, final long line, final ObjectNode record, final JsonNode payload,
        final List<Problem> out)
    {
        final JsonNode fields = payload.get(AgentEmitter.REDACTED_FIELDS);
        if (null == fields)
        {
            return;
        }
        final String where = AgentWire.PAYLOAD + "." + AgentEmitter.REDACTED_FIELDS;
        if (!fields.isArray() || !allText(fields))
        {
            out.add(new Problem(file, line, where, "must be a list of strings, found " + fields));
            return;
        }
        for (final JsonNode field : fields)
        {
            final String path = field.textValue();
            final JsonNode value = path.startsWith(AgentWire.TAGS + ".") ? resolve(record, path) :
                resolve(payload, path);
            if (null == value || !value.isTextual() || !REDACTED_VALUE.matcher(value.textValue()).matches())
            {
                out.add(new Problem(file, line, where, "names " + path + ", whose value is not redacted: " +
                    (null == value ? "no such field" : value.toString())));
            }
        }
    }

    private static JsonNode resolve(final JsonNode root, final String path)
    {
        JsonNode node = root;
        final Matcher part = PATH_PART.matcher(path);
        while (null != node && part.find())
        {
            node = null != part.group(1) ? node.get(part.group(1)) : node.get(Integer.parseInt(part.group(2)));
        }
        return node;
    }
}
