package io.blackbox.exporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLinesReaderTest
{
    @TempDir
    Path dir;

    private final Map<Long, ObjectNode> records = new LinkedHashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    @Test
    void shouldHandEachRecordWithItsLineNumber() throws IOException
    {
        final Path file = write("{\"a\":1}\n{\"a\":2}\n");

        assertEquals(2, read(file));
        assertEquals(List.of(1L, 2L), List.copyOf(records.keySet()));
        assertEquals(2, records.get(2L).get("a").intValue());
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldSkipBlankLinesAndKeepCountingThem() throws IOException
    {
        final Path file = write("{\"a\":1}\n\n   \t\n{\"a\":2}\n\r\n{\"a\":3}");

        read(file);

        assertEquals(List.of(1L, 4L, 6L), List.copyOf(records.keySet()));
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldAcceptCrLfLineEnds() throws IOException
    {
        final Path file = write("{\"a\":1}\r\n{\"a\":2}\r\n");

        read(file);

        assertEquals(List.of(1L, 2L), List.copyOf(records.keySet()));
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldReadPythonNonFiniteFloats() throws IOException
    {
        final Path file = write("{\"a\":NaN,\"b\":Infinity,\"c\":-Infinity}\n");

        read(file);

        final ObjectNode record = records.get(1L);
        assertTrue(Double.isNaN(record.get("a").doubleValue()));
        assertEquals(Double.POSITIVE_INFINITY, record.get("b").doubleValue());
        assertEquals(Double.NEGATIVE_INFINITY, record.get("c").doubleValue());
    }

    @Test
    void shouldKeepLargeIntegersExactAndFloatsAsDoubles() throws IOException
    {
        final Path file = write("{\"big\":123456789012345678901234567890,\"x\":0.1}\n");

        read(file);

        final JsonNode big = records.get(1L).get("big");
        assertTrue(big.isBigInteger());
        assertEquals(new BigInteger("123456789012345678901234567890"), big.bigIntegerValue());
        assertTrue(records.get(1L).get("x").isDouble());
    }

    @Test
    void shouldReportMalformedJsonAndGoOn() throws IOException
    {
        final Path file = write("{\"a\":1\n{\"a\":2}\n");

        read(file);

        assertEquals(1, problems.size());
        assertEquals(1, problems.get(0).line());
        assertEquals(file + ":1: malformed JSON at column 7: Unexpected end-of-input: expected close marker for Object",
            problems.get(0).toString());
        assertEquals(List.of(2L), List.copyOf(records.keySet()));
    }

    @Test
    void shouldReportInvalidUtf8Bytes() throws IOException
    {
        final Path file = write(new byte[]{ '{', '"', 'a', '"', ':', '"', (byte)0xFF, '"', '}', '\n' });

        read(file);

        assertEquals(List.of(file + ":1: invalid UTF-8 at column 7"), messages());
        assertTrue(records.isEmpty());
    }

    @Test
    void shouldReportAnOverlongUtf8StringThatJacksonWouldAccept() throws IOException
    {
        // C0 80 is an overlong NUL: Jackson decodes it silently, the JDK's strict decoder does not.
        final Path file = write(new byte[]{ '{', '"', 'a', '"', ':', '"', (byte)0xC0, (byte)0x80, '"', '}', '\n' });

        read(file);

        assertEquals(List.of(file + ":1: invalid UTF-8 at column 7"), messages());
    }

    @Test
    void shouldReportAUtf16LineRatherThanGuessItsEncoding() throws IOException
    {
        final Path file = write("{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_16BE));

        read(file);

        assertEquals(List.of(file + ":1: NUL byte at column 1: not UTF-8 JSON (a UTF-16 or UTF-32 file?)"), messages());
        assertTrue(records.isEmpty());
    }

    @Test
    void shouldReportACodePointBeyondUnicode() throws IOException
    {
        final Path file = write(
            new byte[]{ '{', '"', 'a', '"', ':', '"', (byte)0xF4, (byte)0x90, (byte)0x80, (byte)0x80, '"', '}' });

        read(file);

        assertEquals(List.of(file + ":1: invalid UTF-8 at column 7"), messages());
    }

    @Test
    void shouldReadValidMultiByteUtf8() throws IOException
    {
        final Path file = write("{\"a\":\"h\u00e9llo \u20ac \uD83D\uDE00\"}\n");

        read(file);

        assertEquals("h\u00e9llo \u20ac \uD83D\uDE00", records.get(1L).get("a").textValue());
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldReportAnEmptyFile() throws IOException
    {
        final Path file = write("");

        read(file);

        assertEquals(List.of(file + ": file is empty"), messages());
    }

    @Test
    void shouldReportAFileOfBlankLines() throws IOException
    {
        final Path file = write("\n  \n");

        read(file);

        assertEquals(List.of(file + ": file has only blank lines"), messages());
    }

    @Test
    void shouldReportAMissingFile()
    {
        final Path file = dir.resolve("missing.jsonl");

        assertEquals(0, read(file));
        assertEquals(List.of(file + ": file not found"), messages());
    }

    @Test
    void shouldReportADirectory()
    {
        read(dir);

        assertEquals(List.of(dir + ": is a directory, not a file"), messages());
    }

    @Test
    void shouldReportALineThatIsAnArray() throws IOException
    {
        final Path file = write("[1,2]\n{\"a\":1}\n");

        read(file);

        assertEquals(List.of(file + ":1: not a JSON object: the line holds an array"), messages());
        assertEquals(List.of(2L), List.copyOf(records.keySet()));
    }

    @Test
    void shouldReportALineThatIsAScalar() throws IOException
    {
        final Path file = write("42\n");

        read(file);

        assertEquals(List.of(file + ":1: not a JSON object: the line holds a number"), messages());
    }

    @Test
    void shouldReportDuplicateKeys() throws IOException
    {
        final Path file = write("{\"a\":1,\"b\":{\"c\":1,\"c\":2}}\n");

        read(file);

        assertEquals(List.of(file + ":1: duplicate key 'c' at column 22"), messages());
        assertTrue(records.isEmpty());
    }

    @Test
    void shouldReportTrailingGarbage() throws IOException
    {
        final Path file = write("{\"a\":1} x\n");

        read(file);

        assertEquals(List.of(file + ":1: trailing content after the JSON object at column 9"), messages());
        assertTrue(records.isEmpty());
    }

    @Test
    void shouldReportASecondObjectOnTheSameLine() throws IOException
    {
        final Path file = write("{\"a\":1}{\"a\":2}\n");

        read(file);

        assertEquals(List.of(file + ":1: trailing content after the JSON object at column 8"), messages());
    }

    @Test
    void shouldReportDeepNestingWithoutOverflowingTheStack() throws IOException
    {
        final Path file = write("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}\n{\"a\":1}\n");

        read(file);

        assertEquals(1, problems.size());
        assertEquals(1, problems.get(0).line());
        assertEquals(file + ":1: exceeds a reading limit: " +
            "Document nesting depth (1001) exceeds the maximum allowed (1000)", problems.get(0).toString());
        assertEquals(List.of(2L), List.copyOf(records.keySet()));
    }

    @Test
    void shouldReportALineOfOpeningBrackets() throws IOException
    {
        final Path file = write("[".repeat(5000) + "\n");

        read(file);

        assertEquals(List.of(file + ":1: not a JSON object: the line holds an array"), messages());
    }

    @Test
    void shouldAcceptNestingAtTheLimit() throws IOException
    {
        final int arrays = JsonLinesReader.MAX_NESTING_DEPTH - 1;
        final Path file = write("{\"a\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}\n");

        read(file);

        assertEquals(List.of(), problems);
        assertEquals(1, records.size());
    }

    @Test
    void shouldSkipALineLongerThanTheLimitAndReadTheNext() throws IOException
    {
        final String longLine = "{\"a\":\"" + "x".repeat(100) + "\"}";
        final Path file = write("{\"a\":1}\n" + longLine + "\n{\"a\":3}\n");

        final long count = JsonLinesReader.read(file, 64, records::put, problems::add);

        assertEquals(2, count);
        assertEquals(List.of(file + ":2: line is " + longLine.length() + " bytes long, more than the 64 a line " +
            "may have; skipped"), messages());
        assertEquals(List.of(1L, 3L), List.copyOf(records.keySet()));
    }

    @Test
    void shouldReportALastLineLongerThanTheLimitWithoutNewline() throws IOException
    {
        final Path file = write("{\"a\":1}\n{\"a\":\"" + "x".repeat(100) + "\"}");

        JsonLinesReader.read(file, 64, records::put, problems::add);

        assertEquals(1, problems.size());
        assertEquals(2, problems.get(0).line());
    }

    @Test
    void shouldAcceptALineAtTheLimit() throws IOException
    {
        final String line = "{\"a\":\"" + "x".repeat(64 - 9) + "\"}";
        assertEquals(63, line.length());
        final Path file = write(line + " \n");

        JsonLinesReader.read(file, 64, records::put, problems::add);

        assertEquals(List.of(), problems);
        assertEquals(1, records.size());
    }

    @Test
    void shouldSkipALineLongerThanTheDefaultLimit() throws IOException
    {
        final Path file = dir.resolve("huge.jsonl");
        final byte[] chunk = new byte[1024 * 1024];
        Arrays.fill(chunk, (byte)'x');
        final int chunks = JsonLinesReader.MAX_LINE_BYTES / chunk.length;
        try (OutputStream out = Files.newOutputStream(file))
        {
            out.write("{\"a\":\"".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < chunks; i++)
            {
                out.write(chunk);
            }
            out.write("\"}\n{\"a\":2}\n".getBytes(StandardCharsets.US_ASCII));
        }

        read(file);

        final long lineLength = (long)chunks * chunk.length + 8;
        assertEquals(List.of(file + ":1: line is " + lineLength + " bytes long, more than the " +
            JsonLinesReader.MAX_LINE_BYTES + " a line may have; skipped"), messages());
        assertEquals(List.of(2L), List.copyOf(records.keySet()));
    }

    @Test
    void shouldSkipA200MegabyteLineAndReadTheNext() throws IOException
    {
        final long lineLength = 200L * 1000 * 1000;
        final Path file = dir.resolve("line-of-200MB.jsonl");
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw"))
        {
            // Sparse: the line is a hole of zero bytes, so the test costs no disk and little time.
            out.write("{\"a\":\"".getBytes(StandardCharsets.US_ASCII));
            out.seek(lineLength - 2);
            out.write("\"}\n{\"a\":2}\n".getBytes(StandardCharsets.US_ASCII));
        }

        read(file);

        assertEquals(List.of(file + ":1: line is " + lineLength + " bytes long, more than the " +
            JsonLinesReader.MAX_LINE_BYTES + " a line may have; skipped"), messages());
        assertEquals(List.of(2L), List.copyOf(records.keySet()));
    }

    @Test
    void shouldReport100000NestedArrays() throws IOException
    {
        final Path file = write("{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}\n{\"a\":1}\n");

        read(file);

        assertEquals(List.of(file + ":1: exceeds a reading limit: " +
            "Document nesting depth (1001) exceeds the maximum allowed (1000)"), messages());
        assertEquals(List.of(2L), List.copyOf(records.keySet()));
    }

    @Test
    void shouldReportANumberOfAMillionDigits() throws IOException
    {
        final Path file = write("{\"a\":" + "7".repeat(1_000_000) + "}\n{\"a\":1}\n");

        read(file);

        assertEquals(1, problems.size(), messages()::toString);
        assertTrue(problems.get(0).toString().startsWith(file + ":1: exceeds a reading limit"), messages()::toString);
        assertTrue(problems.get(0).message().contains("Number value length (1000000) exceeds the maximum allowed (" +
            JsonLinesReader.MAX_NUMBER_LENGTH + ")"), messages()::toString);
        assertEquals(List.of(2L), List.copyOf(records.keySet()));
    }

    @Test
    void shouldReportALineOfMoreTokensThanTheLimit() throws IOException
    {
        // Small in bytes, large as a tree: every {} would be an object node.
        final int objects = (int)(JsonLinesReader.MAX_TOKENS_PER_LINE / 2);
        final Path file = write("{\"a\":[" + "{},".repeat(objects) + "{}]}\n{\"a\":1}\n");

        read(file);

        assertEquals(1, problems.size(), messages()::toString);
        assertTrue(problems.get(0).message().startsWith("exceeds a reading limit"), messages()::toString);
        assertTrue(problems.get(0).message().endsWith(
            "Token count (" + (JsonLinesReader.MAX_TOKENS_PER_LINE + 1) + ") exceeds the maximum allowed (" +
            JsonLinesReader.MAX_TOKENS_PER_LINE + ")"), messages()::toString);
        assertEquals(List.of(2L), List.copyOf(records.keySet()));
    }

    @Test
    void shouldReportAKeyLongerThanTheLimit() throws IOException
    {
        final Path file = write("{\"" + "k".repeat(JsonLinesReader.MAX_KEY_LENGTH + 1) + "\":1}\n");

        read(file);

        assertEquals(1, problems.size(), messages()::toString);
        assertTrue(problems.get(0).message().startsWith("exceeds a reading limit"), messages()::toString);
        assertTrue(problems.get(0).message().contains("Name length"), messages()::toString);
    }

    @Test
    void shouldEscapeControlCharactersQuotedFromTheLine() throws IOException
    {
        // ESC [2J clears a terminal; Jackson quotes an unrecognized token, which may hold an ESC.
        final Path file = write("ab\u001bc\u00e9\n");

        read(file);

        assertEquals(1, problems.size());
        final String message = problems.get(0).toString();
        assertTrue(message.startsWith(file + ":1: malformed JSON at column 1: Unrecognized token 'ab\\u001Bc"),
            message);
        assertTrue(message.chars().allMatch(c -> c >= ' ' && c <= '~'), message);
    }

    @Test
    void shouldReportAFifoWithoutWaitingForAWriter() throws IOException, InterruptedException
    {
        final Path fifo = dir.resolve("fifo.jsonl");
        final Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo " + fifo);

        // Opening a FIFO without a writer blocks forever: a hang here is the failure.
        assertEquals(0, read(fifo));

        assertEquals(List.of(fifo + ": not a regular file (a FIFO, device or socket?); not read"), messages());
    }

    @Test
    void shouldReportADeviceThatNeverEnds()
    {
        final Path zero = Path.of("/dev/zero");

        assertEquals(0, read(zero));

        assertEquals(List.of(zero + ": not a regular file (a FIFO, device or socket?); not read"), messages());
    }

    @Test
    void shouldReadLinesSpanningReadChunks() throws IOException
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5000; i++)
        {
            text.append("{\"i\":").append(i).append(",\"pad\":\"").append("p".repeat(i % 97)).append("\"}\n");
        }
        final Path file = write(text.toString());

        assertEquals(5000, read(file));
        assertEquals(List.of(), problems);
        assertEquals(4999, records.get(5000L).get("i").intValue());
    }

    private long read(final Path file)
    {
        return JsonLinesReader.read(file, records::put, problems::add);
    }

    private List<String> messages()
    {
        final List<String> messages = new ArrayList<>();
        for (final Problem problem : problems)
        {
            messages.add(problem.toString());
        }

        return messages;
    }

    private Path write(final String text) throws IOException
    {
        return write(text.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(final byte[] bytes) throws IOException
    {
        return Files.write(dir.resolve("input.jsonl"), bytes);
    }
}
