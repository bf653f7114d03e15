package io.blackbox.exporter;

import java.util.function.LongConsumer;

/**
 * How far the files a command reads are read, for its progress bar: {@link JsonLinesReader} reports the bytes of the
 * file it is reading to the listener the calling thread set, so validators and importers, which read through it, show
 * progress without a parameter of their own. A thread without a listener pays one {@link ThreadLocal} read a chunk.
 */
public final class ReadProgress
{
    private static final ThreadLocal<LongConsumer> LISTENER = new ThreadLocal<>();

    private ReadProgress()
    {
    }

    /**
     * Run {@code work} with {@code listener} told the bytes read of each file this thread reads meanwhile.
     *
     * @param listener receives the bytes read so far of the file being read (from 0 for each file).
     * @param work     what reads.
     * @return what {@code work} returns.
     */
    public static <T> T during(final LongConsumer listener, final java.util.function.Supplier<T> work)
    {
        final LongConsumer previous = LISTENER.get();
        LISTENER.set(listener);
        try
        {
            return work.get();
        }
        finally
        {
            if (null == previous)
            {
                LISTENER.remove();
            }
            else
            {
                LISTENER.set(previous);
            }
        }
    }

    static void bytesRead(final long bytes)
    {
        final LongConsumer listener = LISTENER.get();
        if (null != listener)
        {
            listener.accept(bytes);
        }
    }
}
