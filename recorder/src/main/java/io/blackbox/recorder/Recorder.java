package io.blackbox.recorder;

import io.blackbox.codecs.MessageHeaderEncoder;
import io.blackbox.codecs.SessionStartEncoder;
import io.blackbox.codecs.StringDefinitionEncoder;
import io.blackbox.codecs.DropReportEncoder;
import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.codecs.layout.RingFileDescriptor;
import io.blackbox.recorder.gradience.GradienceEmitter;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.EpochNanoClock;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.text.ParseException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A recording: emitters write fixed-layout records into a memory-mapped many-to-one ring; one drainer thread
 * copies them in batches into a Chronicle Queue in the same directory.
 * <pre>{@code
 * try (Recorder recorder = Recorder.open(new Recorder.Context().directory(Path.of("runs/r1"))))
 * {
 *     GradienceEmitter run = recorder.gradience("run-1");   // one emitter per thread
 *     run.trainStep(1, 0.69, 3e-4);                          // no allocation, no lock, no system call
 * }
 * }</pre>
 * A record whose emit returned is in the mapped ring file, so it survives the death of the process: opening
 * the directory again first drains what was left into the queue, each record exactly once.
 */
public final class Recorder implements AutoCloseable
{
    static
    {
        ChronicleSettings.apply(); // before any Chronicle class loads
    }

    /**
     * Configuration, Aeron style: fluent setters, validated once by {@link Recorder#open(Context)}.
     */
    public static final class Context
    {
        public static final int DEFAULT_RING_CAPACITY = 16 * 1024 * 1024;
        public static final int DEFAULT_MAX_BATCH_BYTES = 1024 * 1024;
        public static final long DEFAULT_STORAGE_RESERVE_BYTES = 16L * 1024 * 1024;
        /** Lanes of their own: the first this many writers write without a lock or a CAS (see {@link #lanes(int)}). */
        public static final int DEFAULT_LANES = 4;

        private Path directory;
        private int ringCapacity = DEFAULT_RING_CAPACITY;
        private int lanes = DEFAULT_LANES;
        private int maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
        private long storageReserveBytes = DEFAULT_STORAGE_RESERVE_BYTES;
        private Backpressure backpressure = Backpressure.BLOCK;
        private EpochNanoClock clock;
        private boolean exactTimestamps;
        private boolean adaptiveTimestamps;
        private RollCycle rollCycle = RollCycles.FAST_DAILY;
        private Consumer<String> warningHandler = message -> System.err.println("blackbox: warning: " + message);
        private Consumer<Throwable> errorHandler;

        public Context directory(final Path directory)
        {
            this.directory = directory;
            return this;
        }

        public Path directory()
        {
            return directory;
        }

        /**
         * @param ringCapacity bytes of ring data, a power of two; bounds the memory a recorder uses.
         */
        public Context ringCapacity(final int ringCapacity)
        {
            this.ringCapacity = ringCapacity;
            return this;
        }

        public int ringCapacity()
        {
            return ringCapacity;
        }

        /**
         * @param lanes how many writers (emitters) get a lane of the ring of their own, a power of two or 0. Half the
         *              ring is split among them; the other half is the shared lane, which writers beyond these (and the
         *              recorder's own records) write under a lock. A small ring gets fewer lanes, each at least
         *              1 KiB. Applies when the ring file is created; an existing one keeps its lanes.
         */
        public Context lanes(final int lanes)
        {
            this.lanes = lanes;
            return this;
        }

        public int lanes()
        {
            return lanes;
        }

        /**
         * @param maxBatchBytes most ring bytes the drainer copies into one queue excerpt.
         */
        public Context maxBatchBytes(final int maxBatchBytes)
        {
            this.maxBatchBytes = maxBatchBytes;
            return this;
        }

        /**
         * @param storageReserveBytes bytes the drainer leaves free on the recording's file system. Below that it
         *                            stops writing the queue and keeps records in the ring until there is room again
         *                            (see {@link Recorder#isStorageFull()}).
         */
        public Context storageReserveBytes(final long storageReserveBytes)
        {
            this.storageReserveBytes = storageReserveBytes;
            return this;
        }

        public Context backpressure(final Backpressure backpressure)
        {
            this.backpressure = backpressure;
            return this;
        }

        public Backpressure backpressure()
        {
            return backpressure;
        }

        /**
         * @param clock source of record timestamps (epoch ns), read for every record (tests give a deterministic
         *              one). Default: a {@link CalibratedEpochNanoClock}, read as {@link #exactTimestamps} says.
         */
        public Context clock(final EpochNanoClock clock)
        {
            this.clock = clock;
            return this;
        }

        /**
         * @param exactTimestamps with the default clock: true reads it for every record; false (the default) lets a
         *                        thread that emits more than about one record a microsecond share one read among up
         *                        to 64 records, which then lag their true time by tens of microseconds (see
         *                        {@code EmitterClock}). A clock given to {@link #clock} is always read for every record.
         */
        public Context exactTimestamps(final boolean exactTimestamps)
        {
            this.exactTimestamps = exactTimestamps;
            return this;
        }

        public Context rollCycle(final RollCycle rollCycle)
        {
            this.rollCycle = rollCycle;
            return this;
        }

        /**
         * @param warningHandler receives one-line warnings (a damaged ring moved aside, records lost in a crash).
         */
        public Context warningHandler(final Consumer<String> warningHandler)
        {
            this.warningHandler = warningHandler;
            return this;
        }

        /**
         * @param errorHandler receives the drainer's failure (e.g. the disk is full); default: a warning line.
         */
        public Context errorHandler(final Consumer<Throwable> errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        void conclude()
        {
            if (directory == null)
            {
                throw new IllegalArgumentException("directory must be set");
            }
            if (ringCapacity < 4096 || !BitUtil.isPowerOfTwo(ringCapacity))
            {
                throw new IllegalArgumentException("ringCapacity must be a power of two >= 4096: ringCapacity=" + ringCapacity);
            }
            if (lanes < 0 || lanes > RingFileDescriptor.MAX_LANE_COUNT / 2 || (lanes > 0 && !BitUtil.isPowerOfTwo(lanes)))
            {
                throw new IllegalArgumentException("lanes must be 0 or a power of two <= " +
                    RingFileDescriptor.MAX_LANE_COUNT / 2 + ": lanes=" + lanes);
            }
            if (maxBatchBytes < 4096)
            {
                throw new IllegalArgumentException("maxBatchBytes must be >= 4096: maxBatchBytes=" + maxBatchBytes);
            }
            if (storageReserveBytes < 0)
            {
                throw new IllegalArgumentException("storageReserveBytes must be >= 0: storageReserveBytes=" + storageReserveBytes);
            }
            if (backpressure == null || rollCycle == null || warningHandler == null)
            {
                throw new IllegalArgumentException("backpressure, rollCycle and warningHandler must not be null");
            }
            if (clock == null)
            {
                clock = new CalibratedEpochNanoClock();
                adaptiveTimestamps = !exactTimestamps;
            }
            if (errorHandler == null)
            {
                final Consumer<String> warnings = warningHandler;
                errorHandler = error -> warnings.accept("recorder failed: " + error);
            }
        }
    }

    /**
     * What recovery found in a ring left by an earlier process: records drained into the queue, bytes that could not
     * be framed (a damaged file) and were discarded, and the count of records that session refused.
     */
    public record Recovery(long records, long unframedBytes, long droppedRecords)
    {
    }

    private static final long HOUSEKEEPING_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    /**
     * The drainer's pause once caught up, and its longest when idle. Spinning or short parks would keep a core busy:
     * every wake of a parked thread cost about 35 us of CPU on the 2-core VM this was measured on (an idle drainer
     * that backed off to 100 us parks used 15 % of a core; at 4 ms, 1.3 %), and a drainer polling the ring's
     * edge made each emit twice as expensive by pulling its cache lines away (docs/benchmarks.md). A 16 MiB ring
     * holds about 5 ms of records at the fastest emit rate measured.
     */
    private static final long DRAINER_MIN_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long DRAINER_MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(4);
    private static final long QUEUE_HEADER_TIMEOUT_MS = 200;
    /** How often a drainer that found the file system full looks again. */
    private static final long STORAGE_RECHECK_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Context ctx;
    private final Path directory;
    private final EpochNanoClock clock;
    /** {@link #clock} as the drainer last read it, for {@link EmitterClock}s; refreshed every drainer round. */
    private final CachedNanoClock drainerTime = new CachedNanoClock();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ChronicleQueue queue;
    private final RingFile ringFile;
    private final RingDrainer drainer;
    private final Thread drainerThread;
    private final RecordWriter controlWriter;
    private final Recovery recovery;
    private final ConcurrentHashMap<String, Integer> symbols = new ConcurrentHashMap<>();
    private final Object symbolLock = new Object();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final StringDefinitionEncoder stringDefinitionEncoder = new StringDefinitionEncoder();

    /** Emitters claim ring space at once only while this holds: open, drainer healthy, file system not full. */
    private volatile boolean accepting = true;
    private volatile boolean closing;
    private volatile boolean running = true;
    private volatile boolean storageFull;
    private volatile Throwable failure;
    private final PaddedVolatileLong drainedRecords = new PaddedVolatileLong();
    private final PaddedVolatileLong storedBytes = new PaddedVolatileLong();
    private int nextSymbol = 1;
    private boolean closed;

    private Recorder(final Context ctx) throws IOException
    {
        this.ctx = ctx;
        this.directory = ctx.directory;
        this.clock = ctx.clock;
        updateDrainerTime();
        Files.createDirectories(directory);

        lockChannel = FileChannel.open(directory.resolve(RecordingDirectoryLayout.LOCK_FILE),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock acquired;
        try
        {
            acquired = lockChannel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            acquired = null; // held by another Recorder in this JVM
        }
        catch (final IOException | RuntimeException ex)
        {
            lockChannel.close();
            throw ex;
        }
        if (acquired == null)
        {
            lockChannel.close();
            throw new IllegalStateException("recording is already open for writing: directory=" + directory);
        }
        lock = acquired;

        ChronicleQueue openedQueue = null;
        RingFile openedRing = null;
        try
        {
            writeIrIfAbsent(directory);
            openedQueue = SingleChronicleQueueBuilder.binary(directory.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY))
                .rollCycle(ctx.rollCycle)
                // We hold recorder.lock, so a header still marked as being written belongs to a process that died:
                // do not wait Chronicle's default seconds for it to finish, per header.
                .timeoutMS(QUEUE_HEADER_TIMEOUT_MS)
                .build();
            openedRing = RingFile.openOrCreate(
                directory.resolve(RecordingDirectoryLayout.RING_FILE), ctx.ringCapacity, ctx.lanes, clock.nanoTime(),
                ctx.warningHandler);
            final ExcerptAppender appender = openedQueue.createAppender();
            final StorageSpaceGuard spaceGuard = new StorageSpaceGuard(directory, ctx.storageReserveBytes);
            final Path ringPath = openedRing.path();
            final RingDrainer ringDrainer = new RingDrainer(openedRing, appender, ctx.maxBatchBytes, spaceGuard,
                warning -> ctx.warningHandler.accept(ringPath + ": " + warning));
            recovery = openedRing.existed() ? recover(openedQueue, openedRing, ringDrainer) : new Recovery(0, 0, 0);
            // Recovery appended on this thread; from here on only the drainer thread appends.
            appender.singleThreadedCheckReset();
            queue = openedQueue;
            ringFile = openedRing;
            drainer = ringDrainer;
        }
        catch (final IOException | RuntimeException ex)
        {
            CloseHelper.quietCloseAll(openedQueue, openedRing, lock, lockChannel);
            throw ex;
        }

        controlWriter = new RecordWriter(this, ringFile, null, Backpressure.BLOCK, true);
        drainerThread = new Thread(this::runDrainer, "blackbox-drainer-" + directory.getFileName());
        drainerThread.setDaemon(true);
        drainerThread.start();
        writeSessionStart();
    }

    /**
     * Open (or create) the recording in {@code ctx.directory()}, draining first whatever an earlier process left.
     *
     * @throws UncheckedIOException when the directory cannot be used.
     * @throws IllegalStateException when another process has the recording open.
     */
    public static Recorder open(final Context ctx)
    {
        ctx.conclude();
        try
        {
            return new Recorder(ctx);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open recording: directory=" + ctx.directory + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Open (or create) the recording in {@code directory} with the default configuration.
     */
    public static Recorder open(final Path directory)
    {
        return open(new Context().directory(directory));
    }

    /**
     * @return a new Gradience emitter for the run; use one emitter per thread.
     */
    public GradienceEmitter gradience(final String runId)
    {
        return new GradienceEmitter(newWriter(), emitterClock(), symbol(runId));
    }

    /**
     * @return the timestamp source for one new emitter (not thread-safe, like the emitter).
     */
    private EpochNanoClock emitterClock()
    {
        return ctx.adaptiveTimestamps ? new EmitterClock(clock, drainerTime) : clock;
    }

    /**
     * @return a new writer for the calling thread, with this recorder's backpressure policy: with a lane of its own
     * while one is free (give it back with {@link RecordWriter#close()}), else writing the shared lane under its lock.
     */
    public RecordWriter newWriter()
    {
        return new RecordWriter(this, ringFile, ringFile.acquireLane(), ctx.backpressure, false);
    }

    /**
     * @return the longest record (SBE message) this recording takes: an eighth of its ring.
     */
    public int maxRecordLength()
    {
        return controlWriter.maxRecordLength();
    }

    /**
     * The integer that stands for {@code value} in records of this session. The first call for a value writes
     * its definition into the recording (always, whatever the backpressure policy); later calls are a lookup.
     */
    public int symbol(final String value)
    {
        final Integer existing = symbols.get(value);
        if (existing != null)
        {
            return existing;
        }
        synchronized (symbolLock)
        {
            final Integer again = symbols.get(value);
            if (again != null)
            {
                return again;
            }
            final int symbol = nextSymbol++;
            final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + StringDefinitionEncoder.BLOCK_LENGTH +
                StringDefinitionEncoder.valueHeaderLength() + bytes.length;
            final int index = claimControl(StringDefinitionEncoder.TEMPLATE_ID, length);
            stringDefinitionEncoder.wrapAndApplyHeader(controlWriter.buffer(), index, headerEncoder)
                .symbol(symbol)
                .putValue(bytes, 0, bytes.length);
            controlWriter.commit(index);
            symbols.put(value, symbol);
            return symbol;
        }
    }

    private int claimControl(final int templateId, final int length)
    {
        final int index = controlWriter.claim(templateId, length);
        if (index < 0)
        {
            throw new IllegalStateException((storageFull ? "the file system is full and the ring has no room left" :
                "recorder is closed") + ": directory=" + directory);
        }
        return index;
    }

    private void writeSessionStart()
    {
        final byte[] host = hostName().getBytes(StandardCharsets.UTF_8);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + SessionStartEncoder.BLOCK_LENGTH +
            SessionStartEncoder.hostHeaderLength() + host.length;
        final int index = claimControl(SessionStartEncoder.TEMPLATE_ID, length);
        new SessionStartEncoder().wrapAndApplyHeader(controlWriter.buffer(), index, new MessageHeaderEncoder())
            .timestamp(clock.nanoTime())
            .pid(ProcessHandle.current().pid())
            .ringId(ringFile.ringId())
            .putHost(host, 0, host.length);
        controlWriter.commit(index);
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

    private static void writeIrIfAbsent(final Path directory) throws IOException
    {
        final Path ir = directory.resolve(RecordingDirectoryLayout.IR_FILE);
        if (Files.exists(ir))
        {
            return;
        }
        try (InputStream in = Recorder.class.getResourceAsStream(RecordingDirectoryLayout.IR_RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("codecs jar has no " + RecordingDirectoryLayout.IR_RESOURCE);
            }
            final Path temporary = directory.resolve(RecordingDirectoryLayout.IR_FILE + ".tmp");
            Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, ir, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Recovery recover(final ChronicleQueue queue, final RingFile ring, final RingDrainer drainer) throws IOException
    {
        final LastBatch lastBatch = lastBatch(queue, ring.ringId(), ring.lanes().length);
        drainer.prepareRecovery(lastBatch.ringId(), lastBatch.end());
        final long before = drainer.records();
        if (drainer.drainForRecovery() == RingDrainer.NO_ROOM)
        {
            // The ring stays as it is (what was drained is skipped next time): nothing is lost, the user frees space.
            throw new IOException("no room on the file system to recover the records " + ring.path() +
                " holds (fewer than " + ctx.storageReserveBytes + " reserve bytes free); free space and open it again");
        }
        final long records = drainer.records() - before;
        final long unframed = drainer.resetAfterRecovery();
        // The session that left the ring may have died (or met a full file system) before its last drop report
        // reached the queue: report its count, kept in the ring file, as that session's, before ours starts.
        final long droppedBefore = ring.droppedRecords();
        if (droppedBefore > 0)
        {
            writeDropReport(ring, clock, droppedBefore); // the ring is empty now: it fits
            if (drainer.drainRound() == RingDrainer.NO_ROOM)
            {
                throw new IOException("no room on the file system to record the drop count " + ring.path() + " holds");
            }
            ring.resetDropped();
        }
        if (unframed > 0)
        {
            ctx.warningHandler.accept("recovered " + records + " records from " + ring.path() + "; " + unframed +
                " bytes could not be framed and are skipped");
        }
        return new Recovery(records, unframed, droppedBefore);
    }

    /**
     * The queue's last batch from a ring file: the ring id of its lane and the ring position it reaches. Only that batch
     * can be in the queue and still in its lane: the drainer frees each batch's range before it appends the next.
     */
    private record LastBatch(long ringId, long end)
    {
        static final LastBatch NONE = new LastBatch(0, -1);
    }

    /**
     * @return the queue's last batch from the ring file whose lanes carry ring ids {@code [ringId, ringId + laneCount)},
     * or {@link LastBatch#NONE}.
     * <p>
     * Reads forward, one cycle file at a time from the last: a backward tailer's {@code toEnd()} trips over a cycle
     * file a dying process left with its first header still being written, where reading forward simply stops.
     */
    private static LastBatch lastBatch(final ChronicleQueue queue, final long ringId, final int laneCount)
    {
        if (!(queue instanceof SingleChronicleQueue single))
        {
            throw new IllegalStateException("unexpected queue implementation " + queue.getClass().getName());
        }
        try (ExcerptTailer tailer = queue.createTailer())
        {
            int cycle = single.lastCycle();
            final int firstCycle = single.firstCycle();
            while (cycle != Integer.MIN_VALUE && cycle >= firstCycle)
            {
                final LastBatch last = lastBatchInCycle(tailer, cycle, ringId, laneCount);
                if (last != LastBatch.NONE)
                {
                    return last;
                }
                try
                {
                    final int previous = single.nextCycle(cycle, TailerDirection.BACKWARD);
                    if (previous == cycle || previous == -1)
                    {
                        break;
                    }
                    cycle = previous;
                }
                catch (final ParseException ex)
                {
                    throw new IllegalStateException("cannot list the queue's cycle files: " + ex.getMessage(), ex);
                }
            }
            return LastBatch.NONE;
        }
    }

    private static LastBatch lastBatchInCycle(
        final ExcerptTailer tailer, final int cycle, final long ringId, final int laneCount)
    {
        LastBatch last = LastBatch.NONE;
        if (!tailer.moveToCycle(cycle))
        {
            return last;
        }
        while (true)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent() || tailer.cycle() != cycle)
                {
                    return last;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                if (bytes.readRemaining() < RecordingBatchDescriptor.HEADER_LENGTH)
                {
                    continue;
                }
                final long start = bytes.readPosition();
                final long batchRingId = bytes.readLong(start + RecordingBatchDescriptor.RING_ID_OFFSET);
                if (batchRingId - ringId >= 0 && batchRingId - ringId < laneCount)
                {
                    last = new LastBatch(batchRingId, bytes.readLong(start + RecordingBatchDescriptor.RING_POSITION_OFFSET) +
                        bytes.readInt(start + RecordingBatchDescriptor.RECORDS_LENGTH_OFFSET));
                }
            }
        }
    }

    private void runDrainer()
    {
        long parkNs = DRAINER_MIN_PARK_NS;
        long nextHousekeepingNs = System.nanoTime() + HOUSEKEEPING_INTERVAL_NS;
        long reportedDropped = 0;
        try
        {
            while (running)
            {
                updateDrainerTime();
                final int drained = drainer.drainRound();
                drainedRecords.set(drainer.records());
                storedBytes.set(drainer.storedBytes());
                if (drained == RingDrainer.NO_ROOM)
                {
                    onStorageFull();
                    reportedDropped = reportDrops(reportedDropped);
                    continue;
                }
                if (storageFull && drained > 0)
                {
                    storageFull = false;
                    accepting = !closing;
                    ctx.warningHandler.accept("the file system has room again: recording resumed, directory=" + directory +
                        ", records dropped so far=" + ringFile.droppedRecords());
                }
                if (drained >= ctx.maxBatchBytes >> 1 || drainer.isBehind())
                {
                    parkNs = DRAINER_MIN_PARK_NS; // behind: straight on
                    continue;
                }
                if (drained > 0)
                {
                    parkNs = DRAINER_MIN_PARK_NS;
                }
                else
                {
                    parkNs = Math.min(parkNs << 1, DRAINER_MAX_PARK_NS);
                    final long nowNs = System.nanoTime();
                    if (nowNs - nextHousekeepingNs >= 0)
                    {
                        nextHousekeepingNs = nowNs + HOUSEKEEPING_INTERVAL_NS;
                        if (clock instanceof CalibratedEpochNanoClock calibrated)
                        {
                            calibrated.calibrate();
                        }
                        reportedDropped = reportDrops(reportedDropped);
                    }
                }
                // Caught up: let records gather rather than poll the emitters' cache lines. Nothing waits on a short
                // pause: a returned emit is already in ring.dat, and an emitter that finds the ring full wakes us.
                LockSupport.parkNanos(this, parkNs);
            }
            // Closing: emitters no longer start records; drain what they committed, report drops, drain that too.
            drainAll();
            reportDrops(reportedDropped);
            drainAll();
        }
        catch (final Throwable ex)
        {
            accepting = false;
            failure = describeFailure(ex);
            ctx.errorHandler.accept(failure);
        }
        final long leftBytes = drainer.undrainedBytes();
        if (leftBytes > 0)
        {
            ctx.warningHandler.accept(leftBytes + " bytes of records stay in " + ringFile.path() + " (" +
                (failure != null ? "the drainer failed" : storageFull ? "the file system is full" :
                    "a record claimed by a thread that stopped was never committed") +
                "); they are drained into the queue when the recording is next opened");
        }
    }

    /**
     * Only for the emitters' default clock: a clock given to the context is read by records alone, so a
     * deterministic one gives the same timestamps whenever the drainer happens to run.
     */
    private void updateDrainerTime()
    {
        if (ctx.adaptiveTimestamps)
        {
            drainerTime.update(clock.nanoTime());
        }
    }

    private void onStorageFull()
    {
        if (!storageFull)
        {
            storageFull = true;
            accepting = false;
            ctx.warningHandler.accept("the file system is full: directory=" + directory + ", usable bytes=" +
                drainer.spaceGuard().lastUsableBytes() + ", reserve=" + ctx.storageReserveBytes + "; records wait in the " +
                "ring, and once it is full new records are dropped and counted until there is room again");
        }
        LockSupport.parkNanos(STORAGE_RECHECK_NS);
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
     * Drain until the ring is empty, or until a round finds nothing: a record still being written when the recorder
     * closed is not committed, so it is not there to wait for.
     */
    private void drainAll()
    {
        while (true)
        {
            final int drained = drainer.drainRound();
            if (drained == RingDrainer.NO_ROOM)
            {
                break; // the records stay in the ring file, and the next open drains them
            }
            if (drained == 0)
            {
                break;
            }
        }
        drainedRecords.set(drainer.records());
        storedBytes.set(drainer.storedBytes());
    }

    private long reportDrops(final long reported)
    {
        final long total = ringFile.droppedRecords();
        if (total == reported)
        {
            return reported;
        }
        return writeDropReport(ringFile, clock, total) ? total : reported; // ring full: report on a later round
    }

    /**
     * Write a {@code DropReport} of {@code total} into the ring, straight from the drainer's thread (no writer: it must
     * not wait, and it may use the headroom emitters leave while the file system is full).
     *
     * @return false when the ring had no room.
     */
    private static boolean writeDropReport(final RingFile ring, final EpochNanoClock clock, final long total)
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

    boolean isAccepting()
    {
        return accepting;
    }

    /**
     * @return true while the file system of the recording has no room for the drainer: records wait in the ring, and
     * when the ring is full emits return false and are counted in {@link #droppedRecords()}, whatever the
     * backpressure policy (waiting could last forever).
     */
    public boolean isStorageFull()
    {
        return storageFull;
    }

    boolean isClosing()
    {
        return closing;
    }

    void countDropped()
    {
        ringFile.countDropped();
    }

    /**
     * @return records not recorded: refused by a full ring under {@link Backpressure#DROP} or while the file system
     * is full, or emitted after close or after the drainer failed.
     */
    public long droppedRecords()
    {
        return ringFile.droppedRecords();
    }

    /**
     * @return records the drainer has written to the queue in this session (recovered ones included).
     */
    public long drainedRecords()
    {
        return drainedRecords.get(); // the drainer counted the recovered records too
    }

    /**
     * @return bytes of batches the drainer has appended to the queue in this session: batch headers and the records
     * as stored, coded ({@link io.blackbox.codecs.layout.RecordingBatchDescriptor}); not Chronicle's document
     * headers, index or file headers. Divided by {@link #drainedRecords()}, what a record costs on disk.
     */
    public long storedBytes()
    {
        return storedBytes.get();
    }

    /**
     * @return what opening found in a ring left by an earlier process.
     */
    public Recovery recovery()
    {
        return recovery;
    }

    /**
     * End the drainer's pause: an emitter found the ring full.
     */
    void wakeDrainer()
    {
        LockSupport.unpark(drainerThread);
    }

    /**
     * @return the drainer's failure, or null while it is healthy.
     */
    public Throwable failure()
    {
        return failure;
    }

    public Path directory()
    {
        return directory;
    }

    public EpochNanoClock clock()
    {
        return clock;
    }

    public Backpressure backpressure()
    {
        return ctx.backpressure;
    }

    /**
     * Stop accepting records, drain every committed record into the queue, and close the queue.
     * The ring file stays mapped until no emitter refers to it, so a late emit never touches unmapped memory.
     */
    public void close()
    {
        synchronized (symbolLock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        closing = true;
        accepting = false;
        running = false;
        LockSupport.unpark(drainerThread);
        try
        {
            drainerThread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        accepting = false; // the drainer may have resumed acceptance between our two writes
        ringFile.disown();
        CloseHelper.quietCloseAll(queue, lock, lockChannel);
    }
}
