package io.blackbox.exporter.cli;

/**
 * Something the user can fix, such as a missing file: the command line prints {@code blackbox: <message>} as one
 * line to standard error and exits with {@link BlackboxCommand#EXIT_FAILURE}, without a stack trace.
 * <p>
 * Throw it from a command's {@code call()}. For a wrong command line (a bad option value, a missing parameter)
 * throw picocli's {@code ParameterException} instead, which exits with {@link BlackboxCommand#EXIT_USAGE}.
 */
public final class UserError extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A user error.
     *
     * @param message what is wrong and, where it helps, what to do; one line, no trailing full stop.
     */
    public UserError(final String message)
    {
        // No stack trace: it is never printed, and user errors are not exceptional enough to pay for one.
        super(message, null, false, false);
    }

    /**
     * A user error caused by an exception, kept for debugging.
     *
     * @param message what is wrong; one line, no trailing full stop.
     * @param cause   the exception that revealed it.
     */
    public UserError(final String message, final Throwable cause)
    {
        super(message, cause, false, false);
    }
}
