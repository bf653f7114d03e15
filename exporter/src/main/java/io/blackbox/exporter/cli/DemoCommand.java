package io.blackbox.exporter.cli;

import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.gradience.GradienceDemoRun;
import io.blackbox.exporter.gradience.GradienceValidator;
import io.blackbox.recorder.Backpressure;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code blackbox demo}: simulate concurrent LoRA fine-tuning runs recording Gradience telemetry, then export,
 * validate and report.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description = {
        "Record simulated LoRA fine-tuning runs, export, validate and report.",
        "T concurrent runs of N steps record Gradience telemetry into OUT/recording; the recording is exported to",
        "OUT/export and validated; the report gives events/s, emit latency, export rate and bytes on disk.",
        "Progress: a bar on a terminal, otherwise a line with steps=N every 0.5 s: N train_steps are recorded (their",
        "emits returned true) and survive a crash of the process." })
public final class DemoCommand implements Callable<Integer>
{
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

    public Integer call() throws Exception
    {
        if (steps < 1 || threads < 1 || threads > 256 || evalEvery < 0)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "need --steps >= 1, 1 <= --threads <= 256, --eval-every >= 0");
        }
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter stderr = spec.commandLine().getErr();
        final Path recordingDirectory = out.resolve("recording");
        final Path exportDirectory = out.resolve("export");
        clearPreviousOutput(recordingDirectory, "queue");
        clearPreviousOutput(exportDirectory, RecordingExport.SUMMARY_FILE);

        final int every = evalEvery > 0 ? evalEvery : (int)Math.max(1, steps / 50);
        final List<GradienceDemoRun> runs = new ArrayList<>();
        final long recordStartNs;
        final long recordEndNs;
        final long dropped;
        try (Recorder recorder = Recorder.open(new Recorder.Context()
            .directory(recordingDirectory)
            .backpressure(drop ? Backpressure.DROP : Backpressure.BLOCK)))
        {
            final List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++)
            {
                final GradienceDemoRun run = new GradienceDemoRun(recorder, i, steps, seed, every);
                runs.add(run);
                workers.add(new Thread(run, "demo-run-" + i));
            }
            final Progress progress = new Progress(runs, steps * threads, stdout, stderr);
            recordStartNs = System.nanoTime();
            workers.forEach(Thread::start);
            for (final Thread worker : workers)
            {
                while (worker.isAlive())
                {
                    worker.join(progress.intervalMs());
                    progress.show();
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

        final GradienceValidator validator = new GradienceValidator();
        final List<Problem> problems = new ArrayList<>();
        long jsonlBytes = 0;
        long trainStepJsonlBytes = 0;
        long trainStepLines = 0;
        final List<FamilyExport.ExportedFile> files = export.files().getOrDefault("gradience", List.of());
        for (final FamilyExport.ExportedFile file : files)
        {
            problems.addAll(validator.validate(file.path()));
            jsonlBytes += Files.size(file.path());
            try (Stream<String> lines = Files.lines(file.path(), StandardCharsets.UTF_8))
            {
                final long[] sums = lines.filter(line -> line.contains("\"event\":\"train_step\""))
                    .mapToLong(line -> line.length() + 1L)
                    .collect(() -> new long[2], (a, v) -> { a[0] += v; a[1]++; }, (a, b) -> { a[0] += b[0]; a[1] += b[1]; });
                trainStepJsonlBytes += sums[0];
                trainStepLines += sums[1];
            }
        }

        final Histogram latency = new Histogram(10_000_000_000L, 3);
        long events = 0;
        boolean notRecorded = false;
        for (final GradienceDemoRun run : runs)
        {
            latency.add(run.trainStepLatencyNs());
            events += run.events();
            notRecorded |= run.notRecorded();
        }
        final long recordingBytes = directorySize(recordingDirectory);
        final double recordSeconds = (recordEndNs - recordStartNs) / 1e9;
        final double exportSeconds = (exportEndNs - exportStartNs) / 1e9;

        stdout.printf(Locale.ROOT, "recorded   %,d events from %d runs in %.2f s: %,.0f events/s (drain and close %.2f s more)%n",
            events, runs.size(), recordSeconds, events / recordSeconds, (closedNs - recordEndNs) / 1e9);
        stdout.printf(Locale.ROOT, "emit       train_step latency p50 %,d ns  p99 %,d ns  p99.9 %,d ns  max %,d ns  (%,d emits, nanoTime pair included)%n",
            latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9),
            latency.getMaxValue(), latency.getTotalCount());
        stdout.printf(Locale.ROOT, "dropped    %,d records%s%n", dropped, drop ? " (--drop: ring full)" : "");
        stdout.printf(Locale.ROOT, "exported   %,d records to %d file%s in %.2f s: %,.0f records/s%n",
            export.records(), files.size(), files.size() == 1 ? "" : "s", exportSeconds, export.records() / exportSeconds);
        // Stored bytes per record are the queue's delta-coded data over all records; the ring holds each train_step
        // whole (its record size), and only while the drainer has not taken it yet.
        stdout.printf(Locale.ROOT, "disk       recorded data %,d bytes, %.1f B per record, vs JSONL %,d bytes (%.2fx); " +
                "a train_step is %d B in the ring and a %.0f B JSONL line%n",
            export.dataBytes(), (double)export.dataBytes() / Math.max(1, export.records()), jsonlBytes,
            (double)export.dataBytes() / Math.max(1, jsonlBytes), GradienceEmitter.trainStepRecordBytes(0, 2, 0),
            trainStepLines == 0 ? 0.0 : (double)trainStepJsonlBytes / trainStepLines);
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
        stdout.println("export     " + exportDirectory.resolve("gradience"));
        for (final GradienceDemoRun run : runs)
        {
            stdout.println("           " + exportDirectory.resolve("gradience").resolve(run.runId() + ".jsonl"));
        }
        stdout.flush();
        final boolean clean = problems.isEmpty() && export.damage().isEmpty() && (drop || !notRecorded);
        return clean ? BlackboxCommand.EXIT_OK : BlackboxCommand.EXIT_FAILURE;
    }

    /**
     * Remove what an earlier demo left, but never a directory that is not the demo's own output.
     */
    private static void clearPreviousOutput(final Path directory, final String marker) throws IOException
    {
        if (!Files.exists(directory))
        {
            return;
        }
        if (!Files.exists(directory.resolve(marker)))
        {
            try (Stream<Path> entries = Files.list(directory))
            {
                if (entries.findAny().isPresent())
                {
                    throw new UserError(directory + " exists and is not the output of an earlier demo; choose another --out");
                }
            }
        }
        try (Stream<Path> tree = Files.walk(directory))
        {
            tree.sorted(Comparator.reverseOrder()).forEach(path ->
            {
                try
                {
                    Files.delete(path);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
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
        private final List<GradienceDemoRun> runs;
        private final long total;
        private final PrintWriter stdout;
        private final PrintWriter stderr;
        private final boolean terminal = System.console() != null && System.getenv("CI") == null;
        private final long startNs = System.nanoTime();

        Progress(final List<GradienceDemoRun> runs, final long total, final PrintWriter stdout, final PrintWriter stderr)
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

        void show()
        {
            long steps = 0;
            for (final GradienceDemoRun run : runs)
            {
                steps += run.acknowledgedSteps();
            }
            final double seconds = (System.nanoTime() - startNs) / 1e9;
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

        void finish()
        {
            show();
            if (terminal)
            {
                stderr.println();
                stderr.flush();
            }
        }
    }
}
