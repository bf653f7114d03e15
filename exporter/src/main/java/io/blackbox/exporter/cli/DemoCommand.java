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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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

    /** Processes {@code --ranks} starts at most: each is a JVM with its own recorder and ring. */
    static final int MAX_RANKS = 64;

    /** Under {@code --out}: the ranks' recordings of {@code --ranks}. */
    static final String RANKS_DIRECTORY = "ranks";

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

    @Option(names = "--ranks", paramLabel = "N", description = "Run N recording processes, the ranks of one job " +
        "(0 to N-1), each recording every family into OUT/" + DemoCommand.RANKS_DIRECTORY + "/rank-K with seed S+K; " +
        "then export them merged into OUT/export (default: ${DEFAULT-VALUE}: one process, OUT/recording).")
    private int ranks = 1;

    /** Set by {@link #runRanks} for a rank's process: record into --out as this rank, and export nothing. */
    @Option(names = "--rank", hidden = true)
    private int rank = -1;

    @Option(names = "--world-size", hidden = true)
    private int worldSize = -1;

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
            Double.isInfinite(stepsPerSecond) || ranks < 1 || ranks > MAX_RANKS)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "need --steps >= 1, 1 <= --threads <= 256, --eval-every >= 0, a finite --steps-per-second >= 0, " +
                "1 <= --ranks <= " + MAX_RANKS);
        }
        final Stop stop = new Stop();
        try (SignalStop signal = new SignalStop("blackbox-demo-stop", stop::stop))
        {
            return demo(stop);
        }
    }

    private int demo(final Stop stop) throws Exception
    {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter stderr = spec.commandLine().getErr();
        if (rank >= 0)
        {
            return recordRank(stop, stdout, stderr);
        }
        FileErrors.requireWritableDirectory(out, "--out");
        final Path recordingDirectory = out.resolve("recording");
        final Path ranksDirectory = out.resolve(RANKS_DIRECTORY);
        final Path exportDirectory = out.resolve("export");
        clearPreviousOutput(out, recordingDirectory, ranksDirectory, exportDirectory);

        final List<Path> recordings = new ArrayList<>();
        final boolean recordedAll;
        if (1 == ranks)
        {
            final Recorded recorded = record(new Recorder.Context().directory(recordingDirectory), stop);
            recorded.print(stdout, drop);
            recordings.add(recordingDirectory);
            recordedAll = !recorded.notRecorded();
        }
        else
        {
            for (int r = 0; r < ranks; r++)
            {
                recordings.add(ranksDirectory.resolve("rank-" + r));
            }
            Files.createDirectories(ranksDirectory);
            recordedAll = runRanks(recordings, stop, stdout, stderr);
        }

        final long exportStartNs = System.nanoTime();
        final RecordingExport.Result export = RecordingExport.export(recordings, exportDirectory,
            Runtime.getRuntime().availableProcessors(), records -> {});
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

        final double exportSeconds = (exportEndNs - exportStartNs) / 1e9;
        stdout.printf(Locale.ROOT, "exported   %,d records to %d file%s in %.2f s: %,.0f records/s%s%n",
            export.records(), files.size(), files.size() == 1 ? "" : "s", exportSeconds, export.records() / exportSeconds,
            1 == ranks ? "" : " (" + ranks + " recordings merged)");
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
        for (final String warning : export.warnings())
        {
            stdout.println("warning    " + warning);
        }
        for (final Path recording : recordings)
        {
            stdout.printf(Locale.ROOT, "recording  %s (%,d bytes of files: the ring and the queue's preallocated, sparse blocks)%n",
                recording, directorySize(recording));
        }
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
        if (1 == ranks)
        {
            final ReportData.Result reportData = ReportData.fromRecording(recordingDirectory, records -> {});
            HtmlReport.write(reportFile, "Blackbox demo", "recording " + recordingDirectory.toAbsolutePath().normalize(),
                reportData.sections());
        }
        else
        {
            // One job's ranks: the report plots the merged export's files, every rank's runs side by side.
            final ReportData.Result reportData = ReportData.fromFiles(reportableFiles(export), bytes -> {});
            HtmlReport.write(reportFile, "Blackbox demo, " + ranks + " ranks", "export " +
                exportDirectory.toAbsolutePath().normalize() + " of " + ranks + " recordings", reportData.sections());
        }
        stdout.println("report     " + reportFile + " (open it in a browser: it needs no network)");
        stdout.flush();
        final boolean clean = problems.isEmpty() && export.damage().isEmpty() && (drop || recordedAll);
        return clean ? BlackboxCommand.EXIT_OK : BlackboxCommand.EXIT_FAILURE;
    }

    /**
     * @return the exported files of the families that have a report.
     */
    private static List<Path> reportableFiles(final RecordingExport.Result export)
    {
        final List<Path> paths = new ArrayList<>();
        for (final TelemetryFamily family : TelemetryFamilies.all())
        {
            if (null != family.report())
            {
                for (final FamilyExport.ExportedFile file : export.files().getOrDefault(family.name(), List.of()))
                {
                    paths.add(file.path());
                }
            }
        }
        return paths;
    }

    /**
     * What one recording process recorded.
     */
    private record Recorded(Map<TelemetryFamily, List<DemoWorkload.DemoRun>> runsByFamily,
        List<DemoWorkload.DemoRun> runs, long recordNs, long closeNs, long dropped)
    {
        boolean notRecorded()
        {
            for (final DemoWorkload.DemoRun run : runs)
            {
                if (run.notRecorded())
                {
                    return true;
                }
            }
            return false;
        }

        void print(final PrintWriter stdout, final boolean drop)
        {
            long events = 0;
            for (final DemoWorkload.DemoRun run : runs)
            {
                events += run.events();
            }
            final double recordSeconds = recordNs / 1e9;
            stdout.printf(Locale.ROOT, "recorded   %,d events from %d runs in %.2f s: %,.0f events/s (drain and close %.2f s more)%n",
                events, runs.size(), recordSeconds, events / recordSeconds, closeNs / 1e9);
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
            stdout.flush();
        }
    }

    /**
     * Every family's workload, {@code --threads} runs each, into the recording {@code context} opens.
     */
    private Recorded record(final Recorder.Context context, final Stop stop) throws InterruptedException
    {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter stderr = spec.commandLine().getErr();
        final DemoWorkload.Settings settings = new DemoWorkload.Settings(steps, seed, evalEvery, stepsPerSecond);
        final Map<TelemetryFamily, List<DemoWorkload.DemoRun>> runsByFamily = new LinkedHashMap<>();
        final List<DemoWorkload.DemoRun> runs = new ArrayList<>();
        final long recordStartNs;
        final long recordEndNs;
        final long dropped;
        try (Recorder recorder = Recorder.open(context.backpressure(drop ? Backpressure.DROP : Backpressure.BLOCK)))
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
        return new Recorded(runsByFamily, runs, recordEndNs - recordStartNs, System.nanoTime() - recordEndNs, dropped);
    }

    /**
     * A rank's process, started by {@link #runRanks}: record into {@code --out} as rank {@code --rank} of
     * {@code --world-size}, say what was recorded, and leave the export to the process that started it.
     */
    private int recordRank(final Stop stop, final PrintWriter stdout, final PrintWriter stderr) throws Exception
    {
        if (worldSize <= rank)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--rank must be below --world-size: rank=" + rank + " worldSize=" + worldSize);
        }
        // All ranks run on this host, so each one's local rank is its rank.
        final Recorded recorded = record(new Recorder.Context().directory(out).rank(rank, worldSize).localRank(rank),
            stop);
        recorded.print(stdout, drop);
        return drop || !recorded.notRecorded() ? BlackboxCommand.EXIT_OK : BlackboxCommand.EXIT_FAILURE;
    }

    /**
     * Start one process a rank, each recording every family's workload into its recording with the seed plus its
     * rank (its own run ids and curves), and wait for them all. Their output is passed on, each line marked with its
     * rank. Stopping the demo (SIGTERM, Ctrl-C) stops them, and they end their recordings as one process does.
     *
     * @return whether every rank recorded every emit.
     * @throws UserError when a rank's process failed.
     */
    private boolean runRanks(final List<Path> recordings, final Stop stop, final PrintWriter stdout,
        final PrintWriter stderr) throws IOException, InterruptedException
    {
        final List<Process> processes = new ArrayList<>();
        final List<Thread> pumps = new ArrayList<>();
        try
        {
            for (int r = 0; r < recordings.size(); r++)
            {
                final List<String> command = new ArrayList<>();
                command.add(ProcessHandle.current().info().command().orElse("java"));
                command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), BlackboxCommand.class.getName(),
                    "demo", "--rank", Integer.toString(r), "--world-size", Integer.toString(recordings.size()),
                    "--out", recordings.get(r).toString(), "--steps", Long.toString(steps),
                    "--threads", Integer.toString(threads), "--seed", Long.toString(seed + r),
                    "--eval-every", Integer.toString(evalEvery), "--steps-per-second", Double.toString(stepsPerSecond)));
                if (drop)
                {
                    command.add("--drop");
                }
                final Process process = new ProcessBuilder(command).start();
                processes.add(process);
                final String mark = "rank " + r + "     ";
                pumps.add(pump(process.getInputStream(), stdout, mark));
                pumps.add(pump(process.getErrorStream(), stderr, mark));
            }
            stop.startProcesses(processes);
            boolean recordedAll = true;
            for (int r = 0; r < processes.size(); r++)
            {
                final int exit = processes.get(r).waitFor();
                if (BlackboxCommand.EXIT_FAILURE == exit)
                {
                    recordedAll = false;
                }
                else if (BlackboxCommand.EXIT_OK != exit)
                {
                    for (final Thread pump : pumps)
                    {
                        pump.join();
                    }
                    throw new UserError("rank " + r + "'s recording process failed (exit " + exit + "): its output " +
                        "is above");
                }
            }
            for (final Thread pump : pumps)
            {
                pump.join();
            }
            return recordedAll;
        }
        finally
        {
            for (final Process process : processes)
            {
                if (process.isAlive())
                {
                    process.destroy();
                    process.waitFor(SignalStop.WAIT_SECONDS, TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * @return a started thread copying {@code in}'s lines to {@code out}, each after {@code mark}.
     */
    private static Thread pump(final InputStream in, final PrintWriter out, final String mark)
    {
        final Thread pump = new Thread(() ->
        {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = lines.readLine()) != null)
                {
                    synchronized (out)
                    {
                        out.println(mark + line);
                        out.flush();
                    }
                }
            }
            catch (final IOException ignore)
            {
                // the process ended: what it wrote has been passed on
            }
        }, "blackbox-demo-rank-output");
        pump.setDaemon(true);
        pump.start();
        return pump;
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
        private final List<Thread> workers = new ArrayList<>();
        private final List<Process> processes = new ArrayList<>();
        private boolean stopping;

        /** The ranks' processes: stopping the demo stops them (SIGTERM), and each ends its recording. */
        synchronized void startProcesses(final List<Process> started)
        {
            processes.addAll(started);
            if (stopping)
            {
                processes.forEach(Process::destroy);
            }
        }

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

        /**
         * On the {@link SignalStop} hook's thread, which then waits until the demo has ended.
         */
        synchronized void stop()
        {
            stopping = true;
            workers.forEach(Thread::interrupt);
            processes.forEach(Process::destroy);
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
