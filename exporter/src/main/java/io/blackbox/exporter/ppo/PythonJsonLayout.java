package io.blackbox.exporter.ppo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;

import java.io.IOException;

/**
 * The layout of Python's {@code json.dumps} with its default separators: {@code ", "} between members and values,
 * {@code ": "} after a key, nothing else ({@code {"epoch": 1.0, "updates": 4.0}}). Jackson's compact output has no
 * spaces; townlet's harness writes these, so a PPO line laid out so is the original's byte for byte. Stateless: one
 * instance serves every generator. Lines are ended by their writer, not here (no root value separator).
 */
final class PythonJsonLayout implements PrettyPrinter
{
    static final PythonJsonLayout INSTANCE = new PythonJsonLayout();

    private PythonJsonLayout()
    {
    }

    public void writeRootValueSeparator(final JsonGenerator g)
    {
    }

    public void writeStartObject(final JsonGenerator g) throws IOException
    {
        g.writeRaw('{');
    }

    public void writeEndObject(final JsonGenerator g, final int entries) throws IOException
    {
        g.writeRaw('}');
    }

    public void writeObjectEntrySeparator(final JsonGenerator g) throws IOException
    {
        g.writeRaw(", ");
    }

    public void writeObjectFieldValueSeparator(final JsonGenerator g) throws IOException
    {
        g.writeRaw(": ");
    }

    public void writeStartArray(final JsonGenerator g) throws IOException
    {
        g.writeRaw('[');
    }

    public void writeEndArray(final JsonGenerator g, final int values) throws IOException
    {
        g.writeRaw(']');
    }

    public void writeArrayValueSeparator(final JsonGenerator g) throws IOException
    {
        g.writeRaw(", ");
    }

    public void beforeArrayValues(final JsonGenerator g)
    {
    }

    public void beforeObjectEntries(final JsonGenerator g)
    {
    }
}
