package io.blackbox.exporter;

import com.fasterxml.jackson.core.JsonGenerator;
import io.blackbox.recorder.JsonValues;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A JSONL file that appears whole: lines go to a temporary file beside the target, which is renamed over the
 * target on {@link #commit()}. Until then a reader sees the previous file or none, never half a file.
 * <p>
 * Lines are whole too: the generator writes into a buffer that reaches the file only at {@link #endLine()}, so a
 * line whose writing fails half-way can be dropped with {@link #discardLine()}.
 * <p>
 * A {@link #live} file is written in place instead, for a reader that watches it grow ({@code export --follow}): it
 * grows by whole lines only, each {@code write} to it ending at a line's end, and {@link #flush()} pushes the lines
 * ended so far to it. (A reader that looks during a write may still see part of its last line: the kernel makes an
 * appended write visible a page at a time; text after the last newline is not yet written.)
 * <p>
 * A {@link #toSink} writer writes no file: each line ended goes whole to a {@link LineSink}, for a reader in the same
 * process ({@code watch --recording}); its target only names the lines' stream.
 */
public final class JsonLinesWriter implements AutoCloseable
{
    /**
     * Receives a {@link #toSink} writer's lines, each whole, in order.
     */
    @FunctionalInterface
    public interface LineSink
    {
        /**
         * @param bytes  holding the line, its newline included; valid during the call only.
         * @param offset of the line's first byte.
         * @param length of the line, newline included.
         */
        void line(byte[] bytes, int offset, int length);
    }

    private final Path target;
    private final Path temporary;
    private final boolean inPlace;
    private final OutputStream out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    private JsonGenerator generator;
    private long lines;
    private boolean done;

    /**
     * A file that appears whole on {@link #commit()}.
     *
     * @param target the file.
     */
    public JsonLinesWriter(final Path target)
    {
        this(target, false);
    }

    /**
     * A file written in place, growing by whole lines as {@link #flush()} pushes them, for a reader that watches it.
     * What the target held before is replaced.
     *
     * @param target the file.
     * @return the writer.
     */
    public static JsonLinesWriter live(final Path target)
    {
        return new JsonLinesWriter(target, true);
    }

    /**
     * A writer of no file: each line, when ended, goes whole to {@code sink}.
     *
     * @param target the name of the lines' stream, as a file's would be (the writer creates nothing there).
     * @param sink   receives each line.
     * @return the writer.
     */
    public static JsonLinesWriter toSink(final Path target, final LineSink sink)
    {
        return new JsonLinesWriter(target, new OutputStream()
        {
            public void write(final int b)
            {
                write(new byte[] {(byte)b}, 0, 1);
            }

            public void write(final byte[] bytes, final int offset, final int length)
            {
                // endLine() hands over one whole line in one write (ByteArrayOutputStream.writeTo).
                sink.line(bytes, offset, length);
            }
        });
    }

    private JsonLinesWriter(final Path target, final OutputStream sink)
    {
        this.target = target;
        this.temporary = null;
        this.inPlace = false;
        this.out = sink;
        generator = newGenerator();
    }

    private JsonLinesWriter(final Path target, final boolean live)
    {
        this.target = target;
        this.temporary = live ? null : target.resolveSibling("." + target.getFileName() + ".tmp");
        this.inPlace = live;
        try
        {
            Files.createDirectories(target.getParent());
            // Every write the buffer makes holds whole lines: endLine() hands it one whole line at a time, and a
            // BufferedOutputStream writes a chunk it is handed either whole or after what it holds, never split.
            // A live file is written where its reader sees each flush; a temporary one by the background writer, while
            // this thread formats the next lines.
            out = live ? new BufferedOutputStream(Files.newOutputStream(target), 1 << 16) :
                new BackgroundFileOutput(temporary);
            generator = newGenerator();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + target + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @return whether the file is written in place ({@link #live}).
     */
    public boolean isLive()
    {
        return null == temporary;
    }

    /**
     * Push the lines ended so far to the file. A file that appears whole on {@link #commit()} is not visible before,
     * so this matters only for a {@link #live} one.
     */
    public void flush() throws IOException
    {
        out.flush();
    }

    /**
     * @return the generator to write the next line's object with; ask again after {@link #discardLine()}.
     */
    public JsonGenerator generator()
    {
        return generator;
    }

    /**
     * End the current line: it goes to the file.
     */
    public void endLine() throws IOException
    {
        generator.writeRaw('\n');
        generator.flush();
        line.writeTo(out);
        line.reset();
        lines++;
    }

    /**
     * Drop what was written of the current line, e.g. for a record that failed to decode half-way: the file keeps
     * only whole lines.
     */
    public void discardLine()
    {
        line.reset();
        // The generator is inside the abandoned object: a new one starts clean. The old one is not closed, as closing
        // would write the missing brackets.
        generator = newGenerator();
    }

    public long lines()
    {
        return lines;
    }

    public Path target()
    {
        return target;
    }

    /**
     * Flush, close and move the file into place.
     */
    public void commit() throws IOException
    {
        if (done)
        {
            return;
        }
        done = true;
        generator.close();
        line.writeTo(out);
        out.close();
        if (null != temporary)
        {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Discard the file: the target is left as it was. A {@link #live} file keeps the lines ended so far (a reader may
     * have read them already) and drops a line not ended.
     */
    public void close()
    {
        if (done)
        {
            return;
        }
        done = true;
        try
        {
            generator.close(); // its closing brackets of a line not ended go to the line buffer, never to the file
            out.close();
        }
        catch (final IOException ignore)
        {
            // the temporary file is being discarded
        }
        // A live file that never got a line goes as a temporary one does: it was ours, and it holds nothing.
        final Path discarded = inPlace ? (lines == 0 ? target : null) : temporary;
        if (null == discarded)
        {
            return;
        }
        try
        {
            Files.deleteIfExists(discarded);
        }
        catch (final IOException ignore)
        {
            // best effort: a stale hidden .tmp file is harmless and replaced next time
        }
    }

    private JsonGenerator newGenerator()
    {
        try
        {
            final JsonGenerator newGenerator = JsonValues.FACTORY.createGenerator(line);
            // One object per line: no separator between root values (a pretty printer would slow every field);
            // endLine() writes the newline.
            newGenerator.setRootValueSeparator(null);
            return newGenerator;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + target + ": " + ex.getMessage(), ex);
        }
    }
}
