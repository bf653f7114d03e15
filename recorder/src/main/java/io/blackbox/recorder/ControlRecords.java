package io.blackbox.recorder;

import io.blackbox.codecs.DropReportEncoder;
import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.SessionStartEncoder;
import io.blackbox.codecs.StringDefinitionEncoder;
import org.agrona.concurrent.EpochNanoClock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recorder's own records: the session's {@code SessionStart}, the symbol table and its {@code StringDefinition}s,
 * and {@code DropReport}s. All go through the shared lane 0, which the drainer drains first each round, so a
 * definition reaches the queue before any record that uses it.
 * <p>
 * A symbol's definition is written like any record: it waits for room under {@link Backpressure#BLOCK} and is refused
 * under {@link Backpressure#DROP} when the ring is full, while the file system is full and the ring's headroom is used
 * up, and after close or a failure of the drainer. A refused definition defines nothing: {@link #symbol} returns
 * {@link EmitterContext#NO_SYMBOL}, counts it, and a later call tries again.
 */
final class ControlRecords
{
    private final RecordWriter writer;
    private final RingFile ringFile;
    private final EpochNanoClock clock;
    private final ConcurrentHashMap<String, Integer> symbols = new ConcurrentHashMap<>();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final StringDefinitionEncoder stringDefinitionEncoder = new StringDefinitionEncoder();
    private int nextSymbol = 1;
    private volatile long refusedSymbols;
    private boolean closed;

    /**
     * @param writer the recorder's writer of the shared lane, with the recorder's backpressure policy.
     */
    ControlRecords(final RecordWriter writer, final RingFile ringFile, final EpochNanoClock clock)
    {
        this.writer = writer;
        this.ringFile = ringFile;
        this.clock = clock;
    }

    /**
     * @return the symbol of {@code value} in this session, defining it first; {@link EmitterContext#NO_SYMBOL} when
     * its definition could not be written (counted in {@link #refusedSymbols()}).
     * @throws IllegalArgumentException when {@code value} is too long for any record of the ring: a programming
     * error, like an emit of a record that long.
     */
    int symbol(final String value)
    {
        final Integer existing = symbols.get(value);
        if (existing != null)
        {
            return existing;
        }
        synchronized (this)
        {
            final Integer again = symbols.get(value);
            if (again != null)
            {
                return again;
            }
            final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + StringDefinitionEncoder.BLOCK_LENGTH +
                StringDefinitionEncoder.valueHeaderLength() + bytes.length;
            if (length > writer.maxRecordLength())
            {
                throw new IllegalArgumentException("a symbol of " + bytes.length + " bytes is longer than a record of " +
                    "the ring takes: length=" + length + " maxRecordLength=" + writer.maxRecordLength());
            }
            final int index = writer.claim(StringDefinitionEncoder.TEMPLATE_ID, length);
            if (index < 0)
            {
                refusedSymbols++; // written under this lock only
                return EmitterContext.NO_SYMBOL;
            }
            final int symbol = nextSymbol++;
            stringDefinitionEncoder.wrapAndApplyHeader(writer.buffer(), index, headerEncoder)
                .symbol(symbol)
                .putValue(bytes, 0, bytes.length);
            writer.commit(index);
            symbols.put(value, symbol);
            return symbol;
        }
    }

    /**
     * @return definitions refused so far: calls of {@link #symbol} that returned {@link EmitterContext#NO_SYMBOL}.
     */
    long refusedSymbols()
    {
        return refusedSymbols;
    }

    /**
     * Mark the table closed, after any definition in progress is committed.
     *
     * @return false when it was closed already.
     */
    synchronized boolean close()
    {
        if (closed)
        {
            return false;
        }
        closed = true;
        return true;
    }

    /**
     * Write this session's first record, before the drainer starts.
     *
     * @throws IllegalStateException when the ring has no room for it (it has: recovery left it empty).
     */
    void writeSessionStart(final int rank, final int worldSize, final int localRank, final String hostName)
    {
        final byte[] host = (null != hostName ? hostName : hostName()).getBytes(StandardCharsets.UTF_8);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + SessionStartEncoder.BLOCK_LENGTH +
            SessionStartEncoder.hostHeaderLength() + host.length;
        final int index = writer.claim(SessionStartEncoder.TEMPLATE_ID, length);
        if (index < 0)
        {
            throw new IllegalStateException("the ring has no room for the session's start: ring=" + ringFile.path());
        }
        new SessionStartEncoder().wrapAndApplyHeader(writer.buffer(), index, new MessageHeaderEncoder())
            .timestamp(clock.nanoTime())
            .pid(ProcessHandle.current().pid())
            .ringId(ringFile.ringId())
            .rank(rank == Recorder.Context.NO_RANK ? SessionStartEncoder.rankNullValue() : rank)
            .worldSize(worldSize == Recorder.Context.NO_RANK ? SessionStartEncoder.worldSizeNullValue() : worldSize)
            .localRank(localRank == Recorder.Context.NO_RANK ? SessionStartEncoder.localRankNullValue() : localRank)
            .putHost(host, 0, host.length);
        writer.commit(index);
    }

    private static String hostName()
    {
        // From the kernel, not DNS: opening a recording must not touch the network.
        try
        {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        }
        catch (final IOException | RuntimeException ex)
        {
            final String env = System.getenv("HOSTNAME");
            return env != null ? env : "unknown";
        }
    }

    /**
     * Write a {@code DropReport} of {@code total} into the ring, straight from the drainer's thread (no writer: it must
     * not wait, and it may use the headroom emitters leave while the file system is full).
     *
     * @return false when the ring had no room.
     */
    static boolean writeDropReport(final RingFile ring, final EpochNanoClock clock, final long total)
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + DropReportEncoder.BLOCK_LENGTH;
        final RingLane shared = ring.sharedLane();
        if (!shared.tryLock())
        {
            return false; // a writer holds it, and it may be waiting for us to free space
        }
        try
        {
            final int index = shared.tryClaim(DropReportEncoder.TEMPLATE_ID, length);
            if (index < 0)
            {
                return false;
            }
            new DropReportEncoder().wrapAndApplyHeader(ring.buffer(), index, new MessageHeaderEncoder())
                .timestamp(clock.nanoTime())
                .droppedTotal(total);
            shared.commit();
            return true;
        }
        finally
        {
            shared.unlock();
        }
    }
}
