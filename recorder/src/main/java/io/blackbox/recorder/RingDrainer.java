package io.blackbox.recorder;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.EpochNanoClock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The drainer, an Agrona {@link Agent} its own {@link org.agrona.concurrent.AgentRunner} thread runs on a
 * {@link DrainerIdleStrategy}: each {@link #doWork()} drains one round of the ring into the queue
 * ({@link QueueBatchWriter}) and returns the ring bytes it drained. It also keeps the state writers look at
 * ({@link RecorderState}): it stops them claiming at once while the file system is full or after it failed, and
 * resumes them when the file system has room again.
 * <p>
 * Order: within a lane, records reach the queue in the order they were committed. Across lanes there is one rule, the
 * one readers need: a record that refers to a symbol comes after the symbol's definition. Definitions go through the
 * shared lane 0, and a record is committed only after the definition it uses was; so each round reads the other
 * lanes' tails first, then drains lane 0 to its tail, then the other lanes to the tails read before. Whatever those
 * tails cover was committed after every definition it uses, and lane 0's later tail covers those definitions.
 */
final class RingDrainer implements Agent
{
    private static final long HOUSEKEEPING_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    /** How often a drainer that found the file system full looks again. */
    private static final long STORAGE_RECHECK_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final String roleName;
    private final Path directory;
    private final RingFile ringFile;
    private final RingLane[] lanes;
    private final long[] tails;
    private final QueueBatchWriter batches;
    private final EpochNanoClock clock;
    /** The clock as this drainer last read it, for {@link EmitterClock}s; null when emitters read the clock always. */
    private final CachedNanoClock drainerTime;
    private final int busyBytes;
    private final long storageReserveBytes;
    private final Consumer<String> warnings;
    private final Consumer<Throwable> errorHandler;

    private final RecorderState state = new RecorderState();
    private volatile Throwable failure;
    private final PaddedVolatileLong drainedRecords = new PaddedVolatileLong();
    private final PaddedVolatileLong storedBytes = new PaddedVolatileLong();

    private boolean behind;
    private long reportedDropped;
    private long nextHousekeepingNs;
    private long nextStorageCheckNs;

    /**
     * @param busyBytes   a round that drains this many ring bytes or more is followed at once by the next.
     * @param drainerTime updated every round, or null.
     */
    RingDrainer(final Path directory, final RingFile ringFile, final QueueBatchWriter batches,
        final EpochNanoClock clock, final CachedNanoClock drainerTime, final int busyBytes,
        final long storageReserveBytes, final Consumer<String> warnings, final Consumer<Throwable> errorHandler)
    {
        this.roleName = "blackbox-drainer-" + directory.getFileName();
        this.directory = directory;
        this.ringFile = ringFile;
        this.lanes = ringFile.lanes();
        this.tails = new long[lanes.length];
        this.batches = batches;
        this.clock = clock;
        this.drainerTime = drainerTime;
        this.busyBytes = busyBytes;
        this.storageReserveBytes = storageReserveBytes;
        this.warnings = warnings;
        this.errorHandler = errorHandler;
        updateDrainerTime();
        publishCounters();
    }

    public String roleName()
    {
        return roleName;
    }

    public void onStart()
    {
        nextHousekeepingNs = System.nanoTime() + HOUSEKEEPING_INTERVAL_NS;
    }

    /**
     * One round.
     *
     * @return ring bytes drained; at least {@code busyBytes} when records wait beyond what one round takes, or the
     * recorder is closing (drain on without a pause); 0 while the file system has no room.
     * @throws AgentTerminationException after a failure, which went to the error handler: the drainer stops.
     */
    public int doWork()
    {
        try
        {
            return drainRoundAndKeepHouse();
        }
        catch (final Throwable ex)
        {
            fail(ex);
            throw new AgentTerminationException(ex, true); // reported above; stops the runner, which calls onClose
        }
    }

    private int drainRoundAndKeepHouse()
    {
        updateDrainerTime();
        final long nowNs = System.nanoTime();
        if (state.storageFull && nowNs - nextStorageCheckNs < 0)
        {
            return 0;
        }
        final int drained = drainRound();
        publishCounters();
        if (drained == QueueBatchWriter.NO_ROOM)
        {
            onStorageFull(nowNs);
            reportedDropped = reportDrops(reportedDropped);
            return 0;
        }
        if (state.storageFull && drained > 0)
        {
            state.storageFull = false;
            state.accepting = !state.closing;
            warnings.accept("the file system has room again: recording resumed, directory=" + directory +
                ", records dropped so far=" + ringFile.droppedRecords());
        }
        // Due once a second whatever the round found: a training loop's trickle leaves a record or two in every
        // round, and a round that had to find nothing first never calibrated the clock while it emitted.
        if (!state.closing && nowNs - nextHousekeepingNs >= 0)
        {
            nextHousekeepingNs = nowNs + HOUSEKEEPING_INTERVAL_NS;
            if (clock instanceof CalibratedEpochNanoClock calibrated)
            {
                calibrated.calibrate();
            }
            reportedDropped = reportDrops(reportedDropped);
        }
        if (behind || state.closing)
        {
            return Math.max(drained, busyBytes);
        }
        return drained;
    }

    /**
     * Drain one round: the shared lane to its tail, then one batch of each other lane (see the class comment for the
     * order).
     *
     * @return the number of ring bytes drained, 0 when there was nothing committed,
     * {@link QueueBatchWriter#NO_ROOM} when there was but the file system has no room for it (the records stay in
     * the ring).
     */
    int drainRound()
    {
        behind = false;
        for (int lane = 1; lane < lanes.length; lane++)
        {
            tails[lane] = lanes[lane].tailPositionVolatile();
        }
        final RingLane shared = lanes[0];
        final long sharedTail = shared.tailPositionVolatile();
        int total = 0;
        while (shared.headPosition() < sharedTail)
        {
            final int drained = batches.drainBatch(shared, sharedTail);
            if (drained == QueueBatchWriter.NO_ROOM)
            {
                return QueueBatchWriter.NO_ROOM;
            }
            if (drained == 0)
            {
                batches.discardUnframed(shared, sharedTail);
                break;
            }
            total += drained;
        }
        for (int lane = 1; lane < lanes.length; lane++)
        {
            final RingLane own = lanes[lane];
            final int drained = batches.drainBatch(own, tails[lane]);
            if (drained == QueueBatchWriter.NO_ROOM)
            {
                return QueueBatchWriter.NO_ROOM;
            }
            if (drained == 0 && own.headPosition() < tails[lane])
            {
                batches.discardUnframed(own, tails[lane]);
            }
            total += drained;
            if (own.headPosition() < tails[lane])
            {
                behind = true;
            }
        }
        return total;
    }

    /**
     * Closing (emitters no longer start records), or stopped after a failure: drain what emitters committed, report
     * drops, drain that too; then say what stays in the ring.
     */
    public void onClose()
    {
        if (failure == null)
        {
            try
            {
                drainAll();
                reportDrops(reportedDropped);
                drainAll();
            }
            catch (final Throwable ex)
            {
                fail(ex);
            }
        }
        final long leftBytes = batches.undrainedBytes();
        if (leftBytes > 0)
        {
            warnings.accept(leftBytes + " bytes of records stay in " + ringFile.path() + " (" +
                (failure != null ? "the drainer failed" : state.storageFull ? "the file system is full" :
                    "a record claimed by a thread that stopped was never committed") +
                "); they are drained into the queue when the recording is next opened");
        }
        batches.close();
    }

    /**
     * Drain until the ring is empty, or until a round finds nothing: a record still being written when the recorder
     * closed is not committed, so it is not there to wait for.
     */
    private void drainAll()
    {
        while (true)
        {
            final int drained = drainRound();
            if (drained == QueueBatchWriter.NO_ROOM || drained == 0)
            {
                break; // NO_ROOM: the records stay in the ring file, and the next open drains them
            }
        }
        publishCounters();
    }

    /**
     * Only for the emitters' default clock: a clock given to the context is read by records alone, so a
     * deterministic one gives the same timestamps whenever the drainer happens to run.
     */
    private void updateDrainerTime()
    {
        if (drainerTime != null)
        {
            drainerTime.update(clock.nanoTime());
        }
    }

    private void publishCounters()
    {
        drainedRecords.set(batches.records());
        storedBytes.set(batches.storedBytes());
    }

    private void onStorageFull(final long nowNs)
    {
        nextStorageCheckNs = nowNs + STORAGE_RECHECK_NS;
        if (!state.storageFull)
        {
            state.storageFull = true;
            state.accepting = false;
            warnings.accept("the file system is full: directory=" + directory + ", usable bytes=" +
                batches.spaceGuard().lastUsableBytes() + ", reserve=" + storageReserveBytes + "; records wait in the " +
                "ring, and once it is full new records are dropped and counted until there is room again");
        }
    }

    private long reportDrops(final long reported)
    {
        final long total = ringFile.droppedRecords();
        if (total == reported)
        {
            return reported;
        }
        // ring full: report on a later round
        return ControlRecords.writeDropReport(ringFile, clock, total) ? total : reported;
    }

    private void fail(final Throwable ex)
    {
        state.accepting = false;
        failure = describeFailure(ex);
        errorHandler.accept(failure);
    }

    /**
     * A fault writing a memory-mapped file reaches Java as an {@link InternalError} at some later instruction; say
     * what it most likely was.
     */
    private Throwable describeFailure(final Throwable ex)
    {
        if (ex instanceof InternalError && String.valueOf(ex.getMessage()).contains("unsafe memory access"))
        {
            long usable = -1;
            try
            {
                usable = Files.getFileStore(directory).getUsableSpace();
            }
            catch (final IOException | RuntimeException ignore)
            {
                // the message says -1
            }
            return new IOException("writing the queue's memory-mapped file failed (the file system is full, or the " +
                "file was truncated): directory=" + directory + ", usable bytes=" + usable, ex);
        }
        return ex;
    }

    /**
     * Stop emitters claiming ring space: the recorder is closing. The runner's close then ends the rounds.
     */
    void stopAccepting()
    {
        state.closing = true;
        state.accepting = false;
    }

    /**
     * @return the state writers read on every claim.
     */
    RecorderState state()
    {
        return state;
    }

    Throwable failure()
    {
        return failure;
    }

    long drainedRecords()
    {
        return drainedRecords.get();
    }

    long storedBytes()
    {
        return storedBytes.get();
    }
}
