package io.blackbox.bench.gradience;

import io.blackbox.recorder.Backpressure;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a large Gradience recording for the commands measured on one ({@code summary --recording}, {@code print},
 * {@code report}): RUNS interleaved runs of {@code train_step}s with an eval every 1000 steps, as fast as the recorder
 * takes them (it blocks when the ring is full, so nothing is dropped).
 * <pre>
 *   java -cp bench/target/benchmarks.jar io.blackbox.bench.gradience.LargeRecording DIR RECORDS [RUNS]
 * </pre>
 */
public final class LargeRecording
{
    private LargeRecording()
    {
    }

    public static void main(final String[] args)
    {
        if (args.length < 2)
        {
            System.err.println("usage: LargeRecording DIR RECORDS [RUNS]");
            System.exit(2);
        }
        final Path directory = Path.of(args[0]);
        final long records = Long.parseLong(args[1]);
        final int runs = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        final long steps = records / runs;
        final SplittableRandom random = new SplittableRandom(42);
        final long start = System.nanoTime();
        final Recorder recorder = Recorder.open(new Recorder.Context().directory(directory).backpressure(Backpressure.BLOCK));
        try
        {
            final GradienceEmitter[] emitters = new GradienceEmitter[runs];
            final int[] test = new int[runs];
            for (int run = 0; run < runs; run++)
            {
                emitters[run] = recorder.emitter(GradienceEmitter::new, "large-run-" + run);
                test[run] = emitters[run].symbol("test");
            }
            for (long s = 0; s < steps; s++)
            {
                final double lr = 3e-4 * 0.5 * (1 + Math.cos(Math.PI * s / steps));
                for (int run = 0; run < runs; run++)
                {
                    final double loss = 2.3 * Math.exp(-s / (steps / 4.0)) + 0.1 + 0.02 * random.nextDouble();
                    emitters[run].trainStep(s, loss, lr);
                    if (s % 1000 == 999)
                    {
                        emitters[run].eval(s, test[run], Math.exp(loss * 1.1), 0.5, loss * 1.1, 512);
                    }
                }
            }
        }
        finally
        {
            recorder.close();
        }
        System.out.printf("recorded %d steps x %d runs in %.1f s, dropped %d%n", steps, runs,
            (System.nanoTime() - start) / 1e9, recorder.droppedRecords());
    }
}
