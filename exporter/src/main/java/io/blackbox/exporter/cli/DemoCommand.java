package io.blackbox.exporter.cli;

import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.report.HtmlReport;
import io.blackbox.exporter.report.ReportData;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.RingBacklog;
import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.family.DemoWorkload;
import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.recorder.Backpressure;
import io.blackbox.recorder.Recorder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code blackbox demo}: every registered family's simulated workload ({@link DemoWorkload}) records into one
 * recording, concurrently; then the recording is exported, validated and reported on. The command names no family: a
 * family that declares a workload is in the demo.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description = {
        "Record every family's simulated runs, export, validate and report.",
        "For each family, T concurrent runs of N steps record into OUT/recording; the recording is exported to " +
            "OUT/export and validated; the output gives events/s, emit latency, export rate and bytes on disk, and " +
            "OUT/" + DemoCommand.REPORT_FILE + " plots the runs (blackbox report).",
        "OUT must be absent, empty, or an earlier demo's output (it holds " + DemoCommand.MARKER_FILE + "), " +
            "whose recording and export are replaced; anything else is refused and left as it is.",
        DemoCommand.DEMO_WORKLOADS,
        "Progress: a bar on a terminal, otherwise a line with steps=N every 0.5 s: N steps of all runs (each " +
            "family's step, as above) are recorded (their emits returned true) and survive a crash of the process." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:recorded, exported and validated",
        "1:an error: an emit was refused (without --drop), the export found damage, validation found problems, or OUT cannot be used",
        BlackboxCommand.EXIT_USAGE_HELP })
public final class DemoCommand implements Callable<Integer>
{
    /** Where the description lists each family's workload; {@link #describeWorkloads} fills it in from the registry. */
    static final String DEMO_WORKLOADS = "DEMO_WORKLOADS";

    /** The file in {@code --out} that marks it as a demo's output, which a later demo may clear. */
    public static final String MARKER_FILE = "blackbox-demo.txt";

    /** The demo's HTML report, beside its recording and export. */
    public static final String REPORT_FILE = "report.html";

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the recording and export go (default: ${DEFAULT-VALUE}).")
    private Path out = Path.of("blackbox-demo");

    @Option(names = "--steps", paramLabel = "N", description = "Training steps per run (default: ${DEFAULT-VALUE}).")
    private long steps = 500_000;

    @Option(names = "--threads", paramLabel = "T", description = "Concurrent runs, one thread each (default: ${DEFAULT-VALUE}).")
    private int threads = 2;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of run ids and curves (default: ${DEFAULT-VALUE}).")
    private long seed = 42;

    @Option(names = "--eval-every", paramLabel = "K", description = "Steps between evals (default: steps / 50).")
    private int evalEvery;

    @Option(names = "--drop", description = "Drop and count records when the ring is full instead of waiting.")
    private boolean drop;

    @Option(names = "--steps-per-second", paramLabel = "R",
        description = "Pace each run at R steps a second, as a real training loop goes, so that live commands " +
            "(export --follow) can be tried against it (default: as fast as it can).")
    private double stepsPerSecond;

    /**
     * Put each registered family's workload into the command's description, where {@link #DEMO_WORKLOADS} stands.
     *
     * @param demo the demo command.
     */
    static void describeWorkloads(final CommandLine demo)
    {
        FamilyCommands.describeFamilies(demo, DEMO_WORKLOADS,
            family -> null == family.demo() ? null : "  " + family.name() + ": " + family.demo().description());
    }

    public Integer call() throws Exception
    {
        if (steps < 1 || threads < 1 || threads > 256 || evalEvery < 0 || !(stepsPerSecond >= 0) ||
            Double.isInfinite(stepsPerSecond))
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "need --steps >= 1, 1 <= --threads <= 256, --eval-every >= 0, a finite --steps-per-second >= 0");
        }
        final Stop stop = new Stop();
        Runtime.getRuntime().addShutdownHook(stop.hook);
        try
        {
            return demo(stop);
        }
        finally
        {
            stop.ended();
        }
    }

    private int demo(final Stop stop) throws Exception
    {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter stderr = spec.commandLine().getErr();
        FileErrors.requireWritableDirectory(out, "--out");
        final Path recordingDirectory = out.resolve("recording");
        final Path exportDirectory = out.resolve("export");
        clearPreviousOutput(out, recordingDirectory, exportDirectory);

        final DemoWorkload.Settings settings = new DemoWorkload.Settings(steps, seed, evalEvery, stepsPerSecond);
        final Map<TelemetryFamily, List<DemoWorkload.DemoRun>> runsByFamily = new LinkedHashMap<>();
        final List<DemoWorkload.DemoRun> runs = new ArrayList<>();
        final long recordStartNs;
        final long recordEndNs;
        final long dropped;
        try (Recorder recorder = Recorder.open(new Recorder.Context()
            .directory(recordingDirectory)
            .backpressure(drop ? Backpressure.DROP : Backpressure.BLOCK)))
        {
            final List<Thread> workers = new ArrayList<>();
            for (final TelemetryFamily family : TelemetryFamilies.all())
            {
                final DemoWorkload workload = family.demo();
                if (null == workload)
                {
                    continue;
                }
                final List<DemoWorkload.DemoRun> familyRuns = new ArrayList<>();
                for (int i = 0; i < threads; i++)
                {
                    final DemoWorkload.DemoRun run = workload.newRun(recorder, i, settings);
                    familyRuns.add(run);
                    workers.add(new Thread(run, "demo-" + family.name() + "-" + i));
                }
                runsByFamily.put(family, familyRuns);
                runs.addAll(familyRuns);
            }
            final Progress progress = new Progress(runs, steps * runs.size(), stdout, stderr);
            recordStartNs = System.nanoTime();
            stop.start(workers);
            for (final Thread worker : workers)
            {
                while (worker.isAlive())
                {
                    worker.join(progress.intervalMs());
                    progress.showIfDue();
                }
            }
            recordEndNs = System.nanoTime();
            progress.finish();
            dropped = recorder.droppedRecords();
            if (recorder.failure() != null)
            {
                throw new UserError("recording failed: " + recorder.failure().getMessage());
            }
        }
        final long closedNs = System.nanoTime();

        final long exportStartNs = System.nanoTime();
        final RecordingExport.Result export = RecordingExport.export(recordingDirectory, exportDirectory);
        final long exportEndNs = System.nanoTime();

        final List<Problem> problems = new ArrayList<>();
        final List<FamilyExport.ExportedFile> files = new ArrayList<>();
        long jsonBytes = 0;
        for (final TelemetryFamily family : TelemetryFamilies.all())
        {
            for (final FamilyExport.ExportedFile file : export.files().getOrDefault(family.name(), List.of()))
            {
                problems.addAll(family.validator().validate(file.path()));
                jsonBytes += Files.size(file.path());
                files.add(file);
            }
        }

        final List<Path> derived = new ArrayList<>();
        for (final TelemetryFamily family : TelemetryFamilies.all())
        {
            if (null != family.demo())
            {
                derived.addAll(family.demo().afterExport(exportDirectory));
            }
        }

        long events = 0;
        boolean notRecorded = false;
        for (final DemoWorkload.DemoRun run : runs)
        {
            events += run.events();
            notRecorded |= run.notRecorded();
        }
        final long recordingBytes = directorySize(recordingDirectory);
        final double recordSeconds = (recordEndNs - recordStartNs) / 1e9;
        final double exportSeconds = (exportEndNs - exportStartNs) / 1e9;

        stdout.printf(Locale.ROOT, "recorded   %,d events from %d runs in %.2f s: %,.0f events/s (drain and close %.2f s more)%n",
            events, runs.size(), recordSeconds, events / recordSeconds, (closedNs - recordEndNs) / 1e9);
        for (final Map.Entry<TelemetryFamily, List<DemoWorkload.DemoRun>> family : runsByFamily.entrySet())
        {
            final Histogram latency = new Histogram(10_000_000_000L, 3);
            for (final DemoWorkload.DemoRun run : family.getValue())
            {
                latency.add(run.stepEmitLatencyNs());
            }
            stdout.printf(Locale.ROOT, "emit       %s %s latency p50 %,d ns  p99 %,d ns  p99.9 %,d ns  max %,d ns  " +
                    "(%,d emits, nanoTime pair included)%n",
                family.getKey().name(), family.getValue().get(0).stepRecord(), latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9), latency.getMaxValue(),
                latency.getTotalCount());
        }
        stdout.printf(Locale.ROOT, "dropped    %,d records%s%n", dropped, drop ? " (--drop: ring full)" : "");
        stdout.printf(Locale.ROOT, "exported   %,d records to %d file%s in %.2f s: %,.0f records/s%n",
            export.records(), files.size(), files.size() == 1 ? "" : "s", exportSeconds, export.records() / exportSeconds);
        // What the queue stores (delta-coded batches, their headers included) over every record: a record in the ring
        // is larger, and only until the drainer takes it.
        stdout.printf(Locale.ROOT, "disk       %,d bytes stored, %.2f B per record, vs %,d bytes of exported JSON (%.3fx)%n",
            export.dataBytes(), (double)export.dataBytes() / Math.max(1, export.records()), jsonBytes,
            (double)export.dataBytes() / Math.max(1, jsonBytes));
        stdout.printf(Locale.ROOT, "validated  %d file%s: %s%n", files.size(), files.size() == 1 ? "" : "s", problems.isEmpty() ? "no problems" : problems.size() + " problems");
        for (final Problem problem : problems)
        {
            stdout.println(problem);
        }
        for (final String damage : export.damage())
        {
            stdout.println("damage     " + damage);
        }
        stdout.printf(Locale.ROOT, "recording  %s (%,d bytes of files: the ring and the queue's preallocated, sparse blocks)%n",
            recordingDirectory, recordingBytes);
        stdout.println("export     " + exportDirectory);
        for (final FamilyExport.ExportedFile file : files)
        {
            stdout.println("           " + file.path());
        }
        for (final Path file : derived)
        {
            stdout.println("           " + file + " (made from the export)");
        }
        final Path reportFile = out.resolve(REPORT_FILE);
        final ReportData.Result reportData = ReportData.fromRecording(recordingDirectory, records -> {});
        HtmlReport.write(reportFile, "Blackbox demo", "recording " + recordingDirectory.toAbsolutePath().normalize(),
            reportData.sections());
        stdout.println("report     " + reportFile + " (open it in a browser: it needs no network)");
        stdout.flush();
        final boolean clean = problems.isEmpty() && export.damage().isEmpty() && (drop || !notRecorded);
        return clean ? BlackboxCommand.EXIT_OK : BlackboxCommand.EXIT_FAILURE;
    }

    /**
     * Make {@code out} the demo's output, removing what an earlier demo left there, but never anything else. Only a
     * directory that is absent, empty, or holds the {@link #MARKER_FILE} an earlier demo wrote is taken; anything else
     * (the home directory, {@code /}, a project, a file) is refused before a single file is deleted. The marker is
     * written before recording starts, so the output of a demo that crashed is recognised too.
     */
    private static void clearPreviousOutput(final Path out, final Path... outputs) throws IOException
    {
        if (Files.exists(out) && !Files.isDirectory(out))
        {
            throw new UserError(out + " is not a directory; choose another --out");
        }
        if (Files.isDirectory(out) && !Files.isRegularFile(out.resolve(MARKER_FILE), LinkOption.NOFOLLOW_LINKS))
        {
            try (Stream<Path> entries = Files.list(out))
            {
                if (entries.findAny().isPresent())
                {
                    throw new UserError(out + " is not empty and is not the output of an earlier demo (it has no " +
                        MARKER_FILE + "); choose another --out");
                }
            }
        }
        for (final Path output : outputs)
        {
            refuseUnrecoveredRecords(output);
        }
        for (final Path output : outputs)
        {
            if (Files.exists(output, LinkOption.NOFOLLOW_LINKS))
            {
                delete(output);
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve(MARKER_FILE),
            "Written by blackbox demo: its next run into this directory deletes recording/ and export/ here and " +
                "replaces " + REPORT_FILE + ".\n");
    }

    /**
     * Refuse to replace a recording whose ring still holds records that never reached its queue (a demo killed with
     * -9 leaves them): replacing it deleted 11.1 M recorded records without a word.
     */
    private static void refuseUnrecoveredRecords(final Path recording)
    {
        if (!Files.isRegularFile(recording.resolve(RecordingDirectoryLayout.RING_FILE), LinkOption.NOFOLLOW_LINKS))
        {
            return;
        }
        final long left;
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            reader.readAll((templateId, buffer, offset, length, symbols) -> { });
            final RingBacklog backlog = reader.ringBacklog();
            left = backlog == null || backlog.problem() != null ? 0 : backlog.records();
        }
        catch (final RecordingException ex)
        {
            return; // not a recording that can be read: nothing in it can be recovered either
        }
        if (left > 0)
        {
            throw new UserError(recording + " holds " + left + " records a stopped demo left in its ring, not yet in " +
                "its queue; drain them with 'blackbox recover --recording " + recording + "' and export them, or " +
                "delete " + recording + " to discard them");
        }
    }

    /**
     * Delete a file or a directory tree; a symbolic link is deleted, never followed.
     */
    private static void delete(final Path path) throws IOException
    {
        try (Stream<Path> tree = Files.walk(path))
        {
            tree.sorted(Comparator.reverseOrder()).forEach(file ->
            {
                try
                {
                    Files.delete(file);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
    }

    /**
     * SIGTERM or Ctrl-C while the demo records: the runs end early (their threads are interrupted) and the demo goes
     * on as after the last step, so the recorder closes and the recording ends cleanly, with nothing left in the ring
     * for {@code recover}. The hook waits for that, since the JVM halts once its hooks return.
     */
    private static final class Stop
    {
        private static final long WAIT_SECONDS = 30;

        private final Thread hook = new Thread(this::stop, "blackbox-demo-stop");
        private final CountDownLatch ended = new CountDownLatch(1);
        private final List<Thread> workers = new ArrayList<>();
        private boolean stopping;

        synchronized void start(final List<Thread> threads)
        {
            for (final Thread thread : threads)
            {
                workers.add(thread);
                thread.start();
                if (stopping)
                {
                    thread.interrupt(); // after start: interrupting a thread not yet started may do nothing
                }
            }
        }

        private void stop()
        {
            synchronized (this)
            {
                stopping = true;
                workers.forEach(Thread::interrupt);
            }
            try
            {
                ended.await(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ignore)
            {
                Thread.currentThread().interrupt();
            }
        }

        void ended()
        {
            ended.countDown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ignore)
            {
                // shutting down: the hook is running and waits for ended
            }
        }
    }

    private static long directorySize(final Path directory) throws IOException
    {
        try (Stream<Path> tree = Files.walk(directory))
        {
            return tree.filter(Files::isRegularFile).mapToLong(path ->
            {
                try
                {
                    return Files.size(path);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            }).sum();
        }
    }

    /**
     * Progress while the runs record: a bar when standard error is a terminal, otherwise a line every 0.5 s with
     * {@code steps=N}, N being the {@code train_step} emits that returned true: those records are in the ring and
     * outlive a crash, so a line is an acknowledgement.
     */
    private static final class Progress
    {
        private final List<DemoWorkload.DemoRun> runs;
        private final long total;
        private final PrintWriter stdout;
        private final PrintWriter stderr;
        private final boolean terminal = System.console() != null && System.getenv("CI") == null;
        private final long startNs = System.nanoTime();
        private long lastShownNs = startNs;
        private long lastShownSteps = -1;

        Progress(final List<DemoWorkload.DemoRun> runs, final long total, final PrintWriter stdout, final PrintWriter stderr)
        {
            this.runs = runs;
            this.total = total;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        long intervalMs()
        {
            return terminal ? 100 : 500;
        }

        /**
         * Show progress once an interval has passed since the last time (a worker that ends wakes the waiting loop
         * early, and the next would print the same line again); the total is left to {@link #finish()}, said once.
         */
        void showIfDue()
        {
            if (System.nanoTime() - lastShownNs >= intervalMs() * 1_000_000L)
            {
                final long steps = acknowledgedSteps();
                if (steps < total)
                {
                    show(steps);
                }
            }
        }

        private long acknowledgedSteps()
        {
            long steps = 0;
            for (final DemoWorkload.DemoRun run : runs)
            {
                steps += run.acknowledgedSteps();
            }
            return steps;
        }

        private void show(final long steps)
        {
            lastShownNs = System.nanoTime();
            lastShownSteps = steps;
            final double seconds = (lastShownNs - startNs) / 1e9;
            if (terminal)
            {
                final int width = 40;
                final int filled = (int)(width * steps / Math.max(1, total));
                stderr.printf(Locale.ROOT, "\r[%s%s] %3d%%  %,d steps  %,.0f steps/s ",
                    "#".repeat(filled), ".".repeat(width - filled), 100 * steps / Math.max(1, total), steps,
                    steps / Math.max(seconds, 1e-9));
                stderr.flush();
            }
            else
            {
                stdout.printf(Locale.ROOT, "progress steps=%d total=%d elapsed=%.1fs%n", steps, total, seconds);
                stdout.flush();
            }
        }

        /**
         * The last state, unless it is the line shown last.
         */
        void finish()
        {
            final long steps = acknowledgedSteps();
            if (steps != lastShownSteps)
            {
                show(steps);
            }
            if (terminal)
            {
                stderr.println();
                stderr.flush();
            }
        }
    }
}
