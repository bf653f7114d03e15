package io.blackbox.recorder;

import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.codecs.layout.RingFileDescriptor;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A recording: emitters write fixed-layout records into lanes of a memory-mapped ring; one drainer thread copies them
 * in batches into a Chronicle Queue in the same directory.
 * <pre>{@code
 * try (Recorder recorder = Recorder.open(new Recorder.Context().directory(Path.of("runs/r1"))))
 * {
 *     var run = recorder.emitter(FamilyEmitter::new, "run-1");   // a family's emitter (recorder.<family>), one per thread
 *     run.trainStep(1, 0.69, 3e-4);                              // no allocation, no lock, no system call
 * }
 * }</pre>
 * A record whose emit returned is in the mapped ring file, so it survives the death of the process: opening
 * the directory again first drains what was left into the queue, each record exactly once ({@link RingRecovery}).
 * <p>
 * The jobs live in their own classes: configuration here ({@link Context}); the drainer, an Agrona agent
 * ({@link RingDrainer} on a {@link DrainerIdleStrategy}, writing batches through {@link QueueBatchWriter}); crash
 * recovery ({@link RingRecovery}); symbols and the recorder's own records ({@link ControlRecords}); what an emitter
 * gets ({@link EmitterContext}). This class opens and closes them.
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
        static
        {
            // A Context is made before the Recorder class loads, and its defaults load Chronicle classes.
            ChronicleSettings.apply();
        }

        public static final int DEFAULT_RING_CAPACITY = 16 * 1024 * 1024;
        public static final int DEFAULT_MAX_BATCH_BYTES = 1024 * 1024;
        public static final long DEFAULT_STORAGE_RESERVE_BYTES = 16L * 1024 * 1024;
        /** Lanes of their own: the first this many writers write without a lock or a CAS (see {@link #lanes(int)}). */
        public static final int DEFAULT_LANES = 4;
        /** {@link #compressionLevel(int)}: batches are stored as the delta coder leaves them (version 4). */
        public static final int NO_COMPRESSION = 0;
        /**
         * zstd's fastest positive level. Level 3 stores 10-18 % less of the demo's data but the drainer keeps up with
         * a fifth fewer records a second (docs/benchmarks.md, issue 19).
         */
        public static final int DEFAULT_COMPRESSION_LEVEL = 1;
        /** zstd's highest level short of its "ultra" levels, which need a larger window than a batch has. */
        public static final int MAX_COMPRESSION_LEVEL = 19;
        /** {@link #rank(int, int)} and {@link #localRank(int)} not given: the session records no place in a job. */
        public static final int NO_RANK = -1;
        /** Longest {@link #hostName(String)} in UTF-8 bytes, as POSIX's HOST_NAME_MAX. */
        public static final int MAX_HOST_NAME_BYTES = 255;

        private Path directory;
        private int ringCapacity = DEFAULT_RING_CAPACITY;
        private int lanes = DEFAULT_LANES;
        private int maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
        private int compressionLevel = DEFAULT_COMPRESSION_LEVEL;
        private int rank = NO_RANK;
        private int worldSize = NO_RANK;
        private int localRank = NO_RANK;
        private String hostName;
        private long storageReserveBytes = DEFAULT_STORAGE_RESERVE_BYTES;
        private Backpressure backpressure = Backpressure.BLOCK;
        private EpochNanoClock clock;
        private boolean exactTimestamps;
        private boolean adaptiveTimestamps;
        private boolean defaultClock;
        private RollCycle rollCycle = RollCycles.FAST_DAILY;
        private TimeProvider queueTimeProvider = SystemTimeProvider.INSTANCE;
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
         * @param compressBatches whether the drainer compresses a coded batch with zstd when that saves an eighth
         *                        or more (batch version 5; the default). Off: every batch is stored as the delta
         *                        coder leaves it (version 4), for less of the drainer's CPU and more disk.
         */
        public Context compressBatches(final boolean compressBatches)
        {
            this.compressionLevel = compressBatches ? DEFAULT_COMPRESSION_LEVEL : NO_COMPRESSION;
            return this;
        }

        /**
         * @param compressionLevel the zstd level the drainer compresses coded batches at, 1 to
         *                         {@link #MAX_COMPRESSION_LEVEL}, or {@link #NO_COMPRESSION}. Higher levels store less
         *                         and cost the drainer more CPU a record; what a reader reads is the same at every
         *                         level. Default {@link #DEFAULT_COMPRESSION_LEVEL}.
         */
        public Context compressionLevel(final int compressionLevel)
        {
            this.compressionLevel = compressionLevel;
            return this;
        }

        /**
         * Place this process in a distributed job (one recorder per rank): every session of the recording says it, and
         * the export writes it where a family has a place for it (docs/architecture.md, "Many ranks").
         *
         * @param rank      this process's rank, 0 to {@code worldSize - 1}.
         * @param worldSize the job's processes.
         */
        public Context rank(final int rank, final int worldSize)
        {
            this.rank = rank;
            this.worldSize = worldSize;
            return this;
        }

        /**
         * @param localRank this process's rank among the job's processes on its host (0 or more); needs
         *                  {@link #rank(int, int)}.
         */
        public Context localRank(final int localRank)
        {
            this.localRank = localRank;
            return this;
        }

        /**
         * @return the rank given, or {@link #NO_RANK}.
         */
        public int rank()
        {
            return rank;
        }

        /**
         * @return the world size given with the rank, or {@link #NO_RANK}.
         */
        public int worldSize()
        {
            return worldSize;
        }

        /**
         * @return the local rank given, or {@link #NO_RANK}.
         */
        public int localRank()
        {
            return localRank;
        }

        /**
         * @return the host name given, or null for the kernel's.
         */
        public String hostName()
        {
            return hostName;
        }

        /**
         * Take the rank, world size and local rank from the variables {@code torchrun} (and {@code mpirun} via the
         * same names) sets: {@code RANK}, {@code WORLD_SIZE}, {@code LOCAL_RANK}. Without {@code RANK} and
         * {@code WORLD_SIZE} nothing changes; a value that is not a number is refused by {@link Recorder#open}.
         */
        public Context rankFromEnvironment()
        {
            return rankFrom(System.getenv());
        }

        Context rankFrom(final Map<String, String> environment)
        {
            final String rank = environment.get("RANK");
            final String worldSize = environment.get("WORLD_SIZE");
            if (null == rank || null == worldSize)
            {
                return this;
            }
            rank(environmentInt("RANK", rank), environmentInt("WORLD_SIZE", worldSize));
            final String localRank = environment.get("LOCAL_RANK");
            return null == localRank ? this : localRank(environmentInt("LOCAL_RANK", localRank));
        }

        private static int environmentInt(final String name, final String value)
        {
            try
            {
                return Integer.parseInt(value.trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("environment variable " + name + " is not an integer: " + name +
                    "=" + value);
            }
        }

        /**
         * @param hostName the host's name as the recording should say it (default: the kernel's,
         *                 {@code /proc/sys/kernel/hostname}; never from DNS); at most {@link #MAX_HOST_NAME_BYTES}
         *                 bytes of UTF-8.
         */
        public Context hostName(final String hostName)
        {
            this.hostName = hostName;
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
         * @param queueTimeProvider Chronicle's clock, which decides the cycle file each batch lands in (not the
         *                          records' timestamps: see {@link #clock}). Default: the system clock. Tests that need
         *                          known cycle files give a set one.
         */
        public Context queueTimeProvider(final TimeProvider queueTimeProvider)
        {
            this.queueTimeProvider = queueTimeProvider;
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
            if (compressionLevel < NO_COMPRESSION || compressionLevel > MAX_COMPRESSION_LEVEL)
            {
                throw new IllegalArgumentException("compressionLevel must be " + NO_COMPRESSION + " (off) to " +
                    MAX_COMPRESSION_LEVEL + ": compressionLevel=" + compressionLevel);
            }
            if (rank != NO_RANK || worldSize != NO_RANK)
            {
                if (worldSize < 1 || rank < 0 || rank >= worldSize)
                {
                    throw new IllegalArgumentException("rank must be 0 to worldSize - 1, worldSize at least 1: rank=" +
                        rank + " worldSize=" + worldSize);
                }
            }
            if (localRank != NO_RANK && (localRank < 0 || rank == NO_RANK))
            {
                throw new IllegalArgumentException("localRank must be 0 or more, and given with rank: localRank=" +
                    localRank + " rank=" + rank);
            }
            if (null != hostName && (hostName.isEmpty() ||
                hostName.getBytes(StandardCharsets.UTF_8).length > MAX_HOST_NAME_BYTES))
            {
                throw new IllegalArgumentException("hostName must be 1 to " + MAX_HOST_NAME_BYTES +
                    " bytes of UTF-8: hostName=" + hostName);
            }
            if (storageReserveBytes < 0)
            {
                throw new IllegalArgumentException("storageReserveBytes must be >= 0: storageReserveBytes=" + storageReserveBytes);
            }
            if (backpressure == null || rollCycle == null || queueTimeProvider == null || warningHandler == null)
            {
                throw new IllegalArgumentException(
                    "backpressure, rollCycle, queueTimeProvider and warningHandler must not be null");
            }
            if (clock == null)
            {
                clock = new CalibratedEpochNanoClock();
                defaultClock = true;
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

    private static final long QUEUE_HEADER_TIMEOUT_MS = 200;

    private final Context ctx;
    private final Path directory;
    private final EpochNanoClock clock;
    /** Measures intervals: the monotonic clock, or the clock a test gave (so that durations are deterministic). */
    private final NanoClock intervalClock;
    /** {@link #clock} as the drainer last read it, for {@link EmitterClock}s; refreshed every drainer round. */
    private final CachedNanoClock drainerTime;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ChronicleQueue queue;
    private final RingFile ringFile;
    private final RingDrainer drainer;
    private final ConcurrentHashMap<String, AtomicLong> runSequences = new ConcurrentHashMap<>();
    private final AgentRunner drainerRunner;
    private final ControlRecords controlRecords;
    private final Recovery recovery;

    private Recorder(final Context ctx) throws IOException
    {
        this.ctx = ctx;
        this.directory = ctx.directory;
        this.clock = ctx.clock;
        this.intervalClock = ctx.defaultClock ? SystemNanoClock.INSTANCE : ctx.clock::nanoTime;
        this.drainerTime = ctx.adaptiveTimestamps ? new CachedNanoClock() : null;
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
                .timeProvider(ctx.queueTimeProvider)
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
            final Consumer<String> ringWarnings = warning -> ctx.warningHandler.accept(ringPath + ": " + warning);
            final QueueBatchWriter batches = new QueueBatchWriter(openedRing, appender, ctx.maxBatchBytes,
                ctx.compressionLevel, spaceGuard,
                ringWarnings);
            recovery = openedRing.existed() ?
                RingRecovery.recover(openedQueue, openedRing, batches, clock, ctx.storageReserveBytes, ringWarnings,
                    ctx.warningHandler) :
                new Recovery(0, 0, 0);
            // Recovery appended on this thread; from here on only the drainer thread appends.
            appender.singleThreadedCheckReset();
            drainer = new RingDrainer(directory, openedRing, batches, clock, drainerTime, busyRoundBytes(ctx),
                ctx.storageReserveBytes, ctx.warningHandler, ctx.errorHandler);
            controlRecords = new ControlRecords(
                new RecordWriter(this, drainer.state(), openedRing, null, ctx.backpressure, true), openedRing, clock);
            // the session's first record, before the drainer can take any other
            controlRecords.writeSessionStart(ctx.rank, ctx.worldSize, ctx.localRank, ctx.hostName);
            queue = openedQueue;
            ringFile = openedRing;
        }
        catch (final IOException | RuntimeException ex)
        {
            CloseHelper.quietCloseAll(openedQueue, openedRing, lock, lockChannel);
            throw ex;
        }

        // The drainer reports its own failure to ctx.errorHandler and then stops the runner; the runner's handler
        // gets only what escapes the agent's onStart or onClose, which catch theirs.
        drainerRunner = new AgentRunner(new DrainerIdleStrategy(busyRoundBytes(ctx)), ctx.errorHandler::accept,
            null, drainer);
        AgentRunner.startOnThread(drainerRunner, runnable ->
        {
            final Thread thread = new Thread(runnable);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * @return ring bytes of a drainer round after which the next follows at once: half a batch.
     */
    private static int busyRoundBytes(final Context ctx)
    {
        return ctx.maxBatchBytes >> 1;
    }

    /**
     * Whether a recorder, of this process or another, has the recording in {@code directory} open, found the way
     * {@link #open} finds it (its lock) but creating and changing nothing: for a command that must say so before it
     * spends minutes reading its input.
     *
     * @param directory a directory that may hold a recording.
     * @return true when the recording is open now; false when it is not, or there is none.
     * @throws UncheckedIOException when the lock file exists but cannot be read.
     */
    public static boolean isOpen(final Path directory)
    {
        final Path lockFile = directory.resolve(RecordingDirectoryLayout.LOCK_FILE);
        if (!Files.isRegularFile(lockFile))
        {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE))
        {
            final FileLock probe = channel.tryLock();
            if (probe == null)
            {
                return true;
            }
            probe.release();
            return false;
        }
        catch (final OverlappingFileLockException ex)
        {
            return true; // a Recorder of this JVM holds it
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + lockFile + ": " + ex.getMessage(), ex);
        }
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
     * A new emitter of a family for the calling thread, e.g. {@code recorder.emitter(FamilyEmitter::new, runId)}:
     * it gets an {@link EmitterContext} with a writer of its own ({@link #newWriter()}), a clock of its own and
     * {@code runId}, whose symbol is defined on first use. Use one emitter per thread. When the factory throws (a
     * run id too long for a record, say), the writer's lane is given back.
     */
    public <E> E emitter(final EmitterFactory<E> factory, final String runId)
    {
        final RecordWriter writer = newWriter();
        try
        {
            return factory.newEmitter(new EmitterContext(this, writer, emitterClock(), intervalClock, runId));
        }
        catch (final RuntimeException | Error ex)
        {
            writer.close();
            throw ex;
        }
    }

    /**
     * @return the timestamp source for one new emitter (not thread-safe, like the emitter).
     */
    private EpochNanoClock emitterClock()
    {
        return drainerTime != null ? new EmitterClock(clock, drainerTime) : clock;
    }

    /**
     * @return a new writer for the calling thread, with this recorder's backpressure policy: with a lane of its own
     * while one is free (give it back with {@link RecordWriter#close()}), else writing the shared lane under its lock.
     */
    public RecordWriter newWriter()
    {
        return new RecordWriter(this, drainer.state(), ringFile, ringFile.acquireLane(), ctx.backpressure, false);
    }

    /**
     * @return the longest record (SBE message) this recording takes: an eighth of its ring.
     */
    public int maxRecordLength()
    {
        return ringFile.sharedLane().maxRecordLength();
    }

    /**
     * The integer that stands for {@code value} in records of this session. The first call for a value writes its
     * definition into the recording, like any record: under {@link Backpressure#BLOCK} it waits for room in the ring;
     * when the definition cannot be written (the ring full under {@link Backpressure#DROP}, the file system full and
     * the ring's headroom used up, the recorder closed or its drainer failed) it returns
     * {@link EmitterContext#NO_SYMBOL}, counted in {@link #refusedSymbols()}, and a later call tries again. Later
     * calls are a lookup. Never throws for the recorder's state.
     *
     * @throws IllegalArgumentException when {@code value} is longer than a record of the ring takes (see
     * {@link #maxRecordLength()}): a programming error, like an emit of a record that long.
     */
    public int symbol(final String value)
    {
        return controlRecords.symbol(value);
    }

    /**
     * @return symbol definitions refused so far: calls of {@link #symbol(String)} that returned
     * {@link EmitterContext#NO_SYMBOL}. The emits refused for want of them are in {@link #droppedRecords()}.
     */
    public long refusedSymbols()
    {
        return controlRecords.refusedSymbols();
    }

    /**
     * @return true while the file system of the recording has no room for the drainer: records wait in the ring, and
     * when the ring is full emits return false and are counted in {@link #droppedRecords()}, whatever the
     * backpressure policy (waiting could last forever).
     */
    public boolean isStorageFull()
    {
        return drainer.state().storageFull;
    }

    /**
     * The counter that numbers one run's records in this session, shared by every emitter of the run: a family whose
     * spec numbers a run's records (PPO's {@code log_stream_offset}) takes the next number from it as it emits, so
     * two emitters of a run never give the same number. Numbers start at 1 in each session; the export carries them
     * on across sessions.
     *
     * @param runId the run.
     * @return its counter in this session.
     */
    AtomicLong runSequence(final String runId)
    {
        return runSequences.computeIfAbsent(runId, id -> new AtomicLong());
    }

    void countDropped()
    {
        ringFile.countDropped();
    }

    /**
     * @return records not recorded: emits refused by a full ring under {@link Backpressure#DROP} or while the file
     * system is full, emitted after close or after the drainer failed, or needing a symbol that could not be defined.
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
        return drainer.drainedRecords();
    }

    /**
     * @return bytes of batches the drainer has appended to the queue in this session: batch headers and the records
     * as stored, coded ({@link io.blackbox.codecs.layout.RecordingBatchDescriptor}); not Chronicle's document
     * headers, index or file headers. Divided by {@link #drainedRecords()}, what a record costs on disk.
     */
    public long storedBytes()
    {
        return drainer.storedBytes();
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
        LockSupport.unpark(drainerRunner.thread());
    }

    /**
     * @return the drainer's failure, or null while it is healthy.
     */
    public Throwable failure()
    {
        return drainer.failure();
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
        if (!controlRecords.close()) // waits for a symbol definition in progress to commit
        {
            return;
        }
        drainer.stopAccepting();
        wakeDrainer(); // from its pause: it drains straight on while closing, until the runner stops it
        // The drainer's last drain runs in its onClose; wait for it however long the disk takes (never interrupt a
        // thread writing the queue's mapped file).
        drainerRunner.close(Integer.MAX_VALUE, null);
        drainer.stopAccepting(); // the drainer may have resumed acceptance between our two writes
        ringFile.disown(); // readers (export --follow) now know no process has the ring open
        CloseHelper.quietCloseAll(queue, lock, lockChannel);
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
}
