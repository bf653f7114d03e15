package io.blackbox.exporter;

/**
 * The keys written so far into one JSON object of an exported line, so that a record that would write a key twice (a
 * metric named like a field, a key both in a group and in the extra keys) is refused: the export's reader refuses
 * duplicate keys. A list, not a set: records have few keys, and it allocates nothing.
 */
public final class LineKeys
{
    private final String[] fixed;
    private String[] names;
    private int count;

    /**
     * @param fixed the keys every object starts with (a line's envelope), or none.
     */
    public LineKeys(final String... fixed)
    {
        this.fixed = fixed.clone();
        this.names = new String[Math.max(32, 2 * fixed.length)];
        reset();
    }

    /**
     * Start the next object: only the fixed keys are taken.
     */
    public void reset()
    {
        System.arraycopy(fixed, 0, names, 0, fixed.length);
        count = fixed.length;
    }

    /**
     * @throws RecordingException when the object already has {@code name}.
     */
    public void add(final String name)
    {
        for (int i = 0; i < count; i++)
        {
            if (names[i].equals(name))
            {
                throw new RecordingException("key \"" + name.replaceAll("\\p{Cntrl}", "?") + "\" would be written " +
                    "twice in the record's line");
            }
        }
        if (count == names.length)
        {
            names = java.util.Arrays.copyOf(names, 2 * count);
        }
        names[count++] = name;
    }
}
