package io.blackbox.exporter;

import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * The export of a closed recording on several threads, the families shared between them: each thread (a part) reads
 * the whole recording with a {@link RecordingReader} of its own (reading is read-only, and cheap next to formatting)
 * and exports its share of the families through a {@link FamilyExports} that skips the others' records. A family's
 * export sees exactly the records, in the same order, as on one thread, so its files are the same bytes.
 * <p>
 * The first part, on the calling thread, starts as the export on one thread: every family. Beside it, a planner reads
 * the recording once, counting each family's bytes, and shares the families out by what they will cost (bytes times
 * {@link TelemetryFamily#exportNanosPerByte()}: the heaviest family to the lightest part, then the next, greedy), never
 * into more parts than families recorded. When there are two parts or more, the first part keeps its share (what it
 * wrote of the other families is discarded, {@link FamilyExports#skipFamilies}) and the planner's thread and new ones
 * export the other shares from the start. When the planner finds one family, damage or records no family knows, the
 * first part goes on alone and is the export on one thread exactly: a recording of one family costs no second read on
 * its thread, a damaged one no second export. A first part done before the planner (a small recording) waits for its
 * decision, so a recording is always shared out the same way.
 * <p>
 * Where the parts cannot give what one thread gives (a part finds damage, or records no family knows, or the parts
 * read different amounts), every part's files are discarded uncommitted and the caller exports on one thread, whose
 * damage lines are then the ones it always writes, in its order. When a part fails, the others stop at their next
 * record, every part's files are discarded, and the failure is thrown as one thread would throw it.
 */
final class PartitionedExport
{
    /** The first part's share when it exports every family: the recording is not shared out. */
    private static final List<TelemetryFamily> EVERY_FAMILY = List.of();

    private PartitionedExport()
    {
    }

    /**
     * What an export in parts did.
     *
     * @param result what was exported.
     * @param parts  the parts the recording was shared into: 1 when the first part exported it alone.
     */
    record Outcome(RecordingExport.Result result, int parts)
    {
    }

    /**
     * Export {@code recording} into {@code root} on up to {@code threads} threads.
     *
     * @return what was exported, or null when the recording is to be exported again on one thread (nothing was
     * committed).
     */
    static Outcome export(final Path recording, final Path root, final int threads, final LongConsumer progress)
        throws IOException
    {
        final Split split = new Split(threads, progress);
        final List<Part> parts = new ArrayList<>(threads);
        try
        {
            final Part first = new Part(0, recording, new FamilyExports(root, false), split);
            parts.add(first);
            // The planner's thread exports the second part once it has planned.
            final Thread planner = new Thread(() -> plan(recording, root, threads, split), "blackbox-export-1");
            planner.setDaemon(true);
            planner.start();
            first.run();
            split.awaitDecision(); // a first part done before the planner (a small recording) still takes its share
            first.takeShare();
            awaitAll(List.of(planner), split.failure);
            parts.addAll(split.others);
            throwFailure(parts, split.failure.get());

            if (parts.size() == 1)
            {
                return new Outcome(RecordingExport.finish(recording, root, first.reader, first.exports.commit(),
                    first.exports.unknownRecords()), 1);
            }
            if (!sameAsOneThread(parts))
            {
                return null; // closed below, uncommitted
            }
            final Map<String, List<FamilyExport.ExportedFile>> committed = new HashMap<>();
            for (final Part part : parts)
            {
                committed.putAll(part.exports.commit());
            }
            final Map<String, List<FamilyExport.ExportedFile>> files = new LinkedHashMap<>();
            for (final TelemetryFamily family : TelemetryFamilies.all())
            {
                final List<FamilyExport.ExportedFile> written = committed.get(family.name());
                if (null != written)
                {
                    files.put(family.name(), written);
                }
            }
            return new Outcome(RecordingExport.finish(recording, root, first.reader, files,
                first.exports.unknownRecords()), parts.size());
        }
        finally
        {
            for (final Part part : parts)
            {
                part.close();
            }
        }
    }

    /**
     * Share the families out between at most {@code threads} parts, each family whole to one part: the families by
     * weight, heaviest first, each to the part with the least weight so far (the first such part on a tie). Families
     * of no weight (none of their records in the recording) go to the first part, so every family is exported
     * somewhere, as on one thread.
     *
     * @param families the families, in registry order.
     * @param weights  each family's weight, by its index in {@code families}.
     * @param threads  the most parts.
     * @return the parts' families, each in registry order, the heaviest family's part first; fewer than {@code threads}
     * parts when fewer families have weight, and one part holding them all when at most one has.
     */
    static List<List<TelemetryFamily>> share(final List<TelemetryFamily> families, final double[] weights,
        final int threads)
    {
        final List<Integer> byWeight = new ArrayList<>();
        for (int i = 0; i < families.size(); i++)
        {
            if (weights[i] > 0)
            {
                byWeight.add(i);
            }
        }
        // Heaviest first; registry order between equal weights, so the same recording is always shared the same way.
        byWeight.sort(Comparator.comparingDouble((Integer i) -> -weights[i]).thenComparingInt(i -> i));
        final int partCount = Math.max(1, Math.min(threads, byWeight.size()));
        final double[] partWeights = new double[partCount];
        final int[] partOf = new int[families.size()];
        for (final int family : byWeight)
        {
            int lightest = 0;
            for (int part = 1; part < partCount; part++)
            {
                if (partWeights[part] < partWeights[lightest])
                {
                    lightest = part;
                }
            }
            partOf[family] = lightest;
            partWeights[lightest] += weights[family];
        }

        final List<List<TelemetryFamily>> shares = new ArrayList<>(partCount);
        for (int part = 0; part < partCount; part++)
        {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < families.size(); i++)
        {
            shares.get(partOf[i]).add(families.get(i)); // a family of no weight stays in part 0
        }

        return shares;
    }

    /**
     * The planner, on a thread of its own: read the recording once, share the families out, and when there are two
     * parts or more, export every share but the first's (the second on this thread).
     */
    private static void plan(final Path recording, final Path root, final int threads, final Split split)
    {
        final List<Part> planned = new ArrayList<>();
        boolean published = false;
        try
        {
            final List<List<TelemetryFamily>> shares = shareOut(recording, threads, split.failure);
            if (null == shares)
            {
                split.decide(EVERY_FAMILY);
                return;
            }
            for (int i = 1; i < shares.size(); i++)
            {
                planned.add(new Part(i, recording, new FamilyExports(root, false, shares.get(i)::contains), split));
            }
            split.publish(shares.get(0), planned);
            published = true;
            // The other parts write the files the first part began (the same temporary files): not before it let go.
            split.awaitShareTaken();
            runOthers(planned, split);
        }
        catch (final Throwable ex)
        {
            if (published)
            {
                split.failure.compareAndSet(null, ex);
            }
            // else the first part goes on alone, and meets what is wrong with the recording itself
        }
        finally
        {
            split.decide(EVERY_FAMILY); // unless decided above: the first part must not wait for a planner that failed
            if (!published)
            {
                for (final Part part : planned)
                {
                    part.close();
                }
            }
        }
    }

    /**
     * Read the recording once and share its families out ({@link #share}), each weighed by its bytes times its
     * {@link TelemetryFamily#exportNanosPerByte()}.
     *
     * @param stop set when the read is not needed any more (a part failed).
     * @return the shares, the first part's first, or null when the recording is not to be shared out: fewer than two
     * families recorded, damage, records of a template no family knows, or {@code stop} set.
     */
    static List<List<TelemetryFamily>> shareOut(final Path recording, final int threads,
        final AtomicReference<Throwable> stop)
    {
        final List<TelemetryFamily> families = TelemetryFamilies.all();
        final long[] bytes = recordedBytes(recording, families, stop);
        if (null == bytes)
        {
            return null;
        }
        final double[] weights = new double[families.size()];
        for (int i = 0; i < weights.length; i++)
        {
            weights[i] = bytes[i] * families.get(i).exportNanosPerByte();
        }
        final List<List<TelemetryFamily>> shares = share(families, weights, threads);

        return shares.size() < 2 ? null : shares;
    }

    /**
     * Run the first of {@code others} on this thread and the rest on threads of their own, until all have ended.
     */
    private static void runOthers(final List<Part> others, final Split split)
    {
        final List<Thread> threads = new ArrayList<>(others.size());
        try
        {
            for (final Part part : others.subList(1, others.size()))
            {
                final Thread thread = new Thread(part::run, "blackbox-export-" + part.index);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            others.get(0).run();
        }
        catch (final RuntimeException | Error ex)
        {
            split.failure.compareAndSet(null, ex); // the threads started stop at their next record
        }
        finally
        {
            awaitAll(threads, split.failure);
        }
    }

    /**
     * Read the recording once, counting the bytes of each family's records.
     *
     * @return the bytes by the family's index in {@code families}, or null when the recording is not to be shared out:
     * the reader found damage, or records of a template no family knows, or {@code stop} was set.
     */
    private static long[] recordedBytes(final Path recording, final List<TelemetryFamily> families,
        final AtomicReference<Throwable> stop)
    {
        final long[] bytesByTemplateId = new long[1 << 16];
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            reader.readAll((templateId, buffer, offset, length, symbols) ->
            {
                if (null != stop.get())
                {
                    throw new PartStopped();
                }
                bytesByTemplateId[templateId] += length;
            });
            if (reader.damageCount() > 0)
            {
                return null;
            }
        }
        catch (final PartStopped ex)
        {
            return null;
        }
        final long[] bytes = new long[families.size()];
        long claimed = 0;
        for (int i = 0; i < bytes.length; i++)
        {
            final TelemetryFamily family = families.get(i);
            for (int templateId = family.firstTemplateId(); templateId <= family.lastTemplateId(); templateId++)
            {
                bytes[i] += bytesByTemplateId[templateId];
            }
            claimed += bytes[i];
        }
        long all = 0;
        for (final long templateBytes : bytesByTemplateId)
        {
            all += templateBytes;
        }

        return all == claimed ? bytes : null;
    }

    /**
     * Wait until every thread has ended. An interrupt stops the parts (as a failure) and is kept for the caller.
     */
    private static void awaitAll(final List<Thread> threads, final AtomicReference<Throwable> failure)
    {
        boolean interrupted = false;
        for (final Thread thread : threads)
        {
            while (thread.isAlive())
            {
                try
                {
                    thread.join();
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                    failure.compareAndSet(null, new InterruptedIOException("export interrupted"));
                }
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Throw the first failure of any part, with any other part's own failure suppressed in it.
     */
    private static void throwFailure(final List<Part> parts, final Throwable first) throws IOException
    {
        if (null == first)
        {
            return;
        }
        for (final Part part : parts)
        {
            final Throwable own = part.ownFailure;
            if (null != own && first != own && !(own instanceof PartStopped))
            {
                first.addSuppressed(own);
            }
        }
        if (first instanceof RuntimeException)
        {
            throw (RuntimeException)first;
        }
        if (first instanceof Error)
        {
            throw (Error)first;
        }
        if (first instanceof IOException)
        {
            throw (IOException)first;
        }
        throw new IllegalStateException(first);
    }

    /**
     * @return whether the parts' files together are what one thread would write: no part found damage or a record no
     * family knows, and every part read the same records (a recording that changed while read is exported again).
     */
    private static boolean sameAsOneThread(final List<Part> parts)
    {
        final Part first = parts.get(0);
        for (final Part part : parts)
        {
            if (part.reader.damageCount() > 0 || part.exports.unknownRecords() > 0 ||
                part.reader.records() != first.reader.records() ||
                part.reader.excerptBytes() != first.reader.excerptBytes() ||
                part.reader.sessions() != first.reader.sessions() ||
                part.reader.droppedRecords() != first.reader.droppedRecords())
            {
                return false;
            }
        }

        return true;
    }

    /**
     * What the parts share: how the recording is shared out, the first failure, and the progress.
     */
    private static final class Split
    {
        /** The first part's share: null until decided, then {@link #EVERY_FAMILY} or the families it keeps. */
        final AtomicReference<List<TelemetryFamily>> firstShare = new AtomicReference<>();
        /** The first failure of any part: the others stop at their next record. */
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final PartsProgress progress;
        /** The parts after the first, once published; read after the planner's thread ended. */
        List<Part> others = List.of();
        private final CountDownLatch decided = new CountDownLatch(1);
        private final CountDownLatch shareTaken = new CountDownLatch(1);

        Split(final int threads, final LongConsumer progress)
        {
            this.progress = new PartsProgress(threads, progress);
        }

        /**
         * Decide the first part's share, unless it is decided already.
         */
        void decide(final List<TelemetryFamily> share)
        {
            if (firstShare.compareAndSet(null, share))
            {
                decided.countDown();
            }
        }

        /**
         * Share the recording out: the first part keeps {@code share}, {@code parts} export the rest.
         */
        void publish(final List<TelemetryFamily> share, final List<Part> parts)
        {
            others = parts;
            progress.parts(1 + parts.size());
            decide(share);
        }

        /**
         * Wait until the first part has taken its share: it discarded what it wrote of the other parts' families. It
         * does so at its next record, or when it has read everything (failed or not).
         */
        void awaitShareTaken()
        {
            awaitUninterruptibly(shareTaken, () -> {});
        }

        /**
         * Wait until the planner has decided the first part's share. An interrupt stops the parts (as a failure), which
         * the planner meets at its next record, and is kept for the caller.
         */
        void awaitDecision()
        {
            awaitUninterruptibly(decided,
                () -> failure.compareAndSet(null, new InterruptedIOException("export interrupted")));
        }

        /**
         * Wait for {@code latch} whatever interrupts come (a part must not leave files another thread is about to
         * write); {@code onInterrupt} runs at each, and the interrupt is kept for the caller.
         */
        private static void awaitUninterruptibly(final CountDownLatch latch, final Runnable onInterrupt)
        {
            boolean interrupted = false;
            while (true)
            {
                try
                {
                    latch.await();
                    break;
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                    onInterrupt.run();
                }
            }
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Thrown into a reader to stop it: when another part failed, or the planner's read is not needed any more. Not
     * damage (the reader reads on after a {@link RecordingException}), so it leaves the reader at once.
     */
    private static final class PartStopped extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        PartStopped()
        {
            super("stopped", null, false, false);
        }
    }

    /**
     * The records the parts have read, for the export's progress: the slowest part's count, so it never passes what
     * every part has read, and only ever grows. The first part counts alone until the recording is shared out.
     */
    static final class PartsProgress
    {
        private final long[] records;
        private final LongConsumer progress;
        private int parts = 1;
        private long told;

        PartsProgress(final int maxParts, final LongConsumer progress)
        {
            this.records = new long[maxParts];
            this.progress = progress;
        }

        synchronized void parts(final int parts)
        {
            this.parts = parts;
        }

        synchronized void read(final int part, final long read)
        {
            records[part] = read;
            long slowest = Long.MAX_VALUE;
            for (int i = 0; i < parts; i++)
            {
                slowest = Math.min(slowest, records[i]);
            }
            if (slowest > told)
            {
                told = slowest;
                progress.accept(slowest);
            }
        }
    }

    /**
     * One thread's share of the export: its families' exports, fed by a reader of its own.
     */
    private static final class Part implements RecordingReader.RecordHandler
    {
        private final int index;
        private final RecordingReader reader;
        private final FamilyExports exports;
        private final Split split;
        private long nextProgress = RecordingExport.PROGRESS_INTERVAL;
        /** The first part, until it knows its share. */
        private boolean awaitingShare;
        /** What ended this part's run, if it did not end well; read after the thread ended. */
        private Throwable ownFailure;

        Part(final int index, final Path recording, final FamilyExports exports, final Split split)
        {
            this.index = index;
            this.exports = exports;
            this.split = split;
            this.awaitingShare = 0 == index;
            try
            {
                this.reader = RecordingReader.open(recording);
            }
            catch (final RuntimeException | Error ex)
            {
                exports.close();
                throw ex;
            }
        }

        void run()
        {
            try
            {
                reader.readAll(this);
            }
            catch (final Throwable ex)
            {
                ownFailure = ex;
                split.failure.compareAndSet(null, ex);
            }
        }

        /**
         * The first part: once its share is decided, stop exporting the families other parts export.
         */
        void takeShare()
        {
            final List<TelemetryFamily> share = split.firstShare.get();
            if (awaitingShare && null != share)
            {
                awaitingShare = false;
                try
                {
                    if (EVERY_FAMILY != share)
                    {
                        exports.skipFamilies(family -> !share.contains(family));
                    }
                }
                finally
                {
                    split.shareTaken.countDown();
                }
            }
        }

        public void onRecord(final int templateId, final DirectBuffer buffer, final int offset, final int length,
            final Symbols symbols)
        {
            if (null != split.failure.get())
            {
                throw new PartStopped();
            }
            if (awaitingShare)
            {
                takeShare();
            }
            exports.onRecord(templateId, buffer, offset, length, symbols);
            if (reader.records() >= nextProgress)
            {
                nextProgress += RecordingExport.PROGRESS_INTERVAL;
                split.progress.read(index, reader.records());
            }
        }

        public void onSessionStart(final RecordingReader.Session session)
        {
            exports.onSessionStart(session);
        }

        public void onSessionEnd(final RecordingReader.Session session)
        {
            exports.onSessionEnd(session);
        }

        /**
         * Discard the files not committed, and close the reader.
         */
        void close()
        {
            try
            {
                exports.close();
            }
            finally
            {
                reader.close();
            }
        }
    }
}
