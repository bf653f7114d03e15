package io.blackbox.exporter;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks records against a family's JSON Schema (draft 2020-12, with {@code com.networknt:json-schema-validator})
 * and reports each error as a {@link Problem} named by the field's path, in the words the command line prints:
 * <pre>
 * ts: must be a number, found "1.5"
 * step: missing required field (write null when there is no step)
 * lr[2]: must be a number, found null
 * severity: must be one of info, warning, error, critical, found "fatal"
 * </pre>
 * A field gets one problem, the first the schema finds (so declare {@code type} before {@code enum} or
 * {@code const}). Problems of a record come in the order the schema declares its fields: the root's
 * {@code properties}, then those of each subschema (e.g. {@code allOf}/{@code then}) in document order.
 * <p>
 * Two things a schema cannot say here, left to the family's Java rules: the library counts {@code 2.0} as an
 * integer, and it compares numbers as {@code BigDecimal}, which {@code NaN} and the infinities (valid telemetry,
 * as Python writes them) have none of, so a schema with {@code minimum}, {@code maximum}, {@code exclusiveMinimum},
 * {@code exclusiveMaximum} or {@code multipleOf} is refused when loaded.
 * <p>
 * A schema whose {@code allOf} is only branches of the form {@code {"if": {"properties": {K: {"const": "V"}},
 * "required": [K]}, "then": S}} (one subschema per value of a key, e.g. per {@code event}) is checked as such a union
 * is meant: the rest of the schema, then only the branch whose {@code V} the record's {@code K} holds. The result is
 * the schema's, with no {@code if} evaluated per branch per record (that took about half of a Gradience record's
 * validation).
 * <p>
 * A check holds no state between records, so one instance may be shared by threads.
 */
public final class JsonSchemaCheck
{
    private static final Set<String> NUMERIC_RANGE_KEYWORDS =
        Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf");
    // Applicators whose subschemas describe the same instance as their parent, so their properties are the record's.
    private static final Set<String> IN_PLACE_APPLICATORS = Set.of("allOf", "anyOf", "oneOf", "then", "else");

    private static final JsonPointer ROOT = JsonPointer.compile("");

    private final String name;
    private final JsonNode document;
    /** The whole schema, or, for a union on {@link #unionKey}, the schema without its {@code allOf}. */
    private final Schema schema;
    /** The key whose string value picks a branch, or null when the schema is not such a union. */
    private final String unionKey;
    private final Map<String, Branch> branches = new HashMap<>();
    private final Map<String, Integer> fieldOrder = new HashMap<>();
    private final Map<String, Integer> firstFieldOrder = new HashMap<>();

    private JsonSchemaCheck(final String name, final JsonNode document)
    {
        this.name = name;
        this.document = document;
        refuseNumericRanges(document, "");
        final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().locale(Locale.ENGLISH).build()));
        this.unionKey = unionKey(document.path("allOf"));
        if (null == unionKey)
        {
            this.schema = registry.getSchema(document);
        }
        else
        {
            final ObjectNode rest = ((ObjectNode)document).deepCopy();
            rest.remove("allOf");
            this.schema = registry.getSchema(rest);
            final JsonNode allOf = document.path("allOf");
            for (int i = 0; i < allOf.size(); i++)
            {
                final JsonNode branch = allOf.get(i);
                final String value = branch.path("if").path("properties").path(unionKey).path("const").textValue();
                branches.put(value, new Branch(registry.getSchema(branch.path("then")),
                    JsonPointer.compile("/allOf/" + i + "/then")));
            }
        }
        orderFields(document, "");
    }

    /**
     * @return the key an {@code allOf} of string-valued branches is a union on, or null when it is not one.
     */
    private static String unionKey(final JsonNode allOf)
    {
        if (!allOf.isArray() || allOf.isEmpty())
        {
            return null;
        }
        String key = null;
        final java.util.Set<String> values = new java.util.HashSet<>();
        for (final JsonNode branch : allOf)
        {
            final JsonNode condition = branch.path("if");
            final JsonNode properties = condition.path("properties");
            if (branch.size() != 2 || !branch.has("then") || condition.size() != 2 || properties.size() != 1 ||
                !condition.path("required").isArray() || condition.path("required").size() != 1)
            {
                return null;
            }
            final String name = properties.fieldNames().next();
            final JsonNode constraint = properties.path(name);
            if (constraint.size() != 1 || !constraint.path("const").isTextual() ||
                !name.equals(condition.path("required").get(0).textValue()) || (null != key && !key.equals(name)) ||
                !values.add(constraint.path("const").textValue()))
            {
                return null;
            }
            key = name;
        }
        return key;
    }

    /**
     * A union's branch: its subschema, and where it sits in the document (its errors' keyword locations are relative).
     */
    private record Branch(Schema schema, JsonPointer pointer)
    {
    }

    /**
     * Load a schema from the class path, e.g. a family's schema beside its validator class.
     *
     * @param anchor   the class whose package the resource name is relative to.
     * @param resource the resource name, e.g. {@code gradience-v1.schema.json}.
     * @return the check.
     * @throws IllegalArgumentException if the resource is missing, is not JSON, or uses a numeric range keyword.
     */
    public static JsonSchemaCheck load(final Class<?> anchor, final String resource)
    {
        final String name = anchor.getPackageName().replace('.', '/') + "/" + resource;
        try (InputStream in = anchor.getResourceAsStream(resource))
        {
            if (null == in)
            {
                throw new IllegalArgumentException("schema=" + name + " not found on the class path");
            }
            return new JsonSchemaCheck(name, JsonLinesReader.MAPPER.readTree(in));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("schema=" + name + " cannot be read", ex);
        }
    }

    /**
     * The schema document as loaded, e.g. for a test that compares its names with the family's wire names.
     *
     * @return the document; do not modify it.
     */
    public JsonNode document()
    {
        return document;
    }

    /**
     * Check one record against the schema.
     *
     * @param record the record.
     * @param check  receives one problem for each field at fault, in field order.
     */
    public void check(final ObjectNode record, final RecordCheck check)
    {
        Objects.requireNonNull(record, "record");
        final List<Error> errors = schema.validate(record);
        Branch branch = null;
        List<Error> branchErrors = List.of();
        if (null != unionKey)
        {
            final JsonNode value = record.get(unionKey);
            branch = null == value || !value.isTextual() ? null : branches.get(value.textValue());
            branchErrors = null == branch ? List.of() : branch.schema.validate(record);
        }
        if (errors.isEmpty() && branchErrors.isEmpty())
        {
            return;
        }

        final List<FieldProblem> problems = new ArrayList<>(errors.size() + branchErrors.size());
        for (final Error error : errors)
        {
            add(problems, translate(error, ROOT));
        }
        for (final Error error : branchErrors)
        {
            add(problems, translate(error, branch.pointer));
        }
        problems.sort((a, b) -> Integer.compare(a.order, b.order));
        for (final FieldProblem problem : problems)
        {
            check.problem(problem.field, problem.message);
        }
    }

    /**
     * Where a field of the record comes in the order problems are reported, for the problems a family's Java rules
     * add: the position of the first declaration of the field's top-level name in the schema.
     *
     * @param field a field path, e.g. {@code metrics.n}.
     * @return the position; after every declared field when the schema does not declare it.
     */
    public int fieldOrder(final String field)
    {
        return null == field ? Integer.MAX_VALUE : firstFieldOrder.getOrDefault(topLevelName(field), Integer.MAX_VALUE);
    }

    @Override
    public String toString()
    {
        return "JsonSchemaCheck{schema=" + name + "}";
    }

    private static void add(final List<FieldProblem> problems, final FieldProblem problem)
    {
        if (problems.stream().noneMatch(p -> p.field.equals(problem.field)))
        {
            problems.add(problem);
        }
    }

    /**
     * @param within where the schema that reported the error sits in the document.
     */
    private FieldProblem translate(final Error error, final JsonPointer within)
    {
        final String keyword = error.getKeyword();
        final NodePath location = error.getInstanceLocation();
        final JsonNode value = error.getInstanceNode();
        final JsonPointer keywordPointer =
            within.append(JsonPointer.compile(error.getSchemaLocation().getFragment().toString()));
        final JsonNode keywordValue = document.at(keywordPointer);
        final JsonNode subschema = document.at(keywordPointer.head());

        if ("required".equals(keyword))
        {
            final String property = error.getProperty();
            final String field = append(fieldPath(location), property);
            final JsonNode declared = subschema.path("properties").path(property);
            final String hint = allowsNull(declared.path("type")) ? " (write null when there is no " + property + ")" :
                "";
            return new FieldProblem(field, "missing required field" + hint, order(keywordPointer, property, field));
        }

        final String field = fieldPath(location);
        final String message;
        switch (null == keyword ? "" : keyword)
        {
            case "type":
                message = "must be " + describeTypes(keywordValue, subschema) + ", found " + RecordCheck.quote(value);
                break;

            case "const":
                message = "must be " + keywordValue + ", found " + RecordCheck.quote(value);
                break;

            case "enum":
                message = "must be one of " + joinTexts(keywordValue) + ", found " + RecordCheck.quote(value);
                break;

            case "minLength":
                message = 1 == keywordValue.asInt() ? "must not be empty" :
                    "must be at least " + keywordValue.asInt() + " characters long";
                break;

            case "minItems":
                message = 1 == keywordValue.asInt() ? "must not be an empty array" :
                    "must have at least " + keywordValue.asInt() + " items";
                break;

            default:
                // Keywords no family schema uses yet: the library's own words, which name the rule.
                message = error.getMessage();
                break;
        }

        return new FieldProblem(field, message, order(keywordPointer, null, field));
    }

    /**
     * The position of the field a keyword at {@code keywordPointer} reports on: that of the record-level
     * {@code properties} entry the keyword sits under, or for {@code required} the named property of its subschema.
     */
    private int order(final JsonPointer keywordPointer, final String requiredProperty, final String field)
    {
        String declaring = "";
        String property = requiredProperty;
        if (null == requiredProperty)
        {
            final String pointer = keywordPointer.toString();
            final int at = pointer.indexOf("/properties/");
            if (at >= 0)
            {
                declaring = pointer.substring(0, at);
                final int nameStart = at + "/properties/".length();
                final int nameEnd = pointer.indexOf('/', nameStart);
                property = unescape(pointer.substring(nameStart, -1 == nameEnd ? pointer.length() : nameEnd));
            }
        }
        else
        {
            declaring = keywordPointer.head().toString();
        }

        final Integer order = null == property ? null : fieldOrder.get(declaring + "|" + property);
        return null != order ? order : fieldOrder(field);
    }

    private void orderFields(final JsonNode subschema, final String pointer)
    {
        if (!subschema.isObject())
        {
            return;
        }

        final JsonNode properties = subschema.path("properties");
        for (final Iterator<String> names = properties.fieldNames(); names.hasNext(); )
        {
            final String property = names.next();
            final int order = fieldOrder.size();
            fieldOrder.put(pointer + "|" + property, order);
            firstFieldOrder.putIfAbsent(property, order);
        }

        for (final Map.Entry<String, JsonNode> keyword : subschema.properties())
        {
            if (!IN_PLACE_APPLICATORS.contains(keyword.getKey()))
            {
                continue;
            }
            final String keywordPointer = pointer + "/" + keyword.getKey();
            final JsonNode value = keyword.getValue();
            if (value.isArray())
            {
                for (int i = 0; i < value.size(); i++)
                {
                    orderFields(value.get(i), keywordPointer + "/" + i);
                }
            }
            else
            {
                orderFields(value, keywordPointer);
            }
        }
    }

    private void refuseNumericRanges(final JsonNode node, final String pointer)
    {
        if (node.isObject())
        {
            for (final Map.Entry<String, JsonNode> field : node.properties())
            {
                final String fieldPointer = pointer + "/" + field.getKey();
                if (NUMERIC_RANGE_KEYWORDS.contains(field.getKey()) && !pointer.endsWith("/properties"))
                {
                    throw new IllegalArgumentException("schema=" + name + " keyword=" + fieldPointer +
                        ": numeric range keywords throw on NaN and infinities in this library; check ranges in Java");
                }
                refuseNumericRanges(field.getValue(), fieldPointer);
            }
        }
        else if (node.isArray())
        {
            for (int i = 0; i < node.size(); i++)
            {
                refuseNumericRanges(node.get(i), pointer + "/" + i);
            }
        }
    }

    /**
     * The types a {@code type} keyword allows, in words: {@code a number}, {@code an integer or null},
     * {@code a number or an array of numbers}.
     */
    private static String describeTypes(final JsonNode types, final JsonNode subschema)
    {
        final List<String> words = new ArrayList<>();
        if (types.isArray())
        {
            types.forEach(type -> words.add(describeType(type.asText(), subschema)));
        }
        else
        {
            words.add(describeType(types.asText(), subschema));
        }

        return joinWords(words, "or");
    }

    private static String describeType(final String type, final JsonNode subschema)
    {
        if ("array".equals(type))
        {
            final JsonNode itemType = subschema.path("items").path("type");
            return itemType.isTextual() ? "an array of " + plural(itemType.asText()) : "an array";
        }

        switch (type)
        {
            case "null":
                return "null";
            case "integer":
            case "object":
                return "an " + type;
            default:
                return "a " + type;
        }
    }

    private static String plural(final String type)
    {
        return "null".equals(type) ? "nulls" : type + "s";
    }

    private static boolean allowsNull(final JsonNode types)
    {
        if (types.isArray())
        {
            for (final JsonNode type : types)
            {
                if ("null".equals(type.asText()))
                {
                    return true;
                }
            }
            return false;
        }

        return "null".equals(types.asText());
    }

    private static String joinTexts(final JsonNode values)
    {
        final List<String> texts = new ArrayList<>();
        values.forEach(value -> texts.add(value.isTextual() ? value.textValue() : value.toString()));
        return String.join(", ", texts);
    }

    private static String joinWords(final List<String> words, final String conjunction)
    {
        if (1 == words.size())
        {
            return words.get(0);
        }

        return String.join(", ", words.subList(0, words.size() - 1)) + " " + conjunction + " " +
            words.get(words.size() - 1);
    }

    /**
     * A field's path as problems name it: {@code metrics.ppl}, {@code lr[2]}; empty for the record itself.
     */
    private static String fieldPath(final NodePath location)
    {
        final StringBuilder path = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++)
        {
            final Object element = location.getElement(i);
            if (element instanceof Integer)
            {
                path.append('[').append(element).append(']');
            }
            else
            {
                if (path.length() > 0)
                {
                    path.append('.');
                }
                path.append(element);
            }
        }

        return path.toString();
    }

    private static String append(final String path, final String property)
    {
        return path.isEmpty() ? property : path + "." + property;
    }

    private static String topLevelName(final String field)
    {
        int end = field.length();
        final int dot = field.indexOf('.');
        final int bracket = field.indexOf('[');
        if (dot >= 0)
        {
            end = dot;
        }
        if (bracket >= 0 && bracket < end)
        {
            end = bracket;
        }

        return field.substring(0, end);
    }

    private static String unescape(final String pointerToken)
    {
        return pointerToken.replace("~1", "/").replace("~0", "~");
    }

    private record FieldProblem(String field, String message, int order)
    {
    }
}
