package io.blackbox.bench.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import ai.djl.util.Utils;
import io.blackbox.bench.TemporaryDirectory;
import io.blackbox.bench.training.RunTelemetry.Evaluation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * A real training run, recorded: a small MLP classifier trained with DJL on PyTorch (CPU) on a synthetic task
 * ({@link TeacherData}), with Adam under a warm-up and cosine learning-rate schedule, and what recording it costs.
 * <p>
 * Each run trains a fresh network from the same seed on the same data and records it in one of the
 * {@link RecordingMode}s ({@code off}, {@code blackbox}, {@code jfr}, {@code jsonl}); several runs in one JVM, in the
 * order given ({@code --modes off,blackbox,jfr,jsonl,off,...}), compare the modes in one process. Every step (the
 * batch, forward, backward, the optimizer step, reading the loss as a loop reads it for its log, and the recording
 * call) is timed with {@link System#nanoTime()} into an HdrHistogram; the evals every {@code --eval-every} steps are not.
 * After {@code --warmup} untimed steps, {@code --steps} timed steps. Before the first run, each mode's recording
 * call is made {@code --jit-warmup} times into a throw-away recording ({@link StepTimes#warmUp}: otherwise the runs
 * time the JIT's profiling tier of the call). Each run prints
 * <pre>
 * mode=blackbox steps=2000 p50_us=... p99_us=... max_us=... mean_us=...
 * final mode=blackbox train_loss=... train_accuracy=... test_loss=... test_accuracy=... gap=...
 * recorded mode=blackbox run_id=... path=DIR/2-blackbox not_recorded=0 alert_step=...
 * </pre>
 * and, for several runs, one {@code all mode=...} line per mode over all its runs' steps.
 * <p>
 * DJL is kept offline: {@code ai.djl.offline=true} (every download DJL would make fails instead) and tracking opted
 * out, set before any DJL class loads; libtorch and the JNI glue come from the {@code pytorch-native-cpu} and
 * {@code pytorch-jni} jars on the class path and are extracted once into DJL's cache ({@code DJL_CACHE_DIR}).
 */
@Command(
    name = "SupervisedTraining",
    sortOptions = false,
    description = "Train an MLP classifier with DJL (PyTorch, CPU) on synthetic data, recording it in each mode.")
public final class SupervisedTraining implements Callable<Integer>
{
    /** The prefix of the line a run prints where it recorded. */
    public static final String RECORDED = "recorded ";

    private static final String ENGINE = "PyTorch";
    private static final float FINAL_LR_FRACTION = 0.01f;
    private static final double WARMUP_LR_FRACTION = 0.05;
    /** Recordings the JIT warm-up of a mode makes its calls into, one after the other: {@link #warmUpRecordingCall}. */
    private static final int JIT_WARMUP_RECORDINGS = 4;

    @Option(names = { "--modes", "--mode" }, split = ",", paramLabel = "MODE", defaultValue = "blackbox",
        description = "Runs, in order, each a fresh run of the same seed: ${COMPLETION-CANDIDATES} " +
            "(default: ${DEFAULT-VALUE}).")
    private List<RecordingMode> modes;

    @Option(names = "--steps", description = "Timed steps per run, after the warm-up (default: ${DEFAULT-VALUE}).",
        defaultValue = "2000")
    private int steps;

    @Option(names = "--warmup", description = "Untimed steps first (default: ${DEFAULT-VALUE}).",
        defaultValue = "300")
    private int warmup;

    @Option(names = "--jit-warmup", paramLabel = "CALLS", defaultValue = "20000",
        description = "Before the runs, each mode's recording call this many times into a throw-away recording, so " +
            "the runs time the JIT's final code, as a long run would; 0: none (default: ${DEFAULT-VALUE}).")
    private int jitWarmup;

    @Option(names = "--device", paramLabel = "DEVICE",
        description = "Where PyTorch trains: cpu, gpu or gpu:N (default: DJL's default for PyTorch, a GPU when it " +
            "finds one).")
    private String deviceName;

    @Option(names = "--eval-every", description = "Steps between evals of both splits (default: ${DEFAULT-VALUE}).",
        defaultValue = "100")
    private int evalEvery;

    @Option(names = "--seed", defaultValue = "42",
        description = "Seed of the data, the network and the batches (default: ${DEFAULT-VALUE}).")
    private int seed;

    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "Where the recordings go: DIR/<n>-blackbox, DIR/<n>-jfr.jfr, DIR/<n>-jsonl.jsonl (n: the run).")
    private Path out;

    @Option(names = "--threads", description = "PyTorch's intra-op threads (default: ${DEFAULT-VALUE}).",
        defaultValue = "1")
    private int threads;

    @Option(names = "--train-size", description = "Examples in the train split (default: ${DEFAULT-VALUE}).",
        defaultValue = "256")
    private int trainSize;

    @Option(names = "--test-size", description = "Examples in the test split (default: ${DEFAULT-VALUE}).",
        defaultValue = "2048")
    private int testSize;

    @Option(names = "--batch-size", description = "Examples per step (default: ${DEFAULT-VALUE}).",
        defaultValue = "32")
    private int batchSize;

    @Option(names = "--hidden", description = "Units of each of the two hidden layers (default: ${DEFAULT-VALUE}).",
        defaultValue = "256")
    private int hidden;

    @Option(names = "--lr", description = "Adam's peak learning rate (default: ${DEFAULT-VALUE}).",
        defaultValue = "0.0003")
    private float peakLr;

    @Option(names = "--label-noise", description = "Fraction of labels made random (default: ${DEFAULT-VALUE}).",
        defaultValue = "0.1")
    private double labelNoise;

    @Option(names = "--print-evals", description = "Print every eval of both splits.")
    private boolean printEvals;

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new SupervisedTraining()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        checkArguments();
        keepDjlOffline(threads);
        Files.createDirectories(out);

        final Engine engine = Engine.getEngine(ENGINE);
        final Device device = TrainingDevice.of(deviceName, engine, spec.commandLine());
        System.out.println(String.format(Locale.ROOT,
            "program=SupervisedTraining device=%s engine=%s engine_version=%s djl_version=%s threads=%d jit_warmup=%d",
            TrainingDevice.label(device), engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(), threads,
            jitWarmup));
        final TeacherData data = TeacherData.generate(seed, trainSize, testSize, labelNoise);
        StepTimes.warmUp(modes, jitWarmup, this::warmUpRecordingCall);
        StepTimes.runEach(modes, RecordingMode.class, RecordingMode::label,
            (mode, index) -> train(mode, index, data, device));
        return 0;
    }

    /**
     * DJL reads these when its classes first need them: set before any is loaded. Offline, every download DJL would
     * make (libtorch, the JNI glue, the model zoo) fails instead, and the engine's telemetry call home (a request to
     * the EC2 metadata address first) is skipped; the opt-out says so twice.
     */
    static void keepDjlOffline(final int threads)
    {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        if (!Utils.isOfflineMode())
        {
            // DJL_OFFLINE in the environment wins over the property.
            throw new IllegalStateException("DJL is not offline: DJL_OFFLINE=" + System.getenv("DJL_OFFLINE"));
        }
    }

    /**
     * {@link StepTimes#warmUp}: {@code calls} {@code train_step} calls of {@code mode} with a run's kind of values,
     * into {@value #JIT_WARMUP_RECORDINGS} recordings one after the other under {@code OUT/jit-warmup-MODE}, deleted
     * after. C2 compiles a branch the warm-up never took as a trap, and the run that takes it throws the compiled call
     * away: hence run ids as long as a run's (JFR pools a string only above 16 characters), a learning rate of 0 now
     * and then (the warm-up schedule's first step) and losses over the orders of magnitude a run goes through, and
     * several recordings, so what happens once per recording (Jackson's first value of a generator) is in the profile.
     */
    private void warmUpRecordingCall(final RecordingMode mode, final int calls) throws Exception
    {
        final Path directory = Files.createDirectory(out.resolve("jit-warmup-" + mode.label()));
        try
        {
            final SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < JIT_WARMUP_RECORDINGS; i++)
            {
                final String runId = UUID.nameUUIDFromBytes(("blackbox-bench/jit-warmup/" + i)
                    .getBytes(StandardCharsets.UTF_8)).toString();
                final Path path = mode.path(directory, "jit-warmup-" + (i + 1));
                try (RunTelemetry telemetry = RunTelemetry.open(mode, path, runId))
                {
                    for (int step = 1; step <= calls / JIT_WARMUP_RECORDINGS; step++)
                    {
                        final double lr = step == 1 ? 0.0 : peakLr * random.nextDouble();
                        telemetry.trainStep(step, Math.pow(10, random.nextDouble(-3, 0.5)), lr);
                    }
                }
            }
        }
        finally
        {
            TemporaryDirectory.delete(directory);
        }
    }

    private void checkArguments()
    {
        if (steps < 1 || warmup < 0 || jitWarmup < 0 || evalEvery < 1 || threads < 1 || batchSize < 1 || hidden < 1)
        {
            throw new ParameterException(spec.commandLine(),
                "--steps, --eval-every, --threads, --batch-size and --hidden must be at least 1, --warmup and " +
                    "--jit-warmup at least 0");
        }
        if (trainSize < batchSize || testSize < 1)
        {
            throw new ParameterException(spec.commandLine(),
                "--train-size must be at least --batch-size, --test-size at least 1");
        }
    }

    /**
     * One run: a fresh network from the seed, trained for warm-up plus timed steps and recorded in {@code mode}.
     *
     * @return the timed steps' durations, and their recording calls', in nanoseconds.
     */
    private StepTimes train(final RecordingMode mode, final int index, final TeacherData data, final Device device)
        throws Exception
    {
        final int totalSteps = warmup + steps;
        final int warmupSteps = (int)Math.max(1, Math.round(totalSteps * WARMUP_LR_FRACTION));
        final Tracker lrSchedule = WarmUpTracker.builder()
            .optWarmUpBeginValue(0f)
            .optWarmUpSteps(warmupSteps)
            .setMainTracker(CosineTracker.builder()
                .setBaseValue(peakLr)
                .optFinalValue(peakLr * FINAL_LR_FRACTION)
                .setMaxUpdates(totalSteps - warmupSteps)
                .build())
            .build();
        final Loss loss = Loss.softmaxCrossEntropyLoss();
        final String runId = UUID.nameUUIDFromBytes(("blackbox-bench/supervised/" + seed + "/" + index)
            .getBytes(StandardCharsets.UTF_8)).toString();

        // The same initial weights for every run: PyTorch's generator, seeded before the network is initialised.
        Engine.getEngine(ENGINE).setRandomSeed(seed);
        final StepTimes times = new StepTimes();
        final SplittableRandom shuffle = new SplittableRandom(seed * 31L + 7);
        final int[] order = new int[data.trainSize()];
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        final float[] batchX = new float[batchSize * TeacherData.INPUT_DIM];
        final long[] batchY = new long[batchSize];
        final Shape batchShape = new Shape(batchSize, TeacherData.INPUT_DIM);

        Evaluation lastTrain = null;
        Evaluation lastTest = null;
        try (Model model = Model.newInstance("mlp", device, ENGINE);
            RunTelemetry telemetry = RunTelemetry.open(mode, mode.path(out, Integer.toString(index)), runId))
        {
            model.setBlock(mlp());
            final DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam().optLearningRateTracker(lrSchedule).build())
                .optDevices(new Device[]{ device });
            long step = 0;
            long recordNs = 0;
            boolean finished = false;
            try (Trainer trainer = model.newTrainer(config);
                NDManager manager = model.getNDManager().newSubManager())
            {
                trainer.initialize(batchShape);
                telemetry.runStart(runConfig(totalSteps, warmupSteps), runMeta(mode, index));

                int cursor = order.length; // shuffled before the first step
                for (step = 1; step <= totalSteps; step++)
                {
                    if (cursor + batchSize > order.length)
                    {
                        shuffle(shuffle, order);
                        cursor = 0;
                    }
                    if (step == warmup + 1)
                    {
                        times.beginTimedPart();
                    }
                    final long start = System.nanoTime();
                    try (NDManager stepManager = manager.newSubManager())
                    {
                        gather(data.trainX(), data.trainY(), order, cursor, batchX, batchY);
                        final NDArray x = stepManager.create(batchX, batchShape);
                        final NDArray y = stepManager.create(batchY);
                        final float lossValue;
                        try (GradientCollector collector = trainer.newGradientCollector())
                        {
                            final NDArray batchLoss = loss.evaluate(new NDList(y), trainer.forward(new NDList(x)));
                            collector.backward(batchLoss);
                            lossValue = batchLoss.getFloat(); // once per step, as a loop reads it for its log
                        }
                        trainer.step();
                        // The rate Adam used for this update: its update count is the step.
                        final float lr = lrSchedule.getNewValue((int)step);
                        final long recordStart = System.nanoTime();
                        telemetry.trainStep(step, lossValue, lr);
                        recordNs = System.nanoTime() - recordStart;
                    }
                    final long elapsed = System.nanoTime() - start;
                    if (step > warmup)
                    {
                        times.add(elapsed, recordNs);
                    }
                    cursor += batchSize;

                    if (step % evalEvery == 0 || step == totalSteps)
                    {
                        lastTrain = evaluate(trainer, loss, manager, data.trainX(), data.trainY());
                        lastTest = evaluate(trainer, loss, manager, data.testX(), data.testY());
                        telemetry.evals(step, lastTrain, lastTest);
                        if (printEvals)
                        {
                            System.out.println(String.format(Locale.ROOT,
                                "eval mode=%s step=%d lr=%.3g train_loss=%.4f train_accuracy=%.4f test_loss=%.4f " +
                                "test_accuracy=%.4f", mode.label(), step, lrSchedule.getNewValue((int)step),
                                lastTrain.loss(), lastTrain.accuracy(), lastTest.loss(), lastTest.accuracy()));
                        }
                    }
                }
                times.endTimedPart();
                step = totalSteps;
                finished = true;
            }
            finally
            {
                telemetry.runEnd(Math.min(step, totalSteps), finished);
            }
            System.out.println(times.line(mode.label()));
            System.out.println(String.format(Locale.ROOT,
                "final mode=%s train_loss=%.4f train_accuracy=%.4f test_loss=%.4f test_accuracy=%.4f gap=%.3f",
                mode.label(), lastTrain.loss(), lastTrain.accuracy(), lastTest.loss(), lastTest.accuracy(),
                lastTest.ppl() / lastTrain.ppl()));
            if (telemetry.output().path != null)
            {
                System.out.println(RECORDED + "mode=" + mode.label() + " run_id=" + runId +
                    " path=" + telemetry.output().path + " not_recorded=" + telemetry.output().notRecorded() +
                    (mode == RecordingMode.BLACKBOX ? " alert_step=" + telemetry.alertStep() : ""));
            }
            System.out.flush();
        }
        return times;
    }

    private SequentialBlock mlp()
    {
        return new SequentialBlock()
            .add(Linear.builder().setUnits(hidden).build())
            .add(Activation::relu)
            .add(Linear.builder().setUnits(hidden).build())
            .add(Activation::relu)
            .add(Linear.builder().setUnits(TeacherData.CLASSES).build());
    }

    /**
     * The mean loss and the accuracy of the whole split, without gradients (PyTorch's grad mode is off outside a
     * collector); the arrays live in a manager of their own, closed after.
     */
    private static Evaluation evaluate(final Trainer trainer, final Loss loss, final NDManager parent, final float[] x,
        final long[] y)
    {
        try (NDManager manager = parent.newSubManager())
        {
            final NDArray inputs = manager.create(x, new Shape(y.length, TeacherData.INPUT_DIM));
            final NDArray labels = manager.create(y);
            final NDList predictions = trainer.evaluate(new NDList(inputs));
            final double meanLoss = loss.evaluate(new NDList(labels), predictions).getFloat();
            final long correct = predictions.singletonOrThrow().argMax(1).eq(labels).countNonzero().getLong();
            return new Evaluation(meanLoss, (double)correct / y.length, y.length);
        }
    }

    private static void shuffle(final SplittableRandom random, final int[] order)
    {
        for (int i = order.length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    private static void gather(final float[] x, final long[] y, final int[] order, final int from, final float[] batchX,
        final long[] batchY)
    {
        for (int row = 0; row < batchY.length; row++)
        {
            final int example = order[from + row];
            System.arraycopy(x, example * TeacherData.INPUT_DIM, batchX, row * TeacherData.INPUT_DIM,
                TeacherData.INPUT_DIM);
            batchY[row] = y[example];
        }
    }

    /**
     * The run's Gradience ConfigSnapshot: what was intended, in the keys the demo's runs use.
     */
    private Map<String, Object> runConfig(final int totalSteps, final int warmupSteps)
    {
        final Map<String, Object> schedule = new LinkedHashMap<>();
        schedule.put("name", "linear_warmup_cosine");
        schedule.put("warmup_steps", warmupSteps);
        schedule.put("final_lr", peakLr * FINAL_LR_FRACTION);

        final Map<String, Object> optimizer = new LinkedHashMap<>();
        optimizer.put("name", "adam");
        optimizer.put("lr", (double)peakLr);
        optimizer.put("weight_decay", 0.0);
        optimizer.put("betas", List.of(0.9, 0.999));
        optimizer.put("eps", 1e-8);
        optimizer.put("extras", Map.of("schedule", schedule));

        final Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("input_dim", TeacherData.INPUT_DIM);
        dataset.put("classes", TeacherData.CLASSES);
        dataset.put("train_size", trainSize);
        dataset.put("test_size", testSize);
        dataset.put("label_noise", labelNoise);

        final Map<String, Object> training = new LinkedHashMap<>();
        training.put("seed", seed);
        training.put("batch_size", batchSize);
        training.put("gradient_accumulation", 1);
        training.put("max_steps", totalSteps);
        training.put("epochs", null);
        training.put("dtype", "float32");
        training.put("extras", Map.of("intra_op_threads", threads, "eval_every", evalEvery));

        final Map<String, Object> config = new LinkedHashMap<>();
        config.put("model_name", "mlp-" + TeacherData.INPUT_DIM + "-" + hidden + "-" + hidden + "-" +
            TeacherData.CLASSES);
        config.put("dataset_name", "synthetic-teacher");
        config.put("task_profile", "classification");
        config.put("optimizer", optimizer);
        config.put("training", training);
        config.put("notes", "a real DJL/PyTorch training run on synthetic data (io.blackbox.bench.training)");
        config.put("extras", Map.of("dataset", dataset));
        return config;
    }

    private static Map<String, Object> runMeta(final RecordingMode mode, final int index)
    {
        final Engine engine = Engine.getEngine(ENGINE);
        final Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("framework", "djl");
        meta.put("djl_version", Engine.getDjlVersion());
        meta.put("engine", engine.getEngineName());
        meta.put("engine_version", engine.getVersion());
        meta.put("java_version", Runtime.version().toString());
        meta.put("mode", mode.label());
        meta.put("run_index", index);
        return meta;
    }
}
