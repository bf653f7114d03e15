package io.blackbox.exporter;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The validator of a JSON Lines family: each line read by {@link JsonLinesReader}, each record checked against the
 * family's JSON Schema ({@link JsonSchemaCheck}) and then by the family's Java rules for what a schema cannot say.
 * <p>
 * Problems come in file order, and within a record in the order the schema declares its fields, the rules' problems
 * merged in by the same order. A validator holds no state between records, so one instance may be shared by threads
 * when its rules hold none either.
 */
public final class JsonLinesValidator implements FamilyValidator
{
    /**
     * The checks of one record that a family's schema cannot express, such as a number range that must let
     * {@code NaN} through. They see every record, valid by the schema or not, so they check the types they rely on.
     */
    @FunctionalInterface
    public interface RecordRules
    {
        /**
         * Check one record.
         *
         * @param record the record.
         * @param check  receives a problem for each field at fault.
         */
        void check(ObjectNode record, RecordCheck check);
    }

    private final JsonSchemaCheck schema;
    private final RecordRules rules;

    /**
     * @param schema the family's schema.
     * @param rules  the family's Java rules.
     */
    public JsonLinesValidator(final JsonSchemaCheck schema, final RecordRules rules)
    {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public List<Problem> validate(final Path file)
    {
        final String name = file.toString();
        final List<Problem> problems = new ArrayList<>();
        JsonLinesReader.read(file, (line, record) -> validate(name, line, record, problems), problems::add);

        return problems;
    }

    /**
     * Validate one record, e.g. one that another reader (a queue, a test) parsed.
     *
     * @param file   the file name for the problems.
     * @param line   the record's 1-based line number, for the problems.
     * @param record the record.
     * @param out    receives the record's problems, in field order; untouched when the record is valid.
     */
    public void validate(final String file, final long line, final ObjectNode record, final List<Problem> out)
    {
        Objects.requireNonNull(record, "record");
        final RecordCheck schemaCheck = new RecordCheck(file, line, out);
        final int recordStart = out.size();
        schema.check(record, schemaCheck);

        final List<Problem> ruleProblems = new ArrayList<>(0);
        rules.check(record, new RecordCheck(file, line, ruleProblems));
        for (final Problem problem : ruleProblems)
        {
            final int order = schema.fieldOrder(problem.field());
            int at = recordStart;
            while (at < out.size() && schema.fieldOrder(out.get(at).field()) <= order)
            {
                at++;
            }
            out.add(at, problem);
        }
    }
}
