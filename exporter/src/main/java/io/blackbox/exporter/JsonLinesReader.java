package io.blackbox.exporter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads a JSON Lines file one line at a time and hands each record, a JSON object, to a handler; whatever is wrong
 * is reported as a {@link Problem} and reading goes on with the next line, so one bad line never hides the rest.
 * <p>
 * The file is split into lines here, on {@code '\n'} ({@code "\r\n"} is accepted), and each line is parsed by its
 * own Jackson parser from the line's bytes. That keeps line numbers exact and bounds what one line can do:
 * <ul>
 *     <li>blank (whitespace-only) lines are skipped, and still counted for line numbers;</li>
 *     <li>a line longer than {@link #MAX_LINE_BYTES} is reported and skipped without being held in memory;</li>
 *     <li>invalid UTF-8 anywhere in a line is a problem, never silently replaced;</li>
 *     <li>malformed JSON, a value that is not an object, content after the object, a key given twice in one object
 *         are problems;</li>
 *     <li>so are lines past a reading limit, which bound the memory and stack one line can take: nesting deeper than
 *         {@link #MAX_NESTING_DEPTH}, more than {@link #MAX_TOKENS_PER_LINE} tokens, a number longer than
 *         {@link #MAX_NUMBER_LENGTH} characters, a key longer than {@link #MAX_KEY_LENGTH};</li>
 *     <li>{@code NaN}, {@code Infinity} and {@code -Infinity}, which Python's {@code json} module writes for floats
 *         such as a diverged loss, are read as doubles.</li>
 * </ul>
 * A missing, unreadable or empty file, a directory, or anything else that is not a regular file (a FIFO, which would
 * block until a writer opens it, or a device such as {@code /dev/zero}, which never ends) is one problem with the
 * whole file (line 0).
 * <p>
 * Messages quote no raw input: characters outside printable ASCII that Jackson quotes from the line are escaped.
 * <p>
 * Columns in problem messages count bytes from 1, as Jackson does for byte input.
 * <p>
 * Reading keeps no state between calls, so threads may read files at the same time.
 */
public final class JsonLinesReader
{
    /**
     * The longest line, in bytes before its {@code '\n'}, that is parsed; longer lines are reported and skipped.
     * Eight times the largest record a recorder with the default ring takes (2 MiB), so any line an export writes
     * fits, while what one line holds in memory (its bytes, then its text and tree) stays in the low hundreds of MiB.
     */
    public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    /**
     * The deepest nesting of objects and arrays a record may have, so a hostile line cannot exhaust the stack.
     */
    public static final int MAX_NESTING_DEPTH = 1000;

    /**
     * The most JSON tokens (brackets, keys, values) one line may have. The line length alone does not bound the
     * tree: 16 MiB of {@code [{},{},...]} would be millions of objects; a million tokens is a few tens of MiB.
     */
    public static final long MAX_TOKENS_PER_LINE = 1_000_000;

    /**
     * The longest number, in characters, a record may hold; longer ones are not telemetry and cost quadratic time to
     * convert (Jackson's default).
     */
    public static final int MAX_NUMBER_LENGTH = 1000;

    /**
     * The longest key, in characters, a record may have (Jackson's default).
     */
    public static final int MAX_KEY_LENGTH = 50_000;

    /**
     * The mapper configured for telemetry files, shared so every reader and writer of the project agrees on it.
     * Do not reconfigure it; derive an {@code ObjectReader} or {@code ObjectWriter} when something else is needed.
     * <ul>
     *     <li>Reads {@code NaN}, {@code Infinity}, {@code -Infinity}, and writes non-finite doubles the same way,
     *         bare as Python's {@code json} module does, rather than as strings.</li>
     *     <li>Rejects a key given twice in one object (Python would silently keep the last one).</li>
     *     <li>Reads floating-point numbers as {@code double} (no {@code BigDecimal}); integers as {@code int},
     *         {@code long} or {@code BigInteger} by size, so every integer stays exact.</li>
     *     <li>Limits nesting to {@link #MAX_NESTING_DEPTH}, tokens to {@link #MAX_TOKENS_PER_LINE}, numbers to
     *         {@link #MAX_NUMBER_LENGTH} characters, keys to {@link #MAX_KEY_LENGTH}, and a document and one string
     *         to what a line may be, {@link #MAX_LINE_BYTES}.</li>
     *     <li>Keeps input out of exception messages and locations.</li>
     * </ul>
     */
    public static final JsonMapper MAPPER = newMapper();

    /**
     * Receives each record read.
     */
    @FunctionalInterface
    public interface RecordHandler
    {
        /**
         * One record, a JSON object that parsed cleanly.
         *
         * @param lineNumber the 1-based line it was read from.
         * @param record     the record; the handler owns it.
         */
        void onRecord(long lineNumber, ObjectNode record);
    }

    /**
     * Receives each record read with the bytes of its line, for a reader that needs a value exactly as written (a
     * number with more digits than a double holds: {@link #exactNumber}).
     */
    @FunctionalInterface
    public interface LineRecordHandler
    {
        /**
         * One record, a JSON object that parsed cleanly.
         *
         * @param lineNumber the 1-based line it was read from.
         * @param record     the record; the handler owns it.
         * @param line       the line's UTF-8 bytes; valid only during the call.
         * @param length     of the line in {@code line}.
         */
        void onRecord(long lineNumber, ObjectNode record, byte[] line, int length);
    }

    private static final int READ_CHUNK_BYTES = 64 * 1024;
    private static final int INITIAL_LINE_BYTES = 8 * 1024;
    private static final int DECODE_CHUNK_CHARS = 8 * 1024;

    // Jackson writes where an unclosed object started, even with source locations off; the line number says enough.
    private static final Pattern START_MARKER = Pattern.compile("\\s*\\(start marker at \\[[^\\]]*\\]\\)");
    private static final String DUPLICATE_FIELD = "Duplicate field ";
    private static final Pattern CONSTRAINT_SOURCE = Pattern.compile(", from `[^`]*`");

    private JsonLinesReader()
    {
    }

    /**
     * Read a JSON Lines file, streaming it a line at a time, with lines of up to {@link #MAX_LINE_BYTES}.
     *
     * @param file     the file to read; problems name it as {@code file.toString()}.
     * @param records  receives each record that parsed cleanly, in file order.
     * @param problems receives each problem, in file order.
     * @return how many records were handed to {@code records}.
     */
    public static long read(final Path file, final RecordHandler records, final Consumer<Problem> problems)
    {
        Objects.requireNonNull(records, "records");
        return read(file, MAX_LINE_BYTES, (lineNumber, record, line, length) -> records.onRecord(lineNumber, record),
            problems);
    }

    /**
     * Read a JSON Lines file as {@link #read(Path, RecordHandler, Consumer)} does, handing each record its line's bytes.
     *
     * @param file     the file to read; problems name it as {@code file.toString()}.
     * @param records  receives each record that parsed cleanly, with its line, in file order.
     * @param problems receives each problem, in file order.
     * @return how many records were handed to {@code records}.
     */
    public static long read(final Path file, final LineRecordHandler records, final Consumer<Problem> problems)
    {
        return read(file, MAX_LINE_BYTES, records, problems);
    }

    /**
     * A top-level number of a line exactly as written: the JSON text's decimal value, not the nearest double (an
     * epoch time in seconds to the nanosecond has 19 significant digits; a double holds about 16).
     *
     * @param line   a line {@link LineRecordHandler} was given.
     * @param length of the line.
     * @param key    a top-level key.
     * @return the value, or null when the key is absent or its value is not a finite number.
     */
    public static BigDecimal exactNumber(final byte[] line, final int length, final String key)
    {
        try (JsonParser parser = MAPPER.createParser(line, 0, length))
        {
            if (JsonToken.START_OBJECT != parser.nextToken())
            {
                return null;
            }
            while (JsonToken.FIELD_NAME == parser.nextToken())
            {
                final JsonToken value = parser.nextToken();
                if (key.equals(parser.currentName()))
                {
                    return (JsonToken.VALUE_NUMBER_INT == value || JsonToken.VALUE_NUMBER_FLOAT == value) &&
                        !parser.isNaN() ? parser.getDecimalValue() : null;
                }
                parser.skipChildren();
            }
            return null;
        }
        catch (final IOException ex)
        {
            return null; // the line parsed once already; only a number past BigDecimal's limits comes here
        }
    }

    /**
     * Read a JSON Lines file, streaming it a line at a time, with a lower line length limit, e.g. for a tool that
     * expects short records.
     *
     * @param file         the file to read; problems name it as {@code file.toString()}.
     * @param maxLineBytes the longest line accepted, in bytes before its {@code '\n'}, 1 to {@link #MAX_LINE_BYTES}.
     * @param records      receives each record that parsed cleanly, in file order.
     * @param problems     receives each problem, in file order.
     * @return how many records were handed to {@code records}.
     * @throws IllegalArgumentException if {@code maxLineBytes} is out of range.
     */
    public static long read(
        final Path file, final int maxLineBytes, final RecordHandler records, final Consumer<Problem> problems)
    {
        Objects.requireNonNull(records, "records");
        return read(file, maxLineBytes, (lineNumber, record, line, length) -> records.onRecord(lineNumber, record),
            problems);
    }

    private static long read(
        final Path file, final int maxLineBytes, final LineRecordHandler records, final Consumer<Problem> problems)
    {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(problems, "problems");
        if (maxLineBytes < 1 || maxLineBytes > MAX_LINE_BYTES)
        {
            throw new IllegalArgumentException(
                "maxLineBytes=" + maxLineBytes + " must be between 1 and " + MAX_LINE_BYTES);
        }

        final String name = file.toString();
        // Opening a directory succeeds on Linux and only reading it fails, with a less clear message.
        if (Files.isDirectory(file))
        {
            problems.accept(Problem.ofFile(name, "is a directory, not a file"));
            return 0;
        }
        // Opening a FIFO blocks until something writes to it, and a device such as /dev/zero never ends.
        if (Files.exists(file) && !Files.isRegularFile(file))
        {
            problems.accept(Problem.ofFile(name, "not a regular file (a FIFO, device or socket?); not read"));
            return 0;
        }

        final LineParser parser = new LineParser(name, records, problems);
        try (InputStream in = Files.newInputStream(file))
        {
            splitLines(in, maxLineBytes, parser);
        }
        catch (final NoSuchFileException ex)
        {
            problems.accept(Problem.ofFile(name, "file not found"));
            return 0;
        }
        catch (final AccessDeniedException ex)
        {
            problems.accept(Problem.ofFile(name, "cannot read the file: permission denied"));
            return 0;
        }
        catch (final IOException ex)
        {
            final String where = 0 == parser.lineNumber ? "" : " after line " + parser.lineNumber;
            problems.accept(Problem.ofFile(name, "cannot read the file" + where + ": " + ex.getMessage()));
            return parser.recordCount;
        }

        if (0 == parser.byteCount)
        {
            problems.accept(Problem.ofFile(name, "file is empty"));
        }
        else if (0 == parser.nonBlankLineCount)
        {
            problems.accept(Problem.ofFile(name, "file has only blank lines"));
        }

        return parser.recordCount;
    }

    private static void splitLines(final InputStream in, final int maxLineBytes, final LineParser parser)
        throws IOException
    {
        final byte[] chunk = new byte[READ_CHUNK_BYTES];
        final LineBuffer line = new LineBuffer(maxLineBytes);
        int bytesRead;
        while ((bytesRead = in.read(chunk)) != -1)
        {
            parser.byteCount += bytesRead;
            ReadProgress.bytesRead(parser.byteCount);
            int lineStart = 0;
            for (int i = 0; i < bytesRead; i++)
            {
                if ('\n' == chunk[i])
                {
                    line.append(chunk, lineStart, i - lineStart);
                    parser.onLine(line);
                    line.clear();
                    lineStart = i + 1;
                }
            }
            line.append(chunk, lineStart, bytesRead - lineStart);
        }

        // The last line need not end with a newline.
        if (line.length > 0 || line.overflowed)
        {
            parser.onLine(line);
        }
    }

    private static JsonMapper newMapper()
    {
        // Each line is parsed as its own document, so these limits are per line.
        final StreamReadConstraints constraints = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxTokenCount(MAX_TOKENS_PER_LINE)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxNameLength(MAX_KEY_LENGTH)
            .maxStringLength(MAX_LINE_BYTES)
            .maxDocumentLength(MAX_LINE_BYTES)
            .build();

        final JsonFactory factory = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .streamReadConstraints(constraints)
            .build();

        return JsonMapper.builder(factory)
            .disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();
    }

    /**
     * The bytes of the current line, growing up to the limit; past it the rest of the line is counted, not kept.
     */
    private static final class LineBuffer
    {
        private final int maxLength;
        private byte[] bytes = new byte[INITIAL_LINE_BYTES];
        private int length;
        private long overflowLength;
        private boolean overflowed;

        LineBuffer(final int maxLength)
        {
            this.maxLength = maxLength;
        }

        void append(final byte[] source, final int offset, final int count)
        {
            if (overflowed)
            {
                overflowLength += count;
                return;
            }

            final long newLength = (long)length + count;
            if (newLength > maxLength)
            {
                overflowed = true;
                overflowLength = newLength;
                return;
            }

            if (newLength > bytes.length)
            {
                final long doubled = Math.max(newLength, 2L * bytes.length);
                bytes = Arrays.copyOf(bytes, (int)Math.min(doubled, maxLength));
            }
            System.arraycopy(source, offset, bytes, length, count);
            length = (int)newLength;
        }

        void clear()
        {
            length = 0;
            overflowLength = 0;
            overflowed = false;
        }
    }

    /**
     * Turns one line's bytes into a record or a problem.
     */
    private static final class LineParser
    {
        private final String file;
        private final LineRecordHandler records;
        private final Consumer<Problem> problems;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        private final CharBuffer decoded = CharBuffer.allocate(DECODE_CHUNK_CHARS);

        long lineNumber;
        long byteCount;
        long nonBlankLineCount;
        long recordCount;

        LineParser(final String file, final LineRecordHandler records, final Consumer<Problem> problems)
        {
            this.file = file;
            this.records = records;
            this.problems = problems;
        }

        void onLine(final LineBuffer line)
        {
            lineNumber++;
            if (line.overflowed)
            {
                nonBlankLineCount++;
                problem("line is " + line.overflowLength + " bytes long, more than the " + line.maxLength +
                    " a line may have; skipped");
                return;
            }

            final byte[] bytes = line.bytes;
            int length = line.length;
            if (length > 0 && '\r' == bytes[length - 1])
            {
                length--;
            }
            if (isBlank(bytes, length))
            {
                return;
            }
            nonBlankLineCount++;

            // Jackson lets some invalid UTF-8 through in strings (overlong forms, code points past U+10FFFF),
            // so the JDK's strict decoder checks the whole line first.
            final int invalidAt = firstInvalidUtf8(bytes, length);
            if (invalidAt >= 0)
            {
                problem("invalid UTF-8 at column " + (invalidAt + 1));
                return;
            }

            // Jackson guesses UTF-16/32 from NUL bytes; JSON Lines here are UTF-8, where a raw NUL is never valid.
            final int nulAt = indexOfNul(bytes, length);
            if (nulAt >= 0)
            {
                problem("NUL byte at column " + (nulAt + 1) + ": not UTF-8 JSON (a UTF-16 or UTF-32 file?)");
                return;
            }

            parse(bytes, length);
        }

        private int indexOfNul(final byte[] bytes, final int length)
        {
            for (int i = 0; i < length; i++)
            {
                if (0 == bytes[i])
                {
                    return i;
                }
            }
            return -1;
        }

        private void parse(final byte[] bytes, final int length)
        {
            final ObjectNode record;
            try (JsonParser parser = MAPPER.createParser(bytes, 0, length))
            {
                final JsonToken first = parser.nextToken();
                if (JsonToken.START_OBJECT != first)
                {
                    problem("not a JSON object: the line holds " + describe(first));
                    return;
                }

                record = MAPPER.readTree(parser);

                if (hasTrailingContent(parser))
                {
                    return;
                }
            }
            catch (final StreamConstraintsException ex)
            {
                problem("exceeds a reading limit" + atColumn(ex.getLocation()) + ": " + cleanMessage(ex));
                return;
            }
            catch (final JsonProcessingException ex)
            {
                final String message = cleanMessage(ex);
                // Duplicate keys are well-formed JSON that STRICT_DUPLICATE_DETECTION rejects; say so plainly.
                if (message.startsWith(DUPLICATE_FIELD))
                {
                    problem("duplicate key " + message.substring(DUPLICATE_FIELD.length()) +
                        atColumn(ex.getLocation()));
                }
                else
                {
                    problem("malformed JSON" + atColumn(ex.getLocation()) + ": " + message);
                }
                return;
            }
            catch (final IOException ex)
            {
                // Reading from a byte array does no I/O; only parse errors can reach here.
                problem("malformed JSON: " + printable(firstLine(ex.getMessage())));
                return;
            }

            recordCount++;
            records.onRecord(lineNumber, record, bytes, length);
        }

        private boolean hasTrailingContent(final JsonParser parser)
        {
            try
            {
                if (null == parser.nextToken())
                {
                    return false;
                }
                problem("trailing content after the JSON object" + atColumn(parser.currentTokenLocation()));
            }
            catch (final JsonProcessingException ex)
            {
                // What follows is not even a JSON token; it is still content after the object.
                problem("trailing content after the JSON object" + atColumn(ex.getLocation()));
            }
            catch (final IOException ex)
            {
                problem("trailing content after the JSON object");
            }

            return true;
        }

        private int firstInvalidUtf8(final byte[] bytes, final int length)
        {
            int i = 0;
            while (i < length && bytes[i] >= 0)
            {
                i++;
            }
            if (i == length)
            {
                return -1;
            }

            utf8.reset();
            final ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
            while (true)
            {
                decoded.clear();
                final CoderResult result = utf8.decode(in, decoded, true);
                if (result.isError())
                {
                    return in.position();
                }
                if (result.isUnderflow())
                {
                    return -1;
                }
            }
        }

        private void problem(final String message)
        {
            problems.accept(Problem.ofLine(file, lineNumber, message));
        }
    }

    private static boolean isBlank(final byte[] bytes, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = bytes[i];
            if (' ' != b && '\t' != b && '\r' != b)
            {
                return false;
            }
        }

        return true;
    }

    private static String describe(final JsonToken token)
    {
        if (null == token)
        {
            return "no JSON value";
        }

        switch (token)
        {
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return "a " + token.name().toLowerCase(Locale.ROOT);
        }
    }

    private static String atColumn(final JsonLocation location)
    {
        return null != location && location.getColumnNr() > 0 ? " at column " + location.getColumnNr() : "";
    }

    private static String cleanMessage(final JsonProcessingException ex)
    {
        String message = firstLine(ex.getOriginalMessage());
        message = START_MARKER.matcher(message).replaceAll("");
        message = CONSTRAINT_SOURCE.matcher(message).replaceAll("");

        return printable(message.trim());
    }

    /**
     * The message with every character outside printable ASCII escaped, as backslash-u and four hex digits: Jackson
     * quotes input in some messages (an unrecognized token), and a hostile line must not move the terminal's cursor.
     */
    private static String printable(final String message)
    {
        StringBuilder builder = null;
        for (int i = 0; i < message.length(); i++)
        {
            final char c = message.charAt(i);
            if (c < ' ' || c > '~')
            {
                if (null == builder)
                {
                    builder = new StringBuilder(message.length() + 16).append(message, 0, i);
                }
                builder.append(String.format(Locale.ROOT, "\\u%04X", (int)c));
            }
            else if (null != builder)
            {
                builder.append(c);
            }
        }

        return null == builder ? message : builder.toString();
    }

    private static String firstLine(final String message)
    {
        if (null == message)
        {
            return "unknown error";
        }

        final int end = message.indexOf('\n');
        return -1 == end ? message : message.substring(0, end);
    }
}
