package io.blackbox.exporter;

import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.Wires;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The excerpts of a recording's Chronicle queue, read straight from its cycle files ({@code queue/*.cq4}, in name
 * order, which is cycle order), read-only, never memory-mapped.
 * <p>
 * Chronicle's own tailer is not used because of what it does with a damaged queue: it maps past the end of a
 * truncated file (the JVM turns the SIGBUS into an {@code InternalError}), waits for its timeout and then reads
 * nothing at all when a cycle file is empty (and had not returned after 20 s when it was the last one), fails with
 * {@code ClassNotFoundException: SCQSIndex} on a damaged file header, and stops without a word at a cycle file that
 * lacks its end marker, so every later cycle is lost. A read-only queue also needs an intact {@code metadata.cq4t}.
 * <p>
 * Only Chronicle's document framing is used, which its queue files have kept across versions: each document is a
 * 4-byte little-endian header (bits 0-29 length, bit 30 {@link Wires#META_DATA}, bit 31 {@link Wires#NOT_COMPLETE}),
 * its bytes, then padding to a multiple of 4; {@link Wires#END_OF_DATA} ends a cycle file; a zero header is where
 * the writer stopped. Metadata documents (the file header, index arrays) are skipped; each data document is a
 * recording batch ({@link RecordingBatchDescriptor}) whose CRC tells a real batch from bytes that only look like one.
 * <p>
 * Where the framing cannot be followed (a header damaged, a file cut short, bytes zeroed), the damage is described
 * and reading resumes at the next document holding a batch whose CRC is right, or else at the next cycle file, so a
 * damaged file costs only its damaged part and never the files after it. Excerpt headers have no CRC, so a damaged
 * length is also looked for where it would otherwise go unseen: a failed batch whose length does not lead to another
 * document, a metadata document that holds a batch, a good batch after unverified documents that does not start where
 * the ring's previous batch ended. Then the search starts again from the first document no CRC vouched for, and a
 * batch whose excerpt header alone was damaged is read when it exactly fills the space before the next good one.
 */
public final class QueueReader implements AutoCloseable
{
    /**
     * Receives each data document of the queue: a batch, or what claims to be one.
     */
    @FunctionalInterface
    public interface ExcerptHandler
    {
        /**
         * @param file         the cycle file.
         * @param excerptOffset byte offset of the document header in the file.
         * @param buffer       holding the document's bytes, valid only during the call.
         * @param offset       of the document's bytes in {@code buffer}.
         * @param length       of the document's bytes.
         */
        void onExcerpt(Path file, long excerptOffset, DirectBuffer buffer, int offset, int length);
    }

    /** Every Chronicle document starts at a multiple of this. */
    private static final int DOCUMENT_ALIGNMENT = 4;
    private static final int DOCUMENT_HEADER_LENGTH = Wires.SPB_HEADER_SIZE;
    /** The smallest batch: its header alone (a coded batch of ring padding only stores no record). */
    private static final int MIN_BATCH_LENGTH = RecordingBatchDescriptor.HEADER_LENGTH;
    /** Batch versions a later writer might use; a larger number is not a batch header. */
    private static final int MAX_PLAUSIBLE_BATCH_VERSION = 15;
    private static final int INITIAL_WINDOW = 2 << 20;

    private final Path queueDirectory;
    private final Consumer<String> damage;
    private final List<CycleFile> files = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private final UnsafeBuffer window = new UnsafeBuffer(0, 0);
    /** Starts of the latest documents no CRC vouched for since the last good batch of the file being read. */
    private final long[] suspects = new long[16];
    private ByteBuffer windowBytes;
    private CycleFile windowFile;
    private long windowStart;
    private int windowLength;
    private int current;
    private int suspectCount;
    /** Ring id and ring positions of the batch {@link #isBatch} last vouched for. */
    private long batchRingId;
    private long batchRingStart;
    private long batchRingEnd;
    /** Ring id of the last batch handed on, and the ring position its next batch starts at (-1: none yet). */
    private long chainRingId;
    private long chainRingEnd = -1;

    /**
     * @param queueDirectory the recording's {@code queue/} directory.
     * @param damage         receives one line per damaged part skipped, naming the file and byte offset.
     */
    public QueueReader(final Path queueDirectory, final Consumer<String> damage)
    {
        this.queueDirectory = queueDirectory;
        this.damage = damage;
        allocateWindow(INITIAL_WINDOW);
    }

    /**
     * Read every excerpt from where the last call stopped.
     *
     * @param handler receives each data document.
     * @param closed  whether the recording is closed: then the end of the last cycle file is checked like the end of
     *                any other (bytes after a zero header, a file cut short). While a recorder may still be writing,
     *                pass {@code false}: reading stops where the writer is, and the next call goes on from there.
     */
    public void read(final ExcerptHandler handler, final boolean closed)
    {
        listNewFiles();
        windowFile = null; // a writer may have written since the last call: read the files again
        while (current < files.size())
        {
            final CycleFile file = files.get(current);
            final boolean tailing = !closed && current == files.size() - 1;
            try
            {
                readFile(file, tailing, handler);
            }
            catch (final RecordingException ex)
            {
                damage.accept(ex.getMessage() + "; rest of the file skipped");
                file.done = true;
            }
            if (!file.done)
            {
                return;
            }
            file.close();
            current++;
        }
    }

    /**
     * @return the cycle files found so far.
     */
    int cycleFiles()
    {
        return files.size();
    }

    private void listNewFiles()
    {
        final List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(queueDirectory, "*" + SingleChronicleQueue.SUFFIX))
        {
            for (final Path path : stream)
            {
                found.add(path);
            }
        }
        catch (final IOException ex)
        {
            damage.accept(queueDirectory + ": cannot list the cycle files: " + ex.getMessage());
            return;
        }
        found.sort(null);
        final String lastKnown = files.isEmpty() ? "" : files.get(files.size() - 1).path.getFileName().toString();
        for (final Path path : found)
        {
            // Cycle file names sort in cycle order; a file named before the last known one is not a new cycle.
            if (path.getFileName().toString().compareTo(lastKnown) > 0)
            {
                files.add(new CycleFile(path));
            }
        }
    }

    private void readFile(final CycleFile file, final boolean tailing, final ExcerptHandler handler)
    {
        final long size;
        try
        {
            file.open();
            size = file.channel.size();
        }
        catch (final IOException | RuntimeException ex)
        {
            damage.accept(file.path + ": cannot read: " + ex.getMessage() + "; file skipped");
            file.done = true;
            return;
        }

        long position = file.position;
        // Start (past its header) of the earliest document since the last good batch that no CRC vouched for
        // (metadata, or a batch that failed): if the framing breaks later, its header may be what was wrong.
        long unverifiedFrom = -1;
        suspectCount = 0;
        while (true)
        {
            if (position + DOCUMENT_HEADER_LENGTH > size)
            {
                if (tailing)
                {
                    file.position = position;
                    return;
                }
                damage.accept(file.path + (size == 0 ? ": empty file (0 bytes), no header" :
                    " offset " + position + ": the file ends here, " + size + " bytes, without an end-of-cycle marker: " +
                    "truncated") + "; nothing after it to read");
                file.done = true;
                return;
            }
            final int header = readInt(file, position, size);
            if (header == Wires.END_OF_DATA)
            {
                file.done = true;
                return;
            }
            if (header == Wires.NOT_INITIALIZED)
            {
                if (tailing)
                {
                    file.position = position; // where the writer will write next
                    return;
                }
                // The end of what was written, unless a header was zeroed, or a damaged length led here: then a good
                // batch follows somewhere (looked for from the first document no CRC vouched for).
                final long from = unverifiedFrom >= 0 ? unverifiedFrom : position + DOCUMENT_HEADER_LENGTH;
                final long next = findBatch(file, from, size);
                if (next < 0)
                {
                    file.done = true;
                    return;
                }
                damage.accept(file.path + " offset " + position + ": no excerpt header here (zeroed, or a damaged " +
                    "length before it led here); resumed at the next good batch, offset " + next);
                recoverDamagedBatch(file, position, next, size, handler);
                position = next;
                unverifiedFrom = -1;
                suspectCount = 0;
                continue;
            }

            final int length = header & Wires.LENGTH_MASK;
            final long end = position + DOCUMENT_HEADER_LENGTH + length;
            final boolean metadata = (header & Wires.META_DATA) != 0;
            final boolean complete = (header & Wires.NOT_COMPLETE) == 0 && end <= size;
            // A batch is vouched for by its CRC; metadata is Chronicle's, unless a damaged flag hides a batch.
            final boolean batch = complete && isBatch(file, position, length, size);
            final String problem;
            if ((header & Wires.NOT_COMPLETE) != 0)
            {
                if (tailing && header == Wires.NOT_COMPLETE_UNKNOWN_LENGTH)
                {
                    file.position = position; // being written
                    return;
                }
                problem = "excerpt header 0x" + Integer.toHexString(header) + " is marked incomplete (its writer " +
                    "stopped, or the header is damaged)";
            }
            else if (end > size)
            {
                problem = "excerpt of " + length + " bytes runs past the end of the file (" + size + " bytes): truncated";
            }
            else if (!metadata && !batch && !isDocumentAt(file, BitUtil.align(end, DOCUMENT_ALIGNMENT), size))
            {
                // A batch whose CRC fails is handed on as damaged only when its length leads to the next excerpt
                // and it holds no whole batch (below): otherwise its length is what was damaged, and the batch may
                // yet be found whole.
                problem = "excerpt of " + length + " bytes is not followed by another: its length is damaged";
            }
            else if (!batch && hidesBatch(file, position, end, size))
            {
                // A length damaged to end just where another excerpt begins carries the framing over the batches
                // between unseen: Chronicle's metadata has no CRC to say so, and a failed batch's CRC only says the
                // bytes its length covers are wrong. A whole batch inside says which.
                problem = (metadata ? "metadata excerpt of " : "excerpt of ") + length + " bytes holds a batch: its " +
                    "length is damaged";
            }
            else
            {
                problem = null;
            }

            if (problem == null)
            {
                if (batch && unverifiedFrom >= 0 && ringGap())
                {
                    // A damaged length may have carried the framing over whole batches: look between.
                    final long passedOver = findBatch(file, unverifiedFrom, position, size);
                    if (passedOver >= 0)
                    {
                        damage.accept(file.path + " offset " + passedOver + ": batches passed over by a damaged " +
                            "excerpt length before it; read");
                        recoverDamagedBatch(file, passedOver, passedOver, size, handler);
                        position = passedOver;
                        unverifiedFrom = -1;
                        suspectCount = 0;
                        continue;
                    }
                    isBatch(file, position, length, size); // the batch here again: the search vouched for others
                }
                if (batch && metadata)
                {
                    damage.accept(file.path + " offset " + position + ": a batch whose excerpt header says metadata " +
                        "(header damaged); batch read");
                }
                if (batch)
                {
                    deliverBatch(file, position, length, size, handler);
                }
                else if (!metadata)
                {
                    // A failed batch goes to the handler too, which says what is wrong with it.
                    load(file, position, DOCUMENT_HEADER_LENGTH + length, size);
                    handler.onExcerpt(file.path, position, window, (int)(position - windowStart) + DOCUMENT_HEADER_LENGTH,
                        length);
                }
                if (batch)
                {
                    unverifiedFrom = -1;
                    suspectCount = 0;
                }
                else
                {
                    if (unverifiedFrom < 0)
                    {
                        unverifiedFrom = position + DOCUMENT_HEADER_LENGTH;
                    }
                    suspects[suspectCount++ % suspects.length] = position;
                }
                position = BitUtil.align(end, DOCUMENT_ALIGNMENT);
                continue;
            }

            // The framing is lost here. Look for the next good batch from the first document no CRC vouched for.
            final long from = unverifiedFrom >= 0 ? unverifiedFrom : position + DOCUMENT_HEADER_LENGTH;
            final long next = findBatch(file, from, size);
            if (next < 0)
            {
                damage.accept(file.path + " offset " + position + ": " + problem + "; rest of the file (" +
                    (size - position) + " bytes) skipped, no good batch after it");
                file.done = true;
                return;
            }
            damage.accept(file.path + " offset " + position + ": " + problem + "; resumed at the next good batch, " +
                "offset " + next);
            recoverDamagedBatch(file, position, next, size, handler);
            position = next;
            unverifiedFrom = -1;
            suspectCount = 0;
        }
    }

    /**
     * @return whether a document can start at {@code position}: the end of what was written, the end marker,
     * Chronicle's metadata, or a batch whose CRC is right.
     */
    private boolean isDocumentAt(final CycleFile file, final long position, final long size)
    {
        if (position + DOCUMENT_HEADER_LENGTH > size)
        {
            return true; // the end of the file
        }
        final int header = readInt(file, position, size);
        if (header == Wires.NOT_INITIALIZED || header == Wires.END_OF_DATA)
        {
            return true;
        }
        final int length = header & Wires.LENGTH_MASK;
        if ((header & Wires.NOT_COMPLETE) != 0 || position + DOCUMENT_HEADER_LENGTH + length > size)
        {
            return false;
        }
        if ((header & Wires.META_DATA) != 0)
        {
            return !hidesBatch(file, position, position + DOCUMENT_HEADER_LENGTH + length, size);
        }
        return isBatch(file, position, length, size);
    }

    /**
     * @return whether a batch whose CRC is right starts inside the document at {@code position} ending at {@code end}.
     */
    private boolean hidesBatch(final CycleFile file, final long position, final long end, final long size)
    {
        return findBatch(file, position + DOCUMENT_HEADER_LENGTH, end, size) >= 0;
    }

    /**
     * @return whether the data document at {@code position} holds a batch whose CRC is right.
     */
    private boolean isBatch(final CycleFile file, final long position, final int length, final long size)
    {
        if (length < MIN_BATCH_LENGTH || position + DOCUMENT_HEADER_LENGTH + length > size)
        {
            return false;
        }
        // Cheap checks first: while looking for the next batch, most candidates are arbitrary bytes.
        load(file, position, DOCUMENT_HEADER_LENGTH + RecordingBatchDescriptor.HEADER_LENGTH, size);
        final int headerIndex = (int)(position - windowStart) + DOCUMENT_HEADER_LENGTH;
        final int version = window.getInt(headerIndex + RecordingBatchDescriptor.BATCH_VERSION_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final int recordsLength = window.getInt(headerIndex + RecordingBatchDescriptor.RECORDS_LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final int storedLength = length - RecordingBatchDescriptor.HEADER_LENGTH;
        // Stored records are the ring's bytes or a coding of them, never far longer (a coding leaves padding out, so it
        // can be far shorter).
        if (version < RecordingBatchDescriptor.BATCH_VERSION || version > MAX_PLAUSIBLE_BATCH_VERSION ||
            recordsLength < RecordingBatchDescriptor.RECORD_HEADER_LENGTH ||
            (version == RecordingBatchDescriptor.BATCH_VERSION && recordsLength != storedLength) ||
            storedLength > 2L * recordsLength + 64)
        {
            return false;
        }

        load(file, position, DOCUMENT_HEADER_LENGTH + length, size);
        final int batchIndex = (int)(position - windowStart) + DOCUMENT_HEADER_LENGTH;
        final ByteBuffer stored = windowBytes.duplicate();
        stored.limit(batchIndex + length).position(batchIndex + RecordingBatchDescriptor.HEADER_LENGTH);
        crc.reset();
        crc.update(stored);
        if ((int)crc.getValue() != window.getInt(batchIndex + RecordingBatchDescriptor.CRC_OFFSET, ByteOrder.LITTLE_ENDIAN))
        {
            return false;
        }
        batchRingId = window.getLong(batchIndex + RecordingBatchDescriptor.RING_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
        batchRingEnd = window.getLong(batchIndex + RecordingBatchDescriptor.RING_POSITION_OFFSET, ByteOrder.LITTLE_ENDIAN) +
            recordsLength;
        batchRingStart = batchRingEnd - recordsLength;
        return true;
    }

    /**
     * Hand on a batch {@link #isBatch} just vouched for, and note where the ring's next batch must start.
     */
    private void deliverBatch(final CycleFile file, final long position, final int length, final long size,
        final ExcerptHandler handler)
    {
        final long ringId = batchRingId;
        final long ringEnd = batchRingEnd;
        load(file, position, DOCUMENT_HEADER_LENGTH + length, size);
        handler.onExcerpt(file.path, position, window, (int)(position - windowStart) + DOCUMENT_HEADER_LENGTH, length);
        chainRingId = ringId;
        chainRingEnd = ringEnd;
    }

    /**
     * @return whether the batch {@link #isBatch} just vouched for does not start where the ring's last batch ended:
     * batches of one ring follow each other in ring positions, so a gap after damage means batches were passed over.
     */
    private boolean ringGap()
    {
        return chainRingEnd >= 0 && batchRingId == chainRingId && batchRingStart != chainRingEnd;
    }

    /**
     * @return the offset of the first document header at or after {@code from} that starts a batch whose CRC is
     * right, or -1.
     */
    private long findBatch(final CycleFile file, final long from, final long size)
    {
        return findBatch(file, from, size, size);
    }

    /**
     * @param limit look at headers before this offset only.
     */
    private long findBatch(final CycleFile file, final long from, final long limit, final long size)
    {
        long position = BitUtil.align(from, DOCUMENT_ALIGNMENT);
        while (position < limit && position + DOCUMENT_HEADER_LENGTH + MIN_BATCH_LENGTH <= size)
        {
            load(file, position, DOCUMENT_HEADER_LENGTH, size);
            final int last = windowLength - DOCUMENT_HEADER_LENGTH;
            int index = (int)(position - windowStart);
            while (index <= last && window.getInt(index, ByteOrder.LITTLE_ENDIAN) < MIN_BATCH_LENGTH)
            {
                index += DOCUMENT_ALIGNMENT; // not a ready data header (a flag bit set, or too short): the usual case
            }
            position = windowStart + index;
            if (index <= last && position < limit)
            {
                // A ready data header of a plausible length; the batch's CRC decides.
                if (isBatch(file, position, window.getInt(index, ByteOrder.LITTLE_ENDIAN), size))
                {
                    return position;
                }
                position += DOCUMENT_ALIGNMENT;
            }
        }
        return -1;
    }

    /**
     * The framing broke at {@code position} and the next good batch is at {@code next}: the document whose header was
     * damaged is the one at {@code position} or one of the unverified documents before it.
     *
     * @return whether a batch was recovered and handed on.
     */
    private boolean recoverDamagedBatch(
        final CycleFile file, final long position, final long next, final long size, final ExcerptHandler handler)
    {
        if (recoverBatchBefore(file, position, next, size, handler))
        {
            return true;
        }
        for (int i = Math.max(0, suspectCount - suspects.length); i < suspectCount; i++)
        {
            if (recoverBatchBefore(file, suspects[i % suspects.length], next, size, handler))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * After the framing broke at the document at {@code damaged} and the next good batch was found at {@code next}:
     * if the damaged document's header was all that was wrong, its batch fills the space between, and its CRC says so.
     *
     * @return whether the batch was recovered and handed on.
     */
    private boolean recoverBatchBefore(
        final CycleFile file, final long damaged, final long next, final long size, final ExcerptHandler handler)
    {
        for (int padding = 0; padding < DOCUMENT_ALIGNMENT; padding++)
        {
            final long length = next - damaged - DOCUMENT_HEADER_LENGTH - padding;
            if (length >= MIN_BATCH_LENGTH && length <= Wires.LENGTH_MASK && isBatch(file, damaged, (int)length, size))
            {
                damage.accept(file.path + " offset " + damaged + ": excerpt header damaged; its batch of " + length +
                    " bytes, up to the next excerpt, has the right CRC and was read");
                deliverBatch(file, damaged, (int)length, size, handler);
                return true;
            }
        }
        return false;
    }

    private int readInt(final CycleFile file, final long position, final long size)
    {
        load(file, position, Integer.BYTES, size);
        return window.getInt((int)(position - windowStart), ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Make {@code [position, position + length)} of {@code file} readable in the window.
     */
    private void load(final CycleFile file, final long position, final int length, final long size)
    {
        if (windowFile == file && position >= windowStart && position + length <= windowStart + windowLength)
        {
            return;
        }
        if (length > windowBytes.capacity())
        {
            allocateWindow(length);
        }
        windowFile = null;
        final ByteBuffer target = windowBytes.duplicate();
        target.clear().limit((int)Math.min(target.capacity(), size - position));
        try
        {
            while (target.position() < length)
            {
                if (file.channel.read(target, position + target.position()) < 0)
                {
                    break;
                }
            }
        }
        catch (final IOException ex)
        {
            throw new RecordingException(file.path + " offset " + position + ": cannot read: " + ex.getMessage());
        }
        if (target.position() < length)
        {
            throw new RecordingException(file.path + " offset " + position + ": cannot read " + length +
                " bytes: the file shrank while being read");
        }
        windowFile = file;
        windowStart = position;
        windowLength = target.position();
    }

    private void allocateWindow(final int capacity)
    {
        windowBytes = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
        window.wrap(windowBytes);
    }

    /**
     * Checks {@code queue/metadata.cq4t}, Chronicle's table store. Reading the queue does not need it (this reader
     * never opens it), but a recorder does: a damaged one keeps the recording from being opened again.
     *
     * @return null when it is there and framed right, else what is wrong with it.
     */
    static String checkMetadata(final Path queueDirectory)
    {
        final Path metadata = metadataFile(queueDirectory);
        if (!Files.exists(metadata))
        {
            return null;
        }
        try (FileChannel channel = FileChannel.open(metadata, StandardOpenOption.READ))
        {
            final long size = channel.size();
            final ByteBuffer bytes = ByteBuffer.allocate((int)Math.min(size, 1 << 20)).order(ByteOrder.LITTLE_ENDIAN);
            while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0)
            {
                // fill
            }
            int position = 0;
            while (position + DOCUMENT_HEADER_LENGTH <= bytes.position())
            {
                final int header = bytes.getInt(position);
                if (header == Wires.NOT_INITIALIZED || header == Wires.END_OF_DATA)
                {
                    return position == 0 ? metadata + ": no header, the file is empty or zeroed" : null;
                }
                final int length = header & Wires.LENGTH_MASK;
                // The first entry is the store's header (metadata); the values after it are plain documents.
                if ((header & Wires.NOT_COMPLETE) != 0 || (position == 0 && (header & Wires.META_DATA) == 0) ||
                    position + DOCUMENT_HEADER_LENGTH + length > bytes.position())
                {
                    return metadata + " offset " + position + ": damaged entry header 0x" + Integer.toHexString(header);
                }
                position = BitUtil.align(position + DOCUMENT_HEADER_LENGTH + length, DOCUMENT_ALIGNMENT);
            }
            return position == 0 ? metadata + ": " + size + " bytes, too short for a header" : null;
        }
        catch (final IOException ex)
        {
            return metadata + ": cannot read: " + ex.getMessage();
        }
    }

    /**
     * @return Chronicle's table store in a queue directory, there or not.
     */
    static Path metadataFile(final Path queueDirectory)
    {
        return queueDirectory.resolve(SingleChronicleQueue.QUEUE_METADATA_FILE);
    }

    /**
     * @return the queue directory of a recording.
     */
    static Path queueDirectory(final Path recording)
    {
        return recording.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY);
    }

    public void close()
    {
        for (final CycleFile file : files)
        {
            file.close();
        }
    }

    /**
     * One cycle file and how far it has been read.
     */
    private static final class CycleFile
    {
        final Path path;
        FileChannel channel;
        long position;
        boolean done;

        CycleFile(final Path path)
        {
            this.path = path;
        }

        void open() throws IOException
        {
            if (channel == null)
            {
                channel = FileChannel.open(path, StandardOpenOption.READ);
            }
        }

        void close()
        {
            CloseHelper.quietClose(channel);
            channel = null;
        }
    }
}
