package io.blackbox.exporter;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * A file written on a thread of its own: the exporting thread fills 64 KiB chunks (what its buffered stream held
 * before, so an export of many runs' files takes no more memory) and hands each full one to one daemon thread, which writes them in order, so formatting lines and the kernel's work of writing them (a quarter of an
 * export's time: 14 s of 47 for the demo's 4 GB) run on two cores. At most {@link #CHUNKS_IN_FLIGHT} chunks of a file
 * wait to be written; the exporting thread waits for a free one beyond that. {@link #close()} waits until every chunk of
 * the file is written, and a write that failed fails the next call, so a file that closed without an exception holds
 * every byte written to it.
 * <p>
 * For files that appear whole when written ({@link JsonLinesWriter}'s temporary files): a file that a reader watches
 * grow is written in place, synchronously, so that a flush makes its lines visible.
 */
final class BackgroundFileOutput extends OutputStream
{
    static final int CHUNK_BYTES = 1 << 16;
    static final int CHUNKS_IN_FLIGHT = 4;

    /**
     * One thread for every file, whichever thread fills it: chunks of a file are written in the order handed over. An
     * export on several threads ({@link PartitionedExport}) shares it too: each exporting thread waits only for chunks
     * of its own files, memory stays at most {@link #CHUNKS_IN_FLIGHT} chunks a file, and the writer's work (the kernel
     * copying the chunks, 6-9 s of CPU for the demo's 3.8 GB) fits beside two exporting threads on two cores.
     */
    private static final ExecutorService WRITER = Executors.newSingleThreadExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "blackbox-file-writer");
        thread.setDaemon(true);
        return thread;
    });

    private final Path path;
    private final FileChannel channel;
    private final Semaphore free = new Semaphore(CHUNKS_IN_FLIGHT);
    /** Chunks written, for the next ones to fill: no chunk is allocated past the first few. */
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> spare = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private byte[] chunk = new byte[CHUNK_BYTES];
    private int length;
    private volatile IOException failure;
    private boolean closed;

    BackgroundFileOutput(final Path path) throws IOException
    {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public void write(final int b) throws IOException
    {
        write(new byte[] {(byte)b}, 0, 1);
    }

    @Override
    public void write(final byte[] bytes, final int offset, final int count) throws IOException
    {
        throwIfFailed();
        int from = offset;
        int left = count;
        while (left > 0)
        {
            final int n = Math.min(left, chunk.length - length);
            System.arraycopy(bytes, from, chunk, length, n);
            length += n;
            from += n;
            left -= n;
            if (length == chunk.length)
            {
                handOver();
            }
        }
    }

    /**
     * Nothing: the chunks go as they fill, and {@link #close()} writes the rest. The file is not read before it is
     * whole.
     */
    @Override
    public void flush() throws IOException
    {
        throwIfFailed();
    }

    @Override
    public void close() throws IOException
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            if (length > 0)
            {
                handOver();
            }
            // Every chunk handed over is written once all the permits are back.
            free.acquire(CHUNKS_IN_FLIGHT);
            free.release(CHUNKS_IN_FLIGHT);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(path + ": interrupted while its last chunks were written");
        }
        finally
        {
            channel.close();
        }
        throwIfFailed();
    }

    private void handOver() throws IOException
    {
        try
        {
            free.acquire();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(path + ": interrupted while waiting to write");
        }
        final byte[] written = chunk;
        final ByteBuffer full = ByteBuffer.wrap(written, 0, length);
        final byte[] next = spare.poll(); // the full one belongs to the writer until written
        chunk = null != next ? next : new byte[CHUNK_BYTES];
        length = 0;
        WRITER.execute(() ->
        {
            try
            {
                if (null == failure)
                {
                    while (full.hasRemaining())
                    {
                        channel.write(full);
                    }
                }
            }
            catch (final IOException ex)
            {
                failure = ex;
            }
            finally
            {
                spare.offer(written);
                free.release();
            }
        });
    }

    private void throwIfFailed() throws IOException
    {
        final IOException ex = failure;
        if (null != ex)
        {
            throw new IOException("cannot write " + path + ": " + ex.getMessage(), ex);
        }
    }
}
