package io.blackbox.exporter.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;

/**
 * Prints every error as one line, {@code blackbox: <message>}, on standard error, and picks the exit code:
 * <ul>
 *     <li>a wrong command line (picocli's {@link ParameterException}, also when a command throws one):
 *         {@link BlackboxCommand#EXIT_USAGE};</li>
 *     <li>a {@link UserError}: {@link BlackboxCommand#EXIT_FAILURE};</li>
 *     <li>any other exception, a bug: {@link BlackboxCommand#EXIT_FAILURE}, with the exception's class and message,
 *         and its stack trace only in debug mode (environment {@value #DEBUG_ENV}=1).</li>
 * </ul>
 */
public final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler
{
    /**
     * The environment variable that, set to {@code 1}, makes unexpected errors print their stack trace.
     */
    public static final String DEBUG_ENV = "BLACKBOX_DEBUG";

    /**
     * What every error line starts with.
     */
    public static final String PREFIX = "blackbox: ";

    private final boolean debug;

    /**
     * A reporter in debug mode when the environment asks for it.
     */
    public ErrorReporter()
    {
        this("1".equals(System.getenv(DEBUG_ENV)));
    }

    /**
     * A reporter.
     *
     * @param debug whether unexpected errors print their stack trace.
     */
    public ErrorReporter(final boolean debug)
    {
        this.debug = debug;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int handleExecutionException(
        final Exception ex, final CommandLine commandLine, final ParseResult parseResult)
    {
        final PrintWriter err = commandLine.getErr();
        // A RecordingException names the recording, file or record and the field: a message for the user, as is.
        if (ex instanceof UserError || ex instanceof io.blackbox.exporter.RecordingException)
        {
            err.println(PREFIX + oneLine(ex.getMessage()));
            if (debug && null != ex.getCause())
            {
                ex.getCause().printStackTrace(err);
            }
            err.flush();
            return BlackboxCommand.EXIT_FAILURE;
        }

        final String message = null == ex.getMessage() ? "" : ": " + oneLine(ex.getMessage());
        final String hint = debug ? "" : " (set " + DEBUG_ENV + "=1 for the stack trace)";
        err.println(PREFIX + "unexpected error: " + ex.getClass().getName() + message + hint);
        if (debug)
        {
            ex.printStackTrace(err);
        }
        err.flush();

        return BlackboxCommand.EXIT_FAILURE;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int handleParseException(final ParameterException ex, final String[] args)
    {
        final CommandLine commandLine = ex.getCommandLine();
        final PrintWriter err = commandLine.getErr();
        err.println(PREFIX + oneLine(ex.getMessage()) +
            " (see '" + commandLine.getCommandSpec().qualifiedName() + " --help')");
        err.flush();

        return BlackboxCommand.EXIT_USAGE;
    }

    private static String oneLine(final String message)
    {
        return null == message ? "" : message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
