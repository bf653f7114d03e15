package io.blackbox.exporter.esper;

/**
 * A map or JSON object that is not the Esper type it was read as: a required key missing, a value of the wrong type,
 * an event type without a typed payload. Carries the key at fault and what is wrong with it, so a reader of a file
 * can report {@code FILE:LINE: field: problem} ({@link EsperEvents#read(java.nio.file.Path,
 * java.util.function.Consumer, java.util.function.Consumer)}).
 */
public final class EsperFormatException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /** The key at fault, a path such as {@code policy_loss}, {@code data.policy_loss} or {@code slot_ids[2]}. */
    private final String field;
    /** What is wrong, naming the payload or envelope, e.g. {@code missing, required by PpoUpdate}. */
    private final String problem;

    /**
     * @param field   the key at fault.
     * @param problem what is wrong with it.
     */
    public EsperFormatException(final String field, final String problem)
    {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    /**
     * @return the key at fault, a path such as {@code data.policy_loss}.
     */
    public String field()
    {
        return field;
    }

    /**
     * @return what is wrong, naming the payload or envelope.
     */
    public String problem()
    {
        return problem;
    }

    /**
     * The same problem one level down, under {@code parent}: {@code policy_loss} becomes {@code data.policy_loss}.
     *
     * @param parent the key that holds the field.
     * @return the exception with its field prefixed.
     */
    EsperFormatException under(final String parent)
    {
        final String separator = field.isEmpty() || field.startsWith("[") ? "" : ".";
        return new EsperFormatException(parent + separator + field, problem);
    }
}
