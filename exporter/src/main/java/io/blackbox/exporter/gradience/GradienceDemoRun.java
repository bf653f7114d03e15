package io.blackbox.exporter.gradience;

import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.exporter.family.DemoWorkload;
import io.blackbox.exporter.family.SimulatedRun;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One simulated LoRA fine-tuning run, as a training loop would record it: {@code run_start} with a ConfigSnapshot,
 * a {@code train_step} every step, periodic {@code eval} on {@code train} and {@code test} with a
 * {@code metrics(kind=lora_audit)} block, an {@code alert} and a {@code recommendation} when the generalization gap
 * (test ppl / train ppl) first crosses its threshold, and {@code run_end}.
 * <p>
 * The curves are deterministic for a seed: train loss decays, test loss decays less and then rises as the adapter
 * memorises, so the gap crosses 1.5 part-way through the run. The model is Llama-3.2-1B's shape (16 layers, hidden
 * 2048, k/v projections to 512) with LoRA on q, k, v and o, and the values are those the original Gradience tools
 * read: a {@code task_profile} they know, and the audit's {@code total_lora_params} and {@code energy_rank_90_p90}.
 */
public final class GradienceDemoRun extends SimulatedRun
{
    public static final double GAP_THRESHOLD = 1.5;

    /** Llama-3.2-1B: decoder layers, and the in + out widths of q, k, v and o (q and o 2048x2048, k and v 2048x512). */
    private static final int MODEL_LAYERS = 16;
    private static final int LORA_WIDTHS_PER_LAYER = (2048 + 2048) + (2048 + 512) + (2048 + 512) + (2048 + 2048);
    private static final List<String> TARGET_MODULES = List.of("q_proj", "k_proj", "v_proj", "o_proj");

    private final int evalEvery;

    /**
     * @param recorder the recording.
     * @param index    this run's number among the demo's concurrent runs.
     * @param settings steps to simulate, the demo's seed (the run's id and curves follow from it and {@code index}),
     *                 steps between evals (0: a fiftieth of the steps) and the pace.
     */
    public GradienceDemoRun(final Recorder recorder, final int index, final DemoWorkload.Settings settings)
    {
        super(recorder, index, settings, DemoWorkload.runId(settings.seed() * 31 + index), "train_step");
        this.evalEvery = settings.evalEvery() > 0 ? settings.evalEvery() : (int)Math.max(1, steps / 50);
    }

    public void run()
    {
        final GradienceEmitter emitter = recorder.emitter(GradienceEmitter::new, runId());
        final SplittableRandom random = new SplittableRandom(seed * 1_000_003 + index);
        final int gradNorm = emitter.symbol("grad_norm");
        final int epoch = emitter.symbol("epoch");
        final int train = emitter.symbol(GradienceWire.SPLIT_TRAIN);
        final int test = emitter.symbol(GradienceWire.SPLIT_TEST);

        long count = 0;
        long recordedSteps = 0;
        boolean ok = emitter.runStart(config(), meta());
        count++;

        final double peakLr = 2e-4;
        final long warmup = Math.max(1, steps / 20);
        final double stepsPerEpoch = Math.max(1.0, steps / 3.0);
        final double tau = Math.max(1.0, steps / 6.0);
        boolean alerted = false;
        final long pacedFromNs = System.nanoTime();

        long lastStep = 0;
        for (long step = 1; step <= steps; step++)
        {
            if (Thread.currentThread().isInterrupted())
            {
                break; // the demo is stopping (SIGTERM, Ctrl-C): end the run as a user's loop would
            }
            lastStep = step;
            pace(pacedFromNs, step - 1);
            final double progress = (double)step / steps;
            final double lr = step < warmup ? peakLr * step / warmup :
                0.5 * peakLr * (1 + Math.cos(Math.PI * (step - warmup) / Math.max(1, steps - warmup)));
            final double trainLoss = 0.35 + 1.9 * Math.exp(-step / tau) + 0.03 * (random.nextDouble() - 0.5);
            final double norm = 0.2 + 1.5 * Math.exp(-step / tau) + 0.1 * random.nextDouble();

            final long start = System.nanoTime();
            final boolean recorded = emitter.trainStep(step)
                .loss(trainLoss)
                .lr(lr)
                .metric(gradNorm, norm)
                .metric(epoch, step / stepsPerEpoch)
                .commit();
            stepEmitted(start);
            // Only a record that is in the ring is acknowledged: one not recorded (dropped, or the recorder failed)
            // would not be there after a crash.
            if (recorded)
            {
                acknowledge(++recordedSteps);
            }
            ok &= recorded;
            count++;

            if (step % evalEvery == 0 || step == steps)
            {
                final double trainEvalLoss = 0.33 + 1.9 * Math.exp(-step / tau);
                final double testEvalLoss = 0.55 + 1.7 * Math.exp(-step / tau) + 0.9 * progress * progress;
                final double trainPpl = Math.exp(trainEvalLoss);
                final double testPpl = Math.exp(testEvalLoss);
                ok &= emitter.eval(step, train, trainPpl, Math.min(0.99, 0.5 + 0.45 * progress), trainEvalLoss, 512);
                ok &= emitter.eval(step, test, testPpl, Math.max(0.2, 0.55 - 0.1 * progress), testEvalLoss, 128);
                ok &= emitter.metrics(step, "lora_audit", loraAudit(random, progress, rank()));
                count += 3;

                final double gap = testPpl / trainPpl;
                if (!alerted && gap >= GAP_THRESHOLD)
                {
                    alerted = true;
                    final Map<String, Object> context = new LinkedHashMap<>();
                    context.put(GradienceWire.GAP_CONTEXT_GAP, gap);
                    context.put(GradienceWire.GAP_CONTEXT_TRAIN_PPL, trainPpl);
                    context.put(GradienceWire.GAP_CONTEXT_TEST_PPL, testPpl);
                    context.put(GradienceWire.GAP_CONTEXT_THRESHOLD, GAP_THRESHOLD);
                    ok &= emitter.alert(step, GradienceSeverity.WARNING, GradienceWire.CODE_MEMORIZATION_GAP,
                        String.format("generalization gap %.3f >= %.1f (test ppl %.3f / train ppl %.3f)",
                        gap, GAP_THRESHOLD, testPpl, trainPpl), context);
                    ok &= emitter.recommendation(step, recommendations(gap));
                    count += 2;
                }
            }
        }

        final boolean finished = lastStep == steps;
        ok &= emitter.runEnd(lastStep, finished ? GradienceRunStatus.OK : GradienceRunStatus.ABORTED,
            finished ? null : "interrupted");
        count++;
        emitter.close(); // its lane goes back to the ring for the next run
        finish(count, ok);
    }

    private Map<String, Object> config()
    {
        final Map<String, Object> optimizer = new LinkedHashMap<>();
        optimizer.put("name", "adamw_torch_fused");
        optimizer.put("lr", 2e-4);
        optimizer.put("weight_decay", 0.0);
        optimizer.put("betas", List.of(0.9, 0.999));
        optimizer.put("eps", 1e-8);
        optimizer.put("extras", Map.of());

        final Map<String, Object> lora = new LinkedHashMap<>();
        final int r = rank();
        lora.put("r", r);
        lora.put("alpha", 2.0 * r);
        lora.put("alpha_over_r", 2.0);
        lora.put("target_modules", TARGET_MODULES);
        lora.put("dropout", 0.05);
        lora.put("bias", "none");
        lora.put("extras", Map.of());

        final Map<String, Object> training = new LinkedHashMap<>();
        training.put("seed", seed + index);
        training.put("batch_size", 8);
        training.put("gradient_accumulation", 4);
        training.put("max_steps", steps);
        training.put("epochs", null);
        training.put("dtype", "bfloat16");
        training.put("extras", Map.of());

        final Map<String, Object> config = new LinkedHashMap<>();
        config.put("model_name", "meta-llama/Llama-3.2-1B");
        config.put("dataset_name", "tatsu-lab/alpaca");
        config.put("task_profile", "generation"); // one of the original's: instruction tuning generates text
        config.put("optimizer", optimizer);
        config.put("lora", lora);
        config.put("training", training);
        config.put("notes", null);
        config.put("extras", Map.of());
        return config;
    }

    private Map<String, Object> meta()
    {
        final Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("framework", "blackbox-demo");
        meta.put("run_index", index);
        return meta;
    }

    /**
     * @return this run's LoRA rank: 8, 16 or 32.
     */
    private int rank()
    {
        return 8 << (index % 3);
    }

    private static Map<String, Object> loraAudit(final SplittableRandom random, final double progress, final int r)
    {
        final int energyRank90P50 = Math.min(r, 2 + (int)(4 * progress));
        final Map<String, Object> audit = new LinkedHashMap<>();
        audit.put("n_layers", MODEL_LAYERS * TARGET_MODULES.size());
        audit.put("total_lora_params", (long)MODEL_LAYERS * r * LORA_WIDTHS_PER_LAYER);
        audit.put("stable_rank_mean", 3.1 + 2.0 * progress + 0.1 * random.nextDouble());
        audit.put("utilization_mean", 0.35 + 0.4 * progress);
        audit.put("energy_rank_90_p50", energyRank90P50);
        audit.put("energy_rank_90_p90", Math.min(r, energyRank90P50 + 1 + (int)(2 * progress)));
        audit.put("dominance_ratio_max", 1.2 + progress);
        audit.put("per_layer_stable_rank", Arrays.asList(3.2, 3.4, 2.9, 3.8));
        return audit;
    }

    private static List<Map<String, Object>> recommendations(final double gap)
    {
        final Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("gap", gap);
        evidence.put("threshold", GAP_THRESHOLD);

        final Map<String, Object> reduceRank = new LinkedHashMap<>();
        reduceRank.put("severity", "warning");
        reduceRank.put("action", "reduce_rank");
        reduceRank.put("message", "Halve the LoRA rank or stop earlier: the adapter is memorising the training set.");
        reduceRank.put("rationale", "test perplexity grows while train perplexity keeps falling");
        reduceRank.put("confidence", 0.7);
        reduceRank.put("scope", "run");
        reduceRank.put("evidence", evidence);
        return List.of(reduceRank);
    }
}
