package io.blackbox.tests.family;

import io.blackbox.exporter.family.DemoWorkload;
import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.recorder.Recorder;
import io.blackbox.tests.EmittingThreads;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What the tests that run over every registered family share: the families as JUnit arguments, and a small recording
 * of a family's own simulated workload (the one {@code blackbox demo} runs), so a family is in these tests the day it
 * registers, with records of every type it declares.
 */
public final class FamilyRecordings
{
    /** Runs of each recording, written concurrently as the demo writes them. */
    static final int RUNS = 2;
    /** Steps of each run: enough for several evals and the demo's alert. */
    static final long STEPS = 400;
    /** A hang guard for the runs' threads, not a measure. */
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    private FamilyRecordings()
    {
    }

    /**
     * @return every registered family, by name (JUnit shows the name).
     */
    public static Stream<String> familyNames()
    {
        final List<TelemetryFamily> families = TelemetryFamilies.all();
        assertFalse(families.isEmpty(), "registered families");
        return families.stream().map(TelemetryFamily::name);
    }

    /**
     * @param name a family's name.
     * @return the family, failing when it is not registered.
     */
    public static TelemetryFamily family(final String name)
    {
        final TelemetryFamily family = TelemetryFamilies.byName(name);
        assertNotNull(family, () -> "family " + name + " registered");
        return family;
    }

    /**
     * Record the family's simulated workload into {@code directory}.
     *
     * @param family    the family.
     * @param directory a new recording.
     * @param seed      the workload's seed.
     */
    public static void recordWorkload(final TelemetryFamily family, final Path directory, final long seed) throws InterruptedException
    {
        recordWorkload(family, directory, seed, true);
    }

    /**
     * Record the family's simulated workload into {@code directory}, its runs at once as the demo runs them, or one
     * after another, so that what is recorded (symbol numbers, record order) is the same every time for a seed.
     *
     * @param family     the family.
     * @param directory  a new recording.
     * @param seed       the workload's seed.
     * @param concurrent whether the runs record at once.
     */
    public static void recordWorkload(final TelemetryFamily family, final Path directory, final long seed,
        final boolean concurrent) throws InterruptedException
    {
        final DemoWorkload workload = family.demo();
        assertNotNull(workload, () -> "family " + family.name() + " declares a simulated workload: the generic " +
            "conformance, damage and fuzz tests record it");
        final DemoWorkload.Settings settings = new DemoWorkload.Settings(STEPS, seed, 50, 0);
        try (Recorder recorder = Recorder.open(directory))
        {
            final List<DemoWorkload.DemoRun> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++)
            {
                runs.add(workload.newRun(recorder, i, settings));
            }
            if (concurrent)
            {
                EmittingThreads.run(family.name() + "-run", RUNS, DEADLINE, i -> runs.get(i).run());
            }
            else
            {
                for (int i = 0; i < RUNS; i++)
                {
                    try (EmittingThreads thread = new EmittingThreads())
                    {
                        thread.start(family.name() + "-run-" + i, runs.get(i)::run);
                        thread.awaitAll(DEADLINE);
                    }
                }
            }
            for (final DemoWorkload.DemoRun run : runs)
            {
                assertFalse(run.notRecorded(), () -> "every emit of run " + run.runId() + " recorded");
            }
        }
    }

    /**
     * Record every registered family's simulated workload into {@code directory} in one recorder session, all the
     * runs at once as the demo runs them, so the families' records are interleaved in the queue as in a real recording.
     * A directory that is a recording already gets one more session.
     *
     * @param directory the recording.
     * @param seed      the workloads' seed.
     */
    public static void recordEveryWorkload(final Path directory, final long seed) throws InterruptedException
    {
        recordEveryWorkload(new Recorder.Context().directory(directory), seed);
    }

    /**
     * {@link #recordEveryWorkload(Path, long)} with a recorder opened with {@code context} (a rank, say).
     */
    public static void recordEveryWorkload(final Recorder.Context context, final long seed) throws InterruptedException
    {
        final DemoWorkload.Settings settings = new DemoWorkload.Settings(STEPS, seed, 50, 0);
        try (Recorder recorder = Recorder.open(context))
        {
            final List<DemoWorkload.DemoRun> runs = new ArrayList<>();
            for (final TelemetryFamily family : TelemetryFamilies.all())
            {
                final DemoWorkload workload = family.demo();
                assertNotNull(workload, () -> "family " + family.name() + " declares a simulated workload");
                for (int i = 0; i < RUNS; i++)
                {
                    runs.add(workload.newRun(recorder, i, settings));
                }
            }
            EmittingThreads.run("every-family-run", runs.size(), DEADLINE, i -> runs.get(i).run());
            for (final DemoWorkload.DemoRun run : runs)
            {
                assertFalse(run.notRecorded(), () -> "every emit of run " + run.runId() + " recorded");
            }
        }
    }
}
