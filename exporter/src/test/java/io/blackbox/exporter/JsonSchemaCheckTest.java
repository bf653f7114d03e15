package io.blackbox.exporter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonSchemaCheckTest
{
    private final JsonSchemaCheck ordered = JsonSchemaCheck.load(JsonSchemaCheckTest.class, "ordered.schema.json");

    @Test
    void shouldReportProblemsInTheOrderTheSchemaDeclaresFields() throws IOException
    {
        assertEquals(List.of(
            "f:1: b: missing required field",
            "f:1: a: must be an integer or null, found \"x\"",
            "f:1: minimum: must not be an empty array",
            "f:1: c: missing required field"),
            check("{\"minimum\":[],\"a\":\"x\"}"));
    }

    @Test
    void shouldNameNestedFieldsAndArrayElementsByPath() throws IOException
    {
        assertEquals(List.of(
            "f:1: minimum[1]: must be a string, found 2",
            "f:1: c.d: must be a number, found true"),
            check("{\"b\":1,\"a\":null,\"minimum\":[\"x\",2],\"c\":{\"d\":true}}"));
    }

    @Test
    void shouldHintAtNullForAMissingNullableField() throws IOException
    {
        assertEquals(List.of("f:1: a: missing required field (write null when there is no a)"),
            check("{\"b\":1,\"c\":{}}"));
    }

    @Test
    void shouldAcceptNonFiniteNumbersAsNumbersAndWholeFloatsAsIntegers() throws IOException
    {
        // Why families keep Java rules for integers: JSON Schema counts 2.0 as an integer.
        assertEquals(List.of(), check("{\"b\":NaN,\"a\":2.0,\"c\":{\"d\":-Infinity}}"));
        assertEquals(List.of("f:1: a: must be an integer or null, found 2.5"), check("{\"b\":1,\"a\":2.5,\"c\":{}}"));
    }

    @Test
    void shouldRefuseNumericRangeKeywordsWhichThrowOnNaN()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> JsonSchemaCheck.load(JsonSchemaCheckTest.class, "numeric-range.schema.json"));

        assertTrue(ex.getMessage().contains("keyword=/properties/accuracy/maximum"), ex.getMessage());
    }

    @Test
    void shouldRefuseAMissingSchema()
    {
        assertThrows(IllegalArgumentException.class, () -> JsonSchemaCheck.load(JsonSchemaCheckTest.class, "none.json"));
    }

    @Test
    void shouldTellWholeFloatsFromIntegers() throws IOException
    {
        assertTrue(RecordCheck.isWholeFloat(JsonLinesReader.MAPPER.readTree("2.0")));
        assertTrue(RecordCheck.isWholeFloat(JsonLinesReader.MAPPER.readTree("1e2")));
        assertFalse(RecordCheck.isWholeFloat(JsonLinesReader.MAPPER.readTree("2")));
        assertFalse(RecordCheck.isWholeFloat(JsonLinesReader.MAPPER.readTree("2.5")));
        assertFalse(RecordCheck.isWholeFloat(JsonLinesReader.MAPPER.readTree("NaN")));
        assertFalse(RecordCheck.isWholeFloat(JsonLinesReader.MAPPER.readTree("1e400")));
        assertFalse(RecordCheck.isWholeFloat(JsonLinesReader.MAPPER.readTree("\"2\"")));
        assertFalse(RecordCheck.isWholeFloat(null));
    }

    @Test
    void shouldCheckAUnionAsTheBranchItsKeyPicks() throws IOException
    {
        final JsonSchemaCheck union = JsonSchemaCheck.load(JsonSchemaCheckTest.class, "union.schema.json");

        assertEquals(List.of("f:1: id: must be an integer, found \"7\"", "f:1: r: missing required field"),
            check(union, "{\"kind\":\"circle\",\"id\":\"7\",\"side\":\"x\"}"));
        assertEquals(List.of("f:1: side: must be a number, found \"x\""),
            check(union, "{\"kind\":\"square\",\"id\":7,\"side\":\"x\",\"r\":\"y\"}"));
        assertEquals(List.of("f:1: kind: must be one of circle, square, found \"oval\""),
            check(union, "{\"kind\":\"oval\",\"id\":7}"));
    }

    @Test
    void shouldFindWhatTheWholeSchemaFindsWhenCheckingAUnionByItsKey() throws IOException
    {
        // The same schema with one more allOf element that is no branch: checked whole, every if evaluated.
        final JsonSchemaCheck union = JsonSchemaCheck.load(JsonSchemaCheckTest.class, "union.schema.json");
        final JsonSchemaCheck whole = JsonSchemaCheck.load(JsonSchemaCheckTest.class, "union-plain.schema.json");
        for (final String record : List.of(
            "{}",
            "{\"kind\":\"circle\",\"id\":1,\"r\":2}",
            "{\"kind\":\"circle\",\"id\":1.5}",
            "{\"kind\":\"circle\",\"id\":1,\"r\":\"2\",\"tags\":[\"a\",3]}",
            "{\"kind\":\"square\",\"side\":null}",
            "{\"kind\":3,\"id\":1,\"r\":\"x\",\"side\":\"y\"}",
            "{\"kind\":null,\"side\":1}",
            "{\"kind\":\"square\",\"id\":1,\"side\":1,\"r\":\"not checked: another branch\"}"))
        {
            assertEquals(check(whole, record), check(union, record), record);
        }
    }

    private List<String> check(final String json) throws IOException
    {
        return check(ordered, json);
    }

    private static List<String> check(final JsonSchemaCheck schema, final String json) throws IOException
    {
        final List<Problem> problems = new ArrayList<>();
        schema.check((ObjectNode)JsonLinesReader.MAPPER.readTree(json), new RecordCheck("f", 1, problems));
        final List<String> lines = new ArrayList<>();
        problems.forEach(problem -> lines.add(problem.toString()));
        return lines;
    }
}
