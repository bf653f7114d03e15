package io.blackbox.exporter;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Maps a run id to a file name stem that is safe on every file system, and back, one to one.
 * <p>
 * The letters {@code A-Z a-z}, digits, {@code _}, {@code -} and {@code .} are kept; every other byte of the run id's
 * UTF-8 form, {@code %} included, becomes {@code %XX} in upper-case hex. When the run id starts with a dot, every dot
 * is encoded as well, so no stem is {@code .}, {@code ..} or a hidden file. A UUID passes through unchanged, and
 * {@code /}, {@code \}, control characters and NUL never reach the file system.
 * <pre>
 * fbbeb25f-02c0-4aa5-a7eb-5a9884cbcb51  ->  fbbeb25f-02c0-4aa5-a7eb-5a9884cbcb51
 * a/b                                   ->  a%2Fb
 * ..                                    ->  %2E%2E
 * 50%                                   ->  50%25
 * é                                     ->  %C3%A9
 * </pre>
 * {@link #decode(String)} accepts only what {@link #encode(String)} produces, so two file names never map to the same
 * run id. Letter case is kept: on a case-insensitive file system {@code Run} and {@code run} would share a file,
 * which {@link RunJsonLines} refuses.
 */
public final class RunFileNames
{
    /**
     * The longest stem, in bytes, leaving room under the common 255-byte file name limit for an extension and a
     * temporary-file suffix.
     */
    public static final int MAX_STEM_LENGTH = 240;

    private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

    private RunFileNames()
    {
    }

    /**
     * The file name stem for a run id.
     *
     * @param runId the run id.
     * @return the stem, ASCII, at most {@link #MAX_STEM_LENGTH} bytes.
     * @throws IllegalArgumentException if the run id is empty, is not valid Unicode (an unpaired surrogate), or its
     *                                  stem would be longer than {@link #MAX_STEM_LENGTH}.
     */
    public static String encode(final String runId)
    {
        Objects.requireNonNull(runId, "runId");
        if (runId.isEmpty())
        {
            throw new IllegalArgumentException("run_id must not be empty to name a file");
        }

        final ByteBuffer utf8 = toUtf8(runId);
        final boolean encodeDots = '.' == runId.charAt(0);
        final StringBuilder stem = new StringBuilder(utf8.remaining() + 16);
        while (utf8.hasRemaining())
        {
            final int b = utf8.get() & 0xFF;
            if (isKept(b) || ('.' == b && !encodeDots))
            {
                stem.append((char)b);
            }
            else
            {
                stem.append('%').append(HEX_DIGITS[b >>> 4]).append(HEX_DIGITS[b & 0xF]);
            }
        }

        if (stem.length() > MAX_STEM_LENGTH)
        {
            throw new IllegalArgumentException("run_id is too long to name a file: its file name stem is " +
                stem.length() + " bytes, more than " + MAX_STEM_LENGTH);
        }

        return stem.toString();
    }

    /**
     * The relative path, without extension, of a run whose {@code /}-separated id names folders (agent telemetry's
     * {@code logs/telemetry/<run_id>.jsonl}): each segment encoded as {@link #encode(String)} encodes a whole id, so
     * no segment is {@code .}, {@code ..}, hidden or empty, and the path stays under the directory it is resolved
     * against. A run id with an empty segment ({@code /a}, {@code a/}, {@code a//b}) cannot be folders and is one
     * encoded name, its slashes {@code %2F}. Different run ids give different paths.
     * <pre>
     * team/exp-1/run-7  ->  team/exp-1/run-7
     * ../x              ->  %2E%2E/x
     * a//b              ->  a%2F%2Fb
     * </pre>
     *
     * @param runId the run id.
     * @return the path, {@code /}-separated, ASCII.
     * @throws IllegalArgumentException as {@link #encode(String)}, for the whole id or a segment.
     */
    public static String encodePath(final String runId)
    {
        Objects.requireNonNull(runId, "runId");
        final String[] segments = runId.split("/", -1);
        for (final String segment : segments)
        {
            if (segment.isEmpty())
            {
                return encode(runId);
            }
        }
        final StringBuilder path = new StringBuilder(runId.length());
        for (final String segment : segments)
        {
            if (path.length() > 0)
            {
                path.append('/');
            }
            path.append(encode(segment));
        }

        return path.toString();
    }

    /**
     * The run id a path from {@link #encodePath(String)} stands for.
     *
     * @param path the path, {@code /}-separated, without extension.
     * @return the run id.
     * @throws IllegalArgumentException if the path is not exactly what {@link #encodePath(String)} gives for some id.
     */
    public static String decodePath(final String path)
    {
        Objects.requireNonNull(path, "path");
        final String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++)
        {
            segments[i] = decode(segments[i]);
        }
        final String decoded = String.join("/", segments);
        if (!path.equals(encodePath(decoded)))
        {
            throw new IllegalArgumentException("not a run path: " + path + " is not how run " + decoded + " is written");
        }

        return decoded;
    }

    /**
     * The run id a file name stem stands for.
     *
     * @param stem a stem as {@link #encode(String)} produces it, without extension.
     * @return the run id.
     * @throws IllegalArgumentException if the stem is not exactly what {@link #encode(String)} gives for some run id.
     */
    public static String decode(final String stem)
    {
        Objects.requireNonNull(stem, "stem");
        if (stem.isEmpty())
        {
            throw new IllegalArgumentException("run file name stem must not be empty");
        }

        final ByteBuffer bytes = ByteBuffer.allocate(stem.length());
        for (int i = 0; i < stem.length(); i++)
        {
            final char c = stem.charAt(i);
            if ('%' == c)
            {
                final int high = i + 1 < stem.length() ? hexValue(stem.charAt(i + 1)) : -1;
                final int low = i + 2 < stem.length() ? hexValue(stem.charAt(i + 2)) : -1;
                if (high < 0 || low < 0)
                {
                    throw new IllegalArgumentException(
                        "not a run file name: '%' at index " + i + " is not followed by two upper-case hex digits");
                }
                bytes.put((byte)((high << 4) | low));
                i += 2;
            }
            else if (c < 0x80 && (isKept(c) || '.' == c))
            {
                bytes.put((byte)c);
            }
            else
            {
                throw new IllegalArgumentException("not a run file name: character U+" +
                    String.format(Locale.ROOT, "%04X", (int)c) + " at index " + i);
            }
        }
        bytes.flip();

        final String runId;
        try
        {
            runId = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(bytes)
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new IllegalArgumentException("not a run file name: its escapes are not valid UTF-8", ex);
        }

        // Only the one canonical spelling is accepted, so "%61" and "a" cannot both name run "a".
        if (!stem.equals(encode(runId)))
        {
            throw new IllegalArgumentException("not a run file name: not the canonical encoding of its run_id");
        }

        return runId;
    }

    private static boolean isKept(final int c)
    {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || '_' == c || '-' == c;
    }

    private static int hexValue(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }

        return -1;
    }

    private static ByteBuffer toUtf8(final String runId)
    {
        try
        {
            // String.getBytes would turn an unpaired surrogate into '?', and two run ids into one file.
            return StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(CharBuffer.wrap(runId));
        }
        catch (final CharacterCodingException ex)
        {
            throw new IllegalArgumentException("run_id is not valid Unicode: it holds an unpaired surrogate", ex);
        }
    }
}
