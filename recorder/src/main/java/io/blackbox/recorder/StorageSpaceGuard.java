package io.blackbox.recorder;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the drainer from writing into a file system that has no room left.
 * <p>
 * Chronicle Queue writes through memory-mapped files that grow sparse: a page gets its disk block when it is first
 * touched, and when the file system has none left the store faults (SIGBUS), which the JVM turns into an
 * {@link InternalError} at some later instruction of the writing thread. That fault cannot be handled where it
 * happens, so the drainer asks the file system first. Asking is a system call ({@code statvfs}), so it asks only
 * after it has written half of the room it last saw (at most {@link #MAX_BYTES_BETWEEN_CHECKS}): with gigabytes
 * free that is a few calls a second at full rate; near the end, a call per batch.
 * <p>
 * The reserve is left free for what Chronicle writes besides batches (index pages, the next cycle's file header)
 * and for readers: on tmpfs even reading a hole of a mapped file allocates a page. Only the drainer thread uses
 * this class.
 */
final class StorageSpaceGuard
{
    /** Most bytes written between two looks at the file system, so space taken by others is noticed. */
    static final long MAX_BYTES_BETWEEN_CHECKS = 64L * 1024 * 1024;

    private final FileStore store;
    private final long reserveBytes;
    private long allowanceBytes;
    private long lastUsableBytes = -1;

    StorageSpaceGuard(final Path directory, final long reserveBytes) throws IOException
    {
        this.store = Files.getFileStore(directory);
        this.reserveBytes = reserveBytes;
    }

    /**
     * @param bytes the most the next write adds to the file system.
     * @return true when the write fits and leaves the reserve free; false when the file system is too full.
     */
    boolean hasRoomFor(final int bytes)
    {
        if (allowanceBytes >= bytes)
        {
            return true;
        }
        final long usable = usableBytes();
        lastUsableBytes = usable;
        final long room = usable - reserveBytes;
        if (room < bytes)
        {
            allowanceBytes = 0;
            return false;
        }
        allowanceBytes = Math.max(bytes, Math.min(room / 2, MAX_BYTES_BETWEEN_CHECKS));
        return true;
    }

    /**
     * Count bytes written since the last look at the file system.
     */
    void wrote(final int bytes)
    {
        allowanceBytes -= bytes;
    }

    /**
     * @return usable bytes the file system reported at the last look, -1 before the first.
     */
    long lastUsableBytes()
    {
        return lastUsableBytes;
    }

    long reserveBytes()
    {
        return reserveBytes;
    }

    private long usableBytes()
    {
        try
        {
            return store.getUsableSpace();
        }
        catch (final IOException ex)
        {
            return 0; // a file system that cannot say how much room it has is treated as full, and asked again later
        }
    }
}
