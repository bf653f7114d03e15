package io.blackbox.exporter;

/**
 * A recording that cannot be read as asked: not a recording, or a record that does not decode.
 * Its message names the directory, queue excerpt or record.
 */
public final class RecordingException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public RecordingException(final String message)
    {
        // No stack trace: a damaged session can refuse every one of its records, and the message says where.
        super(message, null, false, false);
    }
}
