package io.blackbox.bench.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.blackbox.bench.TemporaryDirectory;
import io.blackbox.exporter.esper.TrainingStarted;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * A real reinforcement-learning run, recorded: a PPO agent learning the cart-pole task ({@link CartPole}), its policy
 * network (an MLP to two logits, softmax) and value network (an MLP to one output) trained with DJL on PyTorch (on
 * {@code --device}: DJL's default device for the engine, a GPU when it finds one, else the CPU), and what recording it
 * costs.
 * <p>
 * Each epoch collects a rollout of {@code --rollout} environment steps with the current policy (episodes run on
 * across rollouts), estimates the values of its states in one batch, computes GAE(γ, λ) advantages, and then makes
 * {@code --update-epochs} passes over the rollout in shuffled mini-batches of {@code --minibatch}: each an optimization
 * step of the clipped surrogate objective, the value MSE and an entropy bonus, the global gradient norm clipped, Adam
 * at a learning rate annealed linearly to zero over the run. Advantages are normalized per mini-batch for the loss;
 * the recorded advantage statistics are GAE's own.
 * <p>
 * Each run trains fresh networks from the same seed and records in one of the {@link RecordingMode}s (see
 * {@link PpoTelemetry}):
 * <ul>
 * <li>{@code off}: nothing, the baseline;</li>
 * <li>{@code blackbox}: PPO telemetry 1.1, one record per epoch with its mini-batches' real statistics (a
 * mini-batch's call adds them to the epoch's in memory), and Esper events: {@code TRAINING_STARTED}, a
 * {@code REWARD_COMPUTED} per finished episode, a {@code PPO_UPDATE_COMPLETED} per epoch; into
 * {@code DIR/<n>-blackbox};</li>
 * <li>{@code jfr}: a {@link PpoMiniBatchEvent} committed per mini-batch (its statistics, the epoch and the run id) into
 * a JFR recording written to {@code DIR/<n>-jfr.jfr};</li>
 * <li>{@code jsonl}: a JSON line per mini-batch with the same fields ({@code ts} in seconds, {@code run_id},
 * {@code epoch}, {@code transitions}, {@code policy_loss}, ...) through Jackson's streaming generator into a 64 KiB
 * buffer, {@code DIR/<n>-jsonl.jsonl}.</li>
 * </ul>
 * What a user would otherwise write per mini-batch, JFR events or JSON lines, is the comparison: the epochs' and
 * episodes' calls record in {@code blackbox} mode only. Several runs in one JVM
 * ({@code --modes off,blackbox,jfr,jsonl,off,...}) compare the modes in one process. Before them, each distinct mode's
 * {@code miniBatch} call is made {@code --jit-warmup} times into a throw-away recording ({@code DIR/jit-warmup-<mode>},
 * deleted after), so that the runs time the call as C2 compiles it, not the JIT's profiling tier
 * ({@link StepTimes#warmUp}). Every optimization step after the {@code --warmup-epochs} (its batch, forward, backward,
 * gradient norm, reading its statistics, the optimizer steps and its recording call) is timed into an HdrHistogram, and
 * the recording call alone into another; the rollouts, and the per-episode and per-epoch recording calls, are not
 * timed. The program prints the device and engine first, then for each run
 * <pre>
 * mode=blackbox steps=1792 p50_us=... p99_us=... max_us=... mean_us=... record_p50_ns=... ... record_share_of_p50=...%
 * final mode=blackbox epochs=30 mean_episode_length_first=... mean_episode_length_last=... episodes=...
 * recorded mode=blackbox run_id=... esper_run_id=... path=DIR/2-blackbox not_recorded=0
 * </pre>
 * ({@code jfr} and {@code jsonl} runs print a {@code recorded} line with their file, no {@code esper_run_id}) and, for
 * several runs, one {@code all mode=...} line per mode over all its runs' steps. DJL is kept offline as in
 * {@link SupervisedTraining}.
 */
@Command(
    name = "PpoTraining",
    sortOptions = false,
    description = "Train a PPO agent on cart-pole with DJL (PyTorch), recording it in each mode: off (nothing), " +
        "blackbox (PPO 1.1 and Esper events), jfr (a JFR event per mini-batch), jsonl (a JSON line per mini-batch).")
public final class PpoTraining implements Callable<Integer>
{
    private static final String ENGINE = "PyTorch";
    private static final Shape STATE_SHAPE = new Shape(1, CartPole.STATE_DIM);

    // Where optimize() puts each statistic in the array it returns.
    private static final int POLICY_LOSS = 0;
    private static final int VALUE_LOSS = 1;
    private static final int ENTROPY = 2;
    private static final int TOTAL_LOSS = 3;
    private static final int CLIP_FRACTION = 4;
    private static final int KL = 5;
    private static final int RATIO_SUM = 6;
    private static final int RATIO_SQUARES = 7;
    private static final int RATIO_MIN = 8;
    private static final int RATIO_MAX = 9;
    private static final int GRAD_NORM = 10;

    /** Recordings the JIT warm-up of a mode makes its calls into, one after the other: see {@link #warmUp}. */
    private static final int JIT_WARMUP_RECORDINGS = 4;

    @Option(names = { "--modes", "--mode" }, split = ",", paramLabel = "MODE", defaultValue = "blackbox",
        description = "Runs, in order, each a fresh run of the same seed: ${COMPLETION-CANDIDATES} " +
            "(default: ${DEFAULT-VALUE}).")
    private List<RecordingMode> modes;

    @Option(names = "--epochs", description = "PPO epochs (rollout and update) per run (default: ${DEFAULT-VALUE}).",
        defaultValue = "30")
    private int epochs;

    @Option(names = "--warmup-epochs", description = "First epochs whose steps are not timed (default: " +
        "${DEFAULT-VALUE}).", defaultValue = "2")
    private int warmupEpochs;

    @Option(names = "--rollout", description = "Environment steps per rollout (default: ${DEFAULT-VALUE}).",
        defaultValue = "1024")
    private int rolloutSteps;

    @Option(names = "--minibatch", description = "Transitions per optimization step; divides --rollout (default: " +
        "${DEFAULT-VALUE}).", defaultValue = "64")
    private int miniBatch;

    @Option(names = "--update-epochs", description = "Passes over each rollout, K (default: ${DEFAULT-VALUE}).",
        defaultValue = "4")
    private int updateEpochs;

    @Option(names = "--hidden", description = "Units of each of the two hidden layers of both networks (default: " +
        "${DEFAULT-VALUE}).", defaultValue = "64")
    private int hidden;

    @Option(names = "--lr", description = "Adam's initial learning rate, annealed linearly to 0 (default: " +
        "${DEFAULT-VALUE}).", defaultValue = "0.001")
    private double lr;

    @Option(names = "--gamma", description = "Discount (default: ${DEFAULT-VALUE}).", defaultValue = "0.99")
    private double gamma;

    @Option(names = "--lambda", description = "GAE's λ (default: ${DEFAULT-VALUE}).", defaultValue = "0.95")
    private double lambda;

    @Option(names = "--clip", description = "The surrogate's clip range ε (default: ${DEFAULT-VALUE}).",
        defaultValue = "0.2")
    private double clip;

    @Option(names = "--value-coef", description = "Weight of the value loss (default: ${DEFAULT-VALUE}).",
        defaultValue = "0.5")
    private double valueCoef;

    @Option(names = "--entropy-coef", description = "Weight of the entropy bonus (default: ${DEFAULT-VALUE}).",
        defaultValue = "0.01")
    private double entropyCoef;

    @Option(names = "--max-grad-norm", description = "Global gradient norm clipped to (default: ${DEFAULT-VALUE}).",
        defaultValue = "0.5")
    private double maxGradNorm;

    @Option(names = "--max-episode-steps", description = "Steps after which an episode is truncated (default: " +
        "${DEFAULT-VALUE}).", defaultValue = "500")
    private int maxEpisodeSteps;

    @Option(names = "--seed", defaultValue = "42",
        description = "Seed of the networks, the environment, the actions and the shuffles (default: " +
            "${DEFAULT-VALUE}).")
    private int seed;

    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "Where the recordings go: DIR/<n>-blackbox, DIR/<n>-jfr.jfr, DIR/<n>-jsonl.jsonl (n: the run); " +
            "the JIT warm-up's go to DIR/jit-warmup-<mode>, deleted after.")
    private Path out;

    @Option(names = "--device", paramLabel = "DEVICE",
        description = "Where PyTorch trains: cpu, gpu or gpu:N (default: DJL's default device for the engine, a GPU " +
            "when it finds one, else cpu).")
    private String deviceName;

    @Option(names = "--jit-warmup", paramLabel = "CALLS", defaultValue = "20000",
        description = "Before the runs, each distinct mode's miniBatch call CALLS times into a throw-away recording, " +
            "so the runs time the call C2 compiled, not its profiling tier; 0: none (default: ${DEFAULT-VALUE}).")
    private int jitWarmup;

    @Option(names = "--threads", description = "PyTorch's intra-op threads (default: ${DEFAULT-VALUE}).",
        defaultValue = "1")
    private int threads;

    @Option(names = "--print-epochs", description = "Print every epoch's episodes and losses.")
    private boolean printEpochs;

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    private Device device;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new PpoTraining()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        checkArguments();
        SupervisedTraining.keepDjlOffline(threads);
        final Engine engine = Engine.getEngine(ENGINE);
        device = TrainingDevice.of(deviceName, engine, spec.commandLine());
        System.out.println(String.format(Locale.ROOT,
            "program=PpoTraining device=%s engine=%s engine_version=%s djl_version=%s threads=%d jit_warmup=%d",
            TrainingDevice.label(device), engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(), threads,
            jitWarmup));
        Files.createDirectories(out);

        StepTimes.warmUp(modes, jitWarmup, this::warmUp);
        StepTimes.runEach(modes, RecordingMode.class, RecordingMode::label, this::train);
        return 0;
    }

    /**
     * {@code calls} of {@code mode}'s {@code miniBatch} with varying, plausible statistics, in epochs of a run's
     * mini-batches with their epoch start and end, into recordings under {@code DIR/jit-warmup-<mode>} that are
     * deleted after: a run's optimization step takes about a millisecond, so without this its first thousands of
     * timed calls would be the interpreter's and C1's ({@link StepTimes#warmUp}).
     * <p>
     * What C2 compiles is what the warm-up showed it, and a branch it never saw taken becomes a trap: the run that
     * takes it throws the compiled call away and times the profiling tier again until C2 gets round to it. Hence run
     * ids as long as a run's (JFR pools a string only above 16 characters), both kinds of mini-batch
     * ({@link #plausibleStatistics}), and {@value #JIT_WARMUP_RECORDINGS} recordings one after the other rather than
     * one: what happens once per recording (Jackson's first value of a generator, for one) is then in the profile, as
     * it is at the start of every run.
     */
    private void warmUp(final RecordingMode mode, final int calls) throws Exception
    {
        final Path directory = Files.createDirectory(out.resolve("jit-warmup-" + mode.label()));
        try
        {
            final SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < JIT_WARMUP_RECORDINGS; i++)
            {
                final int recordingCalls = calls / JIT_WARMUP_RECORDINGS + (i < calls % JIT_WARMUP_RECORDINGS ? 1 : 0);
                try (PpoTelemetry telemetry = PpoTelemetry.open(mode,
                    mode.path(directory, "jit-warmup-" + (i + 1)), runId("jit-warmup-ppo", i),
                    runId("jit-warmup-esper", i), seed + i))
                {
                    warmUp(telemetry, recordingCalls, random);
                }
            }
        }
        finally
        {
            TemporaryDirectory.delete(directory);
        }
    }

    private void warmUp(final PpoTelemetry telemetry, final int calls, final SplittableRandom random) throws Exception
    {
        final int stepsPerEpoch = updateEpochs * (rolloutSteps / miniBatch);
        final Rollout rollout = new Rollout(rolloutSteps);
        final EpochTotals totals = new EpochTotals();
        final float[] stats = new float[GRAD_NORM + 1];
        long epoch = 0;
        for (int call = 0; call < calls; call++)
        {
            if (call % stepsPerEpoch == 0)
            {
                if (epoch > 0)
                {
                    telemetry.epochEnd(epoch, lr, call, rollout, totals, entropyCoef);
                }
                totals.reset();
                telemetry.epochStart(++epoch, rolloutSteps);
            }
            plausibleStatistics(random, call % stepsPerEpoch < stepsPerEpoch / updateEpochs, stats);
            totals.add(stats, miniBatch);
            final double advantageMean = random.nextDouble(-1, 1);
            final double advantageStd = random.nextDouble(0.1, 10);
            telemetry.miniBatch(miniBatch, stats[POLICY_LOSS], stats[VALUE_LOSS], stats[ENTROPY],
                stats[TOTAL_LOSS], stats[CLIP_FRACTION], stats[KL], stats[GRAD_NORM], advantageMean, advantageStd);
        }
        if (epoch > 0)
        {
            telemetry.epochEnd(epoch, lr, calls, rollout, totals, entropyCoef);
        }
    }

    /**
     * Statistics of a made-up optimization step, in {@link #optimize}'s layout, that differ from call to call. As in
     * a run, the first pass over a rollout has a ratio of 1 (the policy that collected it): no clipping, a KL of
     * rounding errors and a policy loss of minus the normalized advantages' mean, about 0 and at times -0.0. Such
     * values matter: a branch the warm-up never took (Jackson writing a zero, say) is compiled as a trap, and the run
     * that takes it would throw the compiled call away.
     */
    private void plausibleStatistics(final SplittableRandom random, final boolean firstPass, final float[] stats)
    {
        if (firstPass)
        {
            stats[POLICY_LOSS] = random.nextInt(8) == 0 ? -0f : (float)random.nextDouble(-1e-8, 1e-8);
        }
        else
        {
            stats[POLICY_LOSS] = (float)random.nextDouble(-0.05, 0.05);
        }
        stats[VALUE_LOSS] = (float)random.nextDouble(0.1, 500);
        stats[ENTROPY] = (float)random.nextDouble(0.3, Math.log(2));
        stats[TOTAL_LOSS] = (float)(stats[POLICY_LOSS] + valueCoef * stats[VALUE_LOSS] -
            entropyCoef * stats[ENTROPY]);
        stats[CLIP_FRACTION] = firstPass ? 0f : (float)random.nextDouble(0, 0.3);
        stats[KL] = (float)(firstPass ? random.nextDouble(-1e-8, 1e-8) : random.nextDouble(-0.01, 0.02));
        final float ratioMean = firstPass ? 1f : (float)random.nextDouble(0.95, 1.05);
        stats[RATIO_SUM] = ratioMean * miniBatch;
        stats[RATIO_SQUARES] = ratioMean * ratioMean * miniBatch * 1.001f;
        stats[RATIO_MIN] = ratioMean - 0.1f;
        stats[RATIO_MAX] = ratioMean + 0.1f;
        stats[GRAD_NORM] = (float)random.nextDouble(0.05, 5);
    }

    private void checkArguments()
    {
        if (epochs < 1 || warmupEpochs < 0 || warmupEpochs >= epochs)
        {
            throw new ParameterException(spec.commandLine(), "--epochs must be at least 1, --warmup-epochs at " +
                "least 0 and below --epochs");
        }
        if (rolloutSteps < 2 || miniBatch < 2 || rolloutSteps % miniBatch != 0)
        {
            throw new ParameterException(spec.commandLine(), "--minibatch must be at least 2 and divide --rollout");
        }
        if (updateEpochs < 1 || hidden < 1 || threads < 1 || maxEpisodeSteps < 1 || lr <= 0 || clip <= 0 ||
            maxGradNorm <= 0 || jitWarmup < 0)
        {
            throw new ParameterException(spec.commandLine(), "--update-epochs, --hidden, --threads and " +
                "--max-episode-steps must be at least 1; --lr, --clip and --max-grad-norm above 0; --jit-warmup at " +
                "least 0");
        }
        if (gamma <= 0 || gamma > 1 || lambda < 0 || lambda > 1)
        {
            throw new ParameterException(spec.commandLine(), "--gamma must be in (0, 1], --lambda in [0, 1]");
        }
    }

    /**
     * What an epoch's optimization steps add up to beyond what the PPO emitter keeps: the means printed per epoch,
     * the probability ratios over all its transitions, the steps whose gradient norm was NaN and the time spent.
     */
    static final class EpochTotals
    {
        long steps;
        double policyLoss;
        double valueLoss;
        double entropy;
        double kl;
        double clipFraction;
        double ratioSum;
        double ratioSquares;
        long ratioCount;
        double ratioMin;
        double ratioMax;
        int nanGradSteps;
        long optimizeNs;

        void reset()
        {
            steps = 0;
            policyLoss = 0;
            valueLoss = 0;
            entropy = 0;
            kl = 0;
            clipFraction = 0;
            ratioSum = 0;
            ratioSquares = 0;
            ratioCount = 0;
            ratioMin = Double.POSITIVE_INFINITY;
            ratioMax = Double.NEGATIVE_INFINITY;
            nanGradSteps = 0;
            optimizeNs = 0;
        }

        /**
         * One optimization step's statistics, as {@link #optimize} returns them, on {@code transitions}.
         */
        void add(final float[] stats, final int transitions)
        {
            steps++;
            policyLoss += stats[POLICY_LOSS];
            valueLoss += stats[VALUE_LOSS];
            entropy += stats[ENTROPY];
            kl += stats[KL];
            clipFraction += stats[CLIP_FRACTION];
            ratioSum += stats[RATIO_SUM];
            ratioSquares += stats[RATIO_SQUARES];
            ratioCount += transitions;
            ratioMin = Math.min(ratioMin, stats[RATIO_MIN]);
            ratioMax = Math.max(ratioMax, stats[RATIO_MAX]);
            if (Float.isNaN(stats[GRAD_NORM]))
            {
                nanGradSteps++;
            }
        }

        double ratioMean()
        {
            return ratioSum / ratioCount;
        }

        double ratioStd()
        {
            final double mean = ratioMean();
            return Math.sqrt(Math.max(0.0, ratioSquares / ratioCount - mean * mean));
        }
    }

    /**
     * One run: fresh networks from the seed, trained for {@code --epochs} and recorded in {@code mode}.
     *
     * @return the timed optimization steps' durations, and their recording calls', in nanoseconds.
     */
    private StepTimes train(final RecordingMode mode, final int index) throws Exception
    {
        final int stepsPerEpoch = updateEpochs * (rolloutSteps / miniBatch);
        final int totalSteps = epochs * stepsPerEpoch;
        // Linear annealing to zero over the run; Adam's update count is the run's optimization step, from 1.
        final Tracker schedule = update -> (float)(lr * Math.max(0.0, 1.0 - (double)(update - 1) / totalSteps));
        final String ppoRunId = runId("ppo", index);
        final String esperRunId = runId("esper", index);

        // The same initial weights for every run: PyTorch's generator, seeded before the networks are initialised.
        Engine.getEngine(ENGINE).setRandomSeed(seed);
        final StepTimes times = new StepTimes();
        final CartPole env = new CartPole(seed * 31L + 1, maxEpisodeSteps);
        final SplittableRandom actionRandom = new SplittableRandom(seed * 31L + 2);
        final SplittableRandom shuffleRandom = new SplittableRandom(seed * 31L + 3);
        final Rollout rollout = new Rollout(rolloutSteps);
        final EpochTotals totals = new EpochTotals();
        final int[] order = new int[rolloutSteps];
        final float[] batchStates = new float[miniBatch * CartPole.STATE_DIM];
        final long[] batchActions = new long[miniBatch];
        final float[] batchLogProbs = new float[miniBatch];
        final float[] batchAdvantages = new float[miniBatch];
        final float[] batchReturns = new float[miniBatch];
        final double[] advantageMoments = new double[2];
        final float[] state = new float[CartPole.STATE_DIM];
        final Shape batchShape = new Shape(miniBatch, CartPole.STATE_DIM);
        final Shape rolloutShape = new Shape(rolloutSteps, CartPole.STATE_DIM);

        double firstLength = Double.NaN;
        double lastLength = Double.NaN;
        long episodes = 0;
        try (Model policyModel = Model.newInstance("ppo-policy", device, ENGINE);
            Model valueModel = Model.newInstance("ppo-value", device, ENGINE);
            PpoTelemetry telemetry = PpoTelemetry.open(mode, mode.path(out, Integer.toString(index)),
                ppoRunId, esperRunId, seed * 1_000_039L + index))
        {
            policyModel.setBlock(mlp(CartPole.ACTIONS));
            valueModel.setBlock(mlp(1));
            try (Trainer policy = policyModel.newTrainer(trainingConfig(schedule, device));
                Trainer value = valueModel.newTrainer(trainingConfig(schedule, device));
                NDManager manager = policyModel.getNDManager().newSubManager())
            {
                policy.initialize(batchShape);
                value.initialize(batchShape);
                final List<Parameter> parameters = new ArrayList<>(policyModel.getBlock().getParameters().values());
                parameters.addAll(valueModel.getBlock().getParameters().values());
                telemetry.trainingStarted(trainingStarted(esperRunId, parameters));

                int optimizerSteps = 0;
                for (int epoch = 1; epoch <= epochs; epoch++)
                {
                    if (epoch == warmupEpochs + 1)
                    {
                        times.beginTimedPart();
                    }
                    telemetry.epochStart(epoch, rolloutSteps);
                    collect(policy, manager, env, rollout, state, actionRandom);
                    estimateValues(value, manager, rollout, rolloutShape);
                    rollout.computeAdvantages(gamma, lambda);
                    recordRollout(telemetry, epoch, rollout);

                    totals.reset();
                    final boolean timed = epoch > warmupEpochs;
                    for (int pass = 0; pass < updateEpochs; pass++)
                    {
                        shuffle(shuffleRandom, order);
                        for (int from = 0; from + miniBatch <= rolloutSteps; from += miniBatch)
                        {
                            final long start = System.nanoTime();
                            final long recordNs;
                            try (NDManager stepManager = manager.newSubManager())
                            {
                                gather(rollout, order, from, batchStates, batchActions, batchLogProbs,
                                    batchAdvantages, batchReturns);
                                moments(rollout.advantages, order, from, miniBatch, advantageMoments);
                                normalize(batchAdvantages, advantageMoments[0], advantageMoments[1]);
                                final float[] stats = optimize(policy, value, parameters, stepManager,
                                    stepManager.create(batchStates, batchShape), stepManager.create(batchActions),
                                    stepManager.create(batchLogProbs), stepManager.create(batchAdvantages),
                                    stepManager.create(batchReturns));
                                optimizerSteps++;
                                totals.add(stats, miniBatch);
                                final long recordStart = System.nanoTime();
                                telemetry.miniBatch(miniBatch, stats[POLICY_LOSS], stats[VALUE_LOSS], stats[ENTROPY],
                                    stats[TOTAL_LOSS], stats[CLIP_FRACTION], stats[KL], stats[GRAD_NORM],
                                    advantageMoments[0], advantageMoments[1]);
                                recordNs = System.nanoTime() - recordStart;
                            }
                            final long elapsed = System.nanoTime() - start;
                            totals.optimizeNs += elapsed;
                            if (timed)
                            {
                                times.add(elapsed, recordNs);
                            }
                        }
                    }
                    final double epochLr = schedule.getNewValue(optimizerSteps);
                    telemetry.epochEnd(epoch, epochLr, optimizerSteps, rollout, totals, entropyCoef);

                    episodes += rollout.episodes();
                    if (epoch == 1)
                    {
                        firstLength = rollout.meanEpisodeLength();
                    }
                    lastLength = rollout.meanEpisodeLength();
                    if (printEpochs)
                    {
                        System.out.println(String.format(Locale.ROOT,
                            "epoch mode=%s epoch=%d episodes=%d mean_episode_length=%.1f policy_loss=%.4f " +
                                "value_loss=%.4f entropy=%.4f kl=%.5f clip_fraction=%.3f lr=%.3g steps=%d",
                            mode.label(), epoch, rollout.episodes(), rollout.meanEpisodeLength(),
                            totals.policyLoss / totals.steps, totals.valueLoss / totals.steps,
                            totals.entropy / totals.steps, totals.kl / totals.steps,
                            totals.clipFraction / totals.steps, epochLr, optimizerSteps));
                    }
                }
                times.endTimedPart();
            }
            System.out.println(times.line(mode.label()));
            System.out.println(String.format(Locale.ROOT,
                "final mode=%s epochs=%d mean_episode_length_first=%.1f mean_episode_length_last=%.1f episodes=%d",
                mode.label(), epochs, firstLength, lastLength, episodes));
            if (telemetry.output().path != null)
            {
                System.out.println(SupervisedTraining.RECORDED + "mode=" + mode.label() + " run_id=" + ppoRunId +
                    (mode == RecordingMode.BLACKBOX ? " esper_run_id=" + esperRunId : "") + " path=" +
                    telemetry.output().path + " not_recorded=" + telemetry.output().notRecorded());
            }
            System.out.flush();
        }
        return times;
    }

    /**
     * One optimization step on a mini-batch: the PPO loss, its gradients, their global norm (clipped to
     * {@code --max-grad-norm}) and both networks' Adam steps.
     *
     * @return the step's statistics, read from PyTorch at once, by the indices above; the gradient norm is the one
     * before clipping.
     */
    private float[] optimize(final Trainer policy, final Trainer value, final List<Parameter> parameters,
        final NDManager manager, final NDArray states, final NDArray actions, final NDArray oldLogProbs,
        final NDArray advantages, final NDArray returns)
    {
        final NDArray ratio;
        final NDArray newLogProbs;
        final NDArray policyLoss;
        final NDArray valueLoss;
        final NDArray entropy;
        final NDArray totalLoss;
        try (GradientCollector collector = policy.newGradientCollector())
        {
            final NDArray logProbs = policy.forward(new NDList(states)).singletonOrThrow().logSoftmax(1);
            newLogProbs = logProbs.gather(actions.reshape(miniBatch, 1), 1).reshape(miniBatch);
            ratio = newLogProbs.sub(oldLogProbs).exp();
            final NDArray surrogate = ratio.mul(advantages);
            // Float scalars: a double would make PyTorch promote the arrays to float64.
            final NDArray clipped = ratio.clip((float)(1 - clip), (float)(1 + clip)).mul(advantages);
            policyLoss = NDArrays.minimum(surrogate, clipped).mean().neg();
            entropy = logProbs.exp().mul(logProbs).sum(new int[]{ 1 }).mean().neg();
            final NDArray values = value.forward(new NDList(states)).singletonOrThrow().reshape(miniBatch);
            valueLoss = values.sub(returns).square().mean();
            totalLoss = policyLoss.add(valueLoss.mul((float)valueCoef)).sub(entropy.mul((float)entropyCoef));
            collector.backward(totalLoss);
        }
        // Outside the collector PyTorch records no graph: the statistics and the norm cost no autograd.
        final NDList scalars = new NDList(GRAD_NORM + 1);
        scalars.add(policyLoss);
        scalars.add(valueLoss);
        scalars.add(entropy);
        scalars.add(totalLoss);
        scalars.add(ratio.sub(1).abs().gt((float)clip).toType(DataType.FLOAT32, false).mean());
        scalars.add(oldLogProbs.sub(newLogProbs).mean());
        scalars.add(ratio.sum());
        scalars.add(ratio.square().sum());
        scalars.add(ratio.min());
        scalars.add(ratio.max());
        final NDList gradients = new NDList(parameters.size());
        final NDList squares = new NDList(parameters.size());
        for (final Parameter parameter : parameters)
        {
            final NDArray gradient = parameter.getArray().getGradient();
            gradient.attach(manager); // closed with the step's arrays
            gradients.add(gradient);
            squares.add(gradient.square().sum());
        }
        scalars.add(NDArrays.stack(squares).sum().sqrt());
        final float[] stats = NDArrays.stack(scalars).toFloatArray();

        final float norm = stats[GRAD_NORM];
        if (norm > maxGradNorm)
        {
            final float scale = (float)(maxGradNorm / norm);
            for (final NDArray gradient : gradients)
            {
                gradient.muli(scale); // in place: the parameter's own gradient
            }
        }
        policy.step();
        value.step();
        return stats;
    }

    /**
     * A rollout: {@code --rollout} steps of the current policy in the environment, which carries on from the previous
     * rollout's last state and resets after each episode.
     */
    private static void collect(final Trainer policy, final NDManager manager, final CartPole env,
        final Rollout rollout, final float[] state, final SplittableRandom random)
    {
        rollout.clear();
        for (int t = 0; t < rollout.size; t++)
        {
            final int action = act(policy, manager, env, rollout, t, state, random);
            rollout.actions[t] = action;
            rollout.rewards[t] = env.step(action);
            env.observe(rollout.nextStates, t * CartPole.STATE_DIM);
            rollout.terminated[t] = env.terminated();
            rollout.episodeEnds[t] = env.terminated() || env.truncated();
            if (rollout.episodeEnds[t])
            {
                rollout.episodeEnded(t, env.steps(), env.episodeReturn());
                env.reset();
            }
        }
    }

    /**
     * The policy's action in the environment's current state, sampled from its softmax; the state, the action's
     * log-probability and the policy's entropy go into the rollout at step {@code t}.
     */
    private static int act(final Trainer policy, final NDManager parent, final CartPole env, final Rollout rollout,
        final int t, final float[] state, final SplittableRandom random)
    {
        env.observe(state, 0);
        System.arraycopy(state, 0, rollout.states, t * CartPole.STATE_DIM, CartPole.STATE_DIM);
        final float[] logProbs;
        try (NDManager manager = parent.newSubManager())
        {
            logProbs = policy.evaluate(new NDList(manager.create(state, STATE_SHAPE))).singletonOrThrow()
                .logSoftmax(1).toFloatArray();
        }
        final double right = Math.exp(logProbs[1]);
        final int action = random.nextDouble() < right ? 1 : 0;
        rollout.logProbs[t] = logProbs[action];
        rollout.entropies[t] = (float)-(Math.exp(logProbs[0]) * logProbs[0] + right * logProbs[1]);
        return action;
    }

    /**
     * The value network's estimates of every state of the rollout and of every next state, in two batches.
     */
    private static void estimateValues(final Trainer value, final NDManager parent, final Rollout rollout,
        final Shape rolloutShape)
    {
        try (NDManager manager = parent.newSubManager())
        {
            final float[] values = value.evaluate(new NDList(manager.create(rollout.states, rolloutShape)))
                .singletonOrThrow().toFloatArray();
            final float[] nextValues = value.evaluate(new NDList(manager.create(rollout.nextStates, rolloutShape)))
                .singletonOrThrow().toFloatArray();
            System.arraycopy(values, 0, rollout.values, 0, rollout.size);
            System.arraycopy(nextValues, 0, rollout.nextValues, 0, rollout.size);
        }
    }

    /**
     * The rollout's transitions and, per episode that ended in it, the reward event with its last decision.
     */
    private static void recordRollout(final PpoTelemetry telemetry, final int epoch, final Rollout rollout)
    {
        telemetry.transitions(rollout.rewards, rollout.advantages, rollout.size);
        for (int i = 0; i < rollout.episodes(); i++)
        {
            final int t = rollout.episodeLastSteps[i];
            telemetry.episodeEnded(epoch, rollout.episodeReturns[i], (int)rollout.actions[t], rollout.values[t],
                Math.exp(rollout.logProbs[t]), rollout.entropies[t]);
        }
    }

    private SequentialBlock mlp(final int outputs)
    {
        return new SequentialBlock()
            .add(Linear.builder().setUnits(hidden).build())
            .add(Activation::tanh)
            .add(Linear.builder().setUnits(hidden).build())
            .add(Activation::tanh)
            .add(Linear.builder().setUnits(outputs).build());
    }

    /**
     * Adam on the annealed rate; the loss is computed by {@link #optimize}, the config's is never used.
     */
    private static DefaultTrainingConfig trainingConfig(final Tracker schedule, final Device device)
    {
        return new DefaultTrainingConfig(Loss.l2Loss())
            .optOptimizer(Optimizer.adam().optLearningRateTracker(schedule).build())
            .optDevices(new Device[]{ device });
    }

    private TrainingStarted trainingStarted(final String esperRunId, final List<Parameter> parameters)
    {
        long parameterCount = 0;
        for (final Parameter parameter : parameters)
        {
            parameterCount += parameter.getArray().size();
        }
        // One environment on the CPU (it is Java), the policy on --device; no seeds or slots (esper-lite's
        // morphogenesis does not apply); n_episodes is 0 because the run is as long as its epochs, not a number of
        // episodes.
        return new TrainingStarted(1, epochs, "cartpole", parameterCount, List.of(), seed, 0, lr, clip, entropyCoef,
            0L, TrainingDevice.torchName(device), List.of("cpu"), esperRunId, "", "", 0, null, 1, 0, 0, false, null,
            false, null, null);
    }

    private String runId(final String family, final int index)
    {
        return UUID.nameUUIDFromBytes(("blackbox-bench/ppo-training/" + family + "/" + seed + "/" + index)
            .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static void shuffle(final SplittableRandom random, final int[] order)
    {
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    private static void gather(final Rollout rollout, final int[] order, final int from, final float[] states,
        final long[] actions, final float[] logProbs, final float[] advantages, final float[] returns)
    {
        for (int row = 0; row < actions.length; row++)
        {
            final int t = order[from + row];
            System.arraycopy(rollout.states, t * CartPole.STATE_DIM, states, row * CartPole.STATE_DIM,
                CartPole.STATE_DIM);
            actions[row] = rollout.actions[t];
            logProbs[row] = rollout.logProbs[t];
            advantages[row] = (float)rollout.advantages[t];
            returns[row] = rollout.returns[t];
        }
    }

    /**
     * The mean and population standard deviation of the mini-batch's GAE advantages, into {@code moments}.
     */
    private static void moments(final double[] advantages, final int[] order, final int from, final int count,
        final double[] moments)
    {
        double mean = 0;
        for (int row = 0; row < count; row++)
        {
            mean += advantages[order[from + row]];
        }
        mean /= count;
        double squares = 0;
        for (int row = 0; row < count; row++)
        {
            final double d = advantages[order[from + row]] - mean;
            squares += d * d;
        }
        moments[0] = mean;
        moments[1] = Math.sqrt(squares / count);
    }

    private static void normalize(final float[] advantages, final double mean, final double std)
    {
        final double scale = 1.0 / (std + 1e-8);
        for (int i = 0; i < advantages.length; i++)
        {
            advantages[i] = (float)((advantages[i] - mean) * scale);
        }
    }
}
