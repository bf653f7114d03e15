package io.blackbox.tests.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.esper.EsperEventType;
import io.blackbox.exporter.esper.EsperWire;
import io.blackbox.exporter.ppo.PpoWire;
import io.blackbox.exporter.report.Plot;
import io.blackbox.exporter.report.ReportData;
import io.blackbox.exporter.report.ReportSection;
import io.blackbox.tests.CommandRun;
import io.blackbox.tests.TestRecordings;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real reinforcement-learning run, recorded: bench's {@code PpoTraining} trains its PPO agent on cart-pole with DJL
 * on PyTorch (CPU) for a few epochs in a child JVM, offline, once in each mode ({@code off}, {@code blackbox},
 * {@code jfr}, {@code jsonl}), after a short JIT warm-up of each.
 * <p>
 * The {@code blackbox} recording is exported, the PPO and Esper files validated, and their numbers are a training's:
 * one PPO record per epoch with the run's counts, finite losses and statistics that vary from mini-batch to mini-batch
 * and from epoch to epoch, an annealed learning rate; an Esper {@code PPO_UPDATE_COMPLETED} per epoch with the same
 * losses as the PPO record, and a {@code REWARD_COMPUTED} per finished episode whose rewards are the episodes' lengths;
 * {@code blackbox report} draws the PPO records' curves point for point and the episodes' rewards.
 * The {@code jsonl} file holds a line per mini-batch and the {@code jfr} file an event per mini-batch, with the run's
 * id, its epoch and finite statistics; the runs are of one seed on one intra-op thread, so they train alike, and the
 * JFR events carry the JSON lines' values and the lines' means per epoch are the PPO records'. The warm-up's
 * recordings are gone.
 * <p>
 * The child runs on bench's classes and {@code bench/target/training.classpath}, with DJL's cache under
 * {@code target/djl-cache}, as in {@link SupervisedTrainingTest}. No timing is checked here.
 */
class PpoTrainingTest
{
    private static final String MAIN = "io.blackbox.bench.training.PpoTraining";
    private static final int EPOCHS = 4;
    private static final int WARMUP_EPOCHS = 1;
    private static final int ROLLOUT = 512;
    private static final int MINI_BATCH = 64;
    private static final int UPDATE_EPOCHS = 4;
    private static final int STEPS_PER_EPOCH = UPDATE_EPOCHS * ROLLOUT / MINI_BATCH;
    private static final int MAX_EPISODE_STEPS = 500;
    private static final double LR = 0.001;
    private static final double TOLERANCE = 1e-12;
    private static final int JIT_WARMUP = 200;
    private static final String JFR_EVENT = "blackbox.bench.PpoMiniBatch";
    /** A JSON line's keys, in order. */
    private static final List<String> JSONL_KEYS = List.of("ts", "run_id", "epoch", "transitions", "policy_loss",
        "value_loss", "entropy", "total_loss", "clip_fraction", "kl", "grad_norm", "advantage_mean", "advantage_std");
    /** The JSON line's statistics and the JFR event's fields of the same. */
    private static final Map<String, String> JFR_FIELDS = Map.of("policy_loss", "policyLoss", "value_loss",
        "valueLoss", "entropy", "entropy", "total_loss", "totalLoss", "clip_fraction", "clipFraction", "kl", "klDivergence",
        "grad_norm", "gradNorm", "advantage_mean", "advantageMean", "advantage_std", "advantageStd");

    @TempDir
    Path temp;

    @Test
    void shouldRecordARealPpoRunInEachMode() throws Exception
    {
        final Path out = temp.resolve("out");
        final double startSeconds = System.currentTimeMillis() / 1e3;
        final List<String> lines = TrainingProcess.run(temp, MAIN,
            "--modes", "off,blackbox,jfr,jsonl",
            "--jit-warmup", Integer.toString(JIT_WARMUP),
            "--epochs", Integer.toString(EPOCHS),
            "--warmup-epochs", Integer.toString(WARMUP_EPOCHS),
            "--rollout", Integer.toString(ROLLOUT),
            "--minibatch", Integer.toString(MINI_BATCH),
            "--update-epochs", Integer.toString(UPDATE_EPOCHS),
            "--max-episode-steps", Integer.toString(MAX_EPISODE_STEPS),
            "--lr", Double.toString(LR),
            "--seed", "42",
            "--out", out.toString());

        final double endSeconds = System.currentTimeMillis() / 1e3;
        assertEquals("PpoTraining", TrainingProcess.fields(lines.get(0)).get("program"), lines::toString);
        assertTrue(TrainingProcess.fields(lines.get(0)).get("device").matches("cpu|gpu:[0-9]+"), lines::toString);
        final Map<String, String> offLast = TrainingProcess.fields(TrainingProcess.line(lines, "final mode=off "));
        for (final String mode : List.of("off", "blackbox", "jfr", "jsonl"))
        {
            final String timed = TrainingProcess.line(lines, "mode=" + mode + " ");
            assertTrue(timed.contains("steps=" + (EPOCHS - WARMUP_EPOCHS) * STEPS_PER_EPOCH + " "), timed);
            final Map<String, String> last =
                TrainingProcess.fields(TrainingProcess.line(lines, "final mode=" + mode + " "));
            assertEquals(Integer.toString(EPOCHS), last.get("epochs"));
            assertTrue(Double.parseDouble(last.get("mean_episode_length_first")) >= 1, last::toString);
            assertTrue(Double.parseDouble(last.get("mean_episode_length_last")) >= 1, last::toString);
            // Recording changes nothing of the training: every mode's run is the same run.
            assertEquals(offLast.get("mean_episode_length_last"), last.get("mean_episode_length_last"), mode);
            assertEquals(offLast.get("episodes"), last.get("episodes"), mode);
        }
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("recorded mode=off ")), lines::toString);
        // What the runs recorded, and nothing of the warm-up's.
        try (Stream<Path> files = Files.list(out))
        {
            assertEquals(Set.of("2-blackbox", "3-jfr.jfr", "4-jsonl.jsonl"),
                files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()));
        }

        final String recorded = TrainingProcess.line(lines, "recorded mode=blackbox ");
        assertTrue(recorded.contains(" not_recorded=0"), recorded);
        final Map<String, String> fields = TrainingProcess.fields(recorded);
        final String runId = fields.get("run_id");
        final String esperRunId = fields.get("esper_run_id");
        final Path recording = Path.of(fields.get("path"));
        assertEquals(out.resolve("2-blackbox"), recording);

        final RecordingExport.Result export = RecordingExport.export(recording, temp.resolve("export"));
        assertEquals(0, export.dropped(), export::toString);
        assertFalse(export.damaged(), export::toString);
        final Path ppoFile = onlyFile(export, PpoWire.FAMILY, runId);
        final Path esperFile = onlyFile(export, EsperWire.FAMILY, esperRunId);
        final CommandRun validatePpo = CommandRun.of("validate", PpoWire.FAMILY, ppoFile.toString());
        assertEquals(0, validatePpo.exit(), validatePpo::toString);
        final CommandRun validateEsper = CommandRun.of("validate", EsperWire.FAMILY, esperFile.toString());
        assertEquals(0, validateEsper.exit(), validateEsper::toString);

        final List<ObjectNode> epochs = TestRecordings.readJsonl(ppoFile);
        checkPpoEpochs(epochs);
        final List<ObjectNode> events = TestRecordings.readJsonl(esperFile);
        checkTrainingStarted(events);
        checkPpoUpdates(events, epochs);
        checkRewards(events, epochs);
        checkReport(recording, runId, epochs);

        final Map<String, String> jsonlRun =
            TrainingProcess.fields(TrainingProcess.line(lines, "recorded mode=jsonl "));
        assertEquals(out.resolve("4-jsonl.jsonl"), Path.of(jsonlRun.get("path")));
        final List<ObjectNode> miniBatches = checkJsonLines(Path.of(jsonlRun.get("path")), jsonlRun.get("run_id"),
            startSeconds, endSeconds);
        checkMiniBatchMeans(miniBatches, epochs);
        final Map<String, String> jfrRun = TrainingProcess.fields(TrainingProcess.line(lines, "recorded mode=jfr "));
        assertEquals(out.resolve("3-jfr.jfr"), Path.of(jfrRun.get("path")));
        checkJfrEvents(Path.of(jfrRun.get("path")), jfrRun.get("run_id"), miniBatches);
    }

    /**
     * A line per mini-batch, {@code STEPS_PER_EPOCH} of each epoch in order, with the keys in order, the run's id, a
     * timestamp in seconds within the run and finite, plausible statistics.
     */
    private static List<ObjectNode> checkJsonLines(final Path file, final String runId, final double startSeconds,
        final double endSeconds) throws Exception
    {
        final List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(EPOCHS * STEPS_PER_EPOCH, text.size(), "lines of " + file);
        final List<ObjectNode> lines = TestRecordings.readJsonl(file);
        assertEquals(text.size(), lines.size(), "JSON lines of " + file);
        double previousTs = 0;
        for (int i = 0; i < lines.size(); i++)
        {
            final ObjectNode line = lines.get(i);
            assertEquals(JSONL_KEYS, names(line.fieldNames()), line::toString);
            assertEquals(runId, line.get("run_id").asText(), line::toString);
            assertEquals(i / STEPS_PER_EPOCH + 1, line.get("epoch").asLong(), line::toString);
            assertEquals(MINI_BATCH, line.get("transitions").asInt(), line::toString);
            final double ts = number(line, "ts");
            assertTrue(ts >= startSeconds - 1 && ts <= endSeconds + 1 && ts >= previousTs, line::toString);
            previousTs = ts;
            for (final String key : JFR_FIELDS.keySet())
            {
                assertTrue(Double.isFinite(number(line, key)), () -> key + " in " + line);
            }
            assertTrue(number(line, "value_loss") > 0, line::toString);
            final double entropy = number(line, "entropy");
            assertTrue(entropy > 0 && entropy <= Math.log(2) + 1e-6, line::toString);
            final double clipFraction = number(line, "clip_fraction");
            assertTrue(clipFraction >= 0 && clipFraction <= 1, line::toString);
            assertTrue(number(line, "grad_norm") > 0, line::toString);
            assertTrue(number(line, "advantage_std") > 0, line::toString);
        }
        return lines;
    }

    /**
     * The mini-batches' means per epoch are the epoch's PPO record's: the same training, its statistics as
     * {@code miniBatch} got them.
     */
    private static void checkMiniBatchMeans(final List<ObjectNode> miniBatches, final List<ObjectNode> epochs)
    {
        final Map<String, String> ppoKeys = Map.of("policy_loss", PpoWire.LOSS_POLICY, "value_loss",
            PpoWire.LOSS_VALUE, "entropy", PpoWire.LOSS_ENTROPY, "total_loss", PpoWire.LOSS_TOTAL, "clip_fraction",
            PpoWire.CLIP_FRACTION, "kl", PpoWire.KL_DIVERGENCE, "grad_norm", PpoWire.GRAD_NORM, "advantage_mean",
            PpoWire.ADV_MEAN, "advantage_std", PpoWire.ADV_STD);
        for (int e = 0; e < EPOCHS; e++)
        {
            final ObjectNode epoch = epochs.get(e);
            final List<ObjectNode> ofEpoch = miniBatches.subList(e * STEPS_PER_EPOCH, (e + 1) * STEPS_PER_EPOCH);
            for (final Map.Entry<String, String> key : ppoKeys.entrySet())
            {
                double sum = 0;
                for (final ObjectNode line : ofEpoch)
                {
                    sum += number(line, key.getKey());
                }
                final double expected = number(epoch, key.getValue());
                assertEquals(expected, sum / STEPS_PER_EPOCH, 1e-6 * Math.max(1e-3, Math.abs(expected)),
                    () -> key + " of epoch " + epoch);
            }
        }
    }

    /**
     * An event per mini-batch, with the run's id, and the same epoch and statistics as the JSON line of the same
     * mini-batch.
     */
    private static void checkJfrEvents(final Path file, final String runId, final List<ObjectNode> miniBatches)
        throws Exception
    {
        final List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
            .filter(e -> JFR_EVENT.equals(e.getEventType().getName()))
            .sorted(Comparator.comparing(RecordedEvent::getStartTime))
            .toList();
        assertEquals(EPOCHS * STEPS_PER_EPOCH, events.size(), JFR_EVENT + " events in " + file);
        for (int i = 0; i < events.size(); i++)
        {
            final RecordedEvent event = events.get(i);
            final ObjectNode line = miniBatches.get(i);
            assertEquals(runId, event.getString("runId"), event::toString);
            assertEquals(line.get("epoch").asLong(), event.getLong("epoch"), event::toString);
            assertEquals(MINI_BATCH, event.getInt("transitions"), event::toString);
            for (final Map.Entry<String, String> field : JFR_FIELDS.entrySet())
            {
                assertEquals(number(line, field.getKey()), event.getDouble(field.getValue()),
                    () -> field + " of " + event + " against " + line);
            }
        }
    }

    private static List<String> names(final Iterator<String> fieldNames)
    {
        final List<String> names = new ArrayList<>();
        fieldNames.forEachRemaining(names::add);
        return names;
    }

    /**
     * {@code blackbox report} of the run: the PPO section's curves are the epochs' records, point for point; the Esper
     * section draws the episodes' rewards; the command writes a page naming the run.
     */
    private void checkReport(final Path recording, final String runId, final List<ObjectNode> epochs)
        throws Exception
    {
        final ReportData.Result report = ReportData.fromRecording(recording, records -> {});
        final ReportSection ppo = section(report, PpoWire.FAMILY);
        for (final String[] curve : List.of(new String[] {"loss-policy", PpoWire.LOSS_POLICY},
            new String[] {"loss-value", PpoWire.LOSS_VALUE}, new String[] {"kl", PpoWire.KL_DIVERGENCE}))
        {
            final double[][] kept = plot(ppo, curve[0]).series().stream().filter(s -> s.run().equals(runId))
                .findFirst().orElseThrow(() -> new AssertionError("plot " + curve[0] + " has the run")).kept();
            assertEquals(epochs.size(), kept[0].length, curve[0]);
            for (int i = 0; i < epochs.size(); i++)
            {
                assertEquals(epochs.get(i).get(PpoWire.EPOCH).asDouble(), kept[0][i], curve[0]);
                assertEquals(epochs.get(i).get(curve[1]).asDouble(), kept[1][i], TOLERANCE, curve[0]);
            }
        }
        final int rewardPoints = plot(section(report, EsperWire.FAMILY), "reward").series().stream()
            .mapToInt(series -> series.kept()[0].length).sum();
        assertTrue(rewardPoints > 0, "the Esper section draws the episodes' rewards");

        final Path page = temp.resolve("report.html");
        final CommandRun command = CommandRun.of("report", "--recording", recording.toString(), "--out",
            page.toString());
        assertEquals(0, command.exit(), command::toString);
        assertTrue(Files.readString(page).contains(runId), "the page names the run");
    }

    private static ReportSection section(final ReportData.Result report, final String family)
    {
        return report.sections().stream().filter(section -> section.family().equals(family)).findFirst()
            .orElseThrow(() -> new AssertionError("the report has a " + family + " section"));
    }

    private static Plot plot(final ReportSection section, final String id)
    {
        return section.plots().stream().filter(plot -> plot.id().equals(id)).findFirst()
            .orElseThrow(() -> new AssertionError("the " + section.family() + " section has a plot " + id));
    }

    /**
     * One 1.1 record per epoch with the run's counts; finite, plausible losses; statistics that differ between the
     * epoch's mini-batches (the spread and maxima the record carries) and between epochs; the annealed rate.
     */
    private static void checkPpoEpochs(final List<ObjectNode> epochs)
    {
        assertEquals(EPOCHS, epochs.size(), "PPO records");
        final Set<Double> policyLosses = new HashSet<>();
        final Set<Double> valueLosses = new HashSet<>();
        double previousLr = Double.POSITIVE_INFINITY;
        for (int i = 0; i < epochs.size(); i++)
        {
            final ObjectNode epoch = epochs.get(i);
            final int number = i + 1;
            assertEquals(PpoWire.VERSION_1_1, number(epoch, PpoWire.TELEMETRY_VERSION), epoch::toString);
            assertEquals(number, number(epoch, PpoWire.EPOCH), epoch::toString);
            assertEquals(STEPS_PER_EPOCH, number(epoch, PpoWire.UPDATES), epoch::toString);
            assertEquals(STEPS_PER_EPOCH * MINI_BATCH, number(epoch, PpoWire.TRANSITIONS), epoch::toString);
            assertEquals(number * STEPS_PER_EPOCH, number(epoch, PpoWire.STEPS), epoch::toString);
            assertEquals(PpoWire.DATA_MODE_ROLLOUT, epoch.get(PpoWire.DATA_MODE).asText(), epoch::toString);
            assertEquals(number, number(epoch, PpoWire.CYCLE_ID), epoch::toString);
            assertEquals(ROLLOUT, number(epoch, PpoWire.ROLLOUT_TICKS), epoch::toString);
            assertTrue(number(epoch, PpoWire.EPOCH_DURATION_SEC) > 0, epoch::toString);

            // Real losses: a positive value MSE, an entropy of two actions in (0, ln 2], a positive gradient norm.
            assertTrue(number(epoch, PpoWire.LOSS_VALUE) > 0, epoch::toString);
            final double entropy = number(epoch, PpoWire.LOSS_ENTROPY);
            assertTrue(entropy > 0 && entropy <= Math.log(2) + 1e-6, epoch::toString);
            assertTrue(number(epoch, PpoWire.GRAD_NORM) > 0, epoch::toString);
            assertTrue(Double.isFinite(number(epoch, PpoWire.LOSS_POLICY)), epoch::toString);
            assertTrue(Double.isFinite(number(epoch, PpoWire.LOSS_TOTAL)), epoch::toString);
            assertTrue(number(epoch, PpoWire.ADV_STD) > 0, epoch::toString);

            // The mini-batches differ: their entropies spread, and the maxima lie above the means.
            assertTrue(number(epoch, PpoWire.BATCH_ENTROPY_STD) > 0, epoch::toString);
            assertEquals(entropy, number(epoch, PpoWire.BATCH_ENTROPY_MEAN), 1e-9, epoch::toString);
            assertTrue(number(epoch, PpoWire.GRAD_NORM_MAX) > number(epoch, PpoWire.GRAD_NORM), epoch::toString);
            assertTrue(number(epoch, PpoWire.KL_DIVERGENCE_MAX) > Math.abs(number(epoch, PpoWire.KL_DIVERGENCE)),
                epoch::toString);
            assertTrue(number(epoch, PpoWire.CLIP_FRACTION_MAX) >= number(epoch, PpoWire.CLIP_FRACTION),
                epoch::toString);
            assertTrue(number(epoch, PpoWire.ADV_MIN_STD) < number(epoch, PpoWire.ADV_STD), epoch::toString);

            // The rate Adam used for the epoch's last update, annealed linearly to 0 over the run.
            final double lr = number(epoch, PpoWire.LR);
            final double expectedLr = LR * (1.0 - (double)(number * STEPS_PER_EPOCH - 1) / (EPOCHS * STEPS_PER_EPOCH));
            assertEquals(expectedLr, lr, 1e-9, epoch::toString);
            assertTrue(lr < previousLr, epoch::toString);
            previousLr = lr;

            assertTrue(number(epoch, "episodes") >= 1, epoch::toString);
            final double length = number(epoch, "episode_length_mean");
            assertTrue(length >= 1 && length <= MAX_EPISODE_STEPS, epoch::toString);
            policyLosses.add(number(epoch, PpoWire.LOSS_POLICY));
            valueLosses.add(number(epoch, PpoWire.LOSS_VALUE));
        }
        assertEquals(EPOCHS, policyLosses.size(), () -> "policy losses differ by epoch: " + policyLosses);
        assertEquals(EPOCHS, valueLosses.size(), () -> "value losses differ by epoch: " + valueLosses);
        assertTrue(epochs.stream().anyMatch(e -> number(e, PpoWire.CLIP_FRACTION) > 0), "some ratios are clipped");
    }

    private static void checkTrainingStarted(final List<ObjectNode> events)
    {
        final List<ObjectNode> started = events(events, EsperEventType.TRAINING_STARTED);
        assertEquals(1, started.size(), "TRAINING_STARTED");
        assertEquals(started.get(0), events.get(0), "TRAINING_STARTED comes first");
        final JsonNode data = started.get(0).get(EsperWire.DATA);
        assertEquals("cartpole", data.get(EsperWire.TASK).asText(), data::toString);
        assertEquals(42, data.get(EsperWire.SEED).asLong(), data::toString);
        assertEquals(LR, data.get(EsperWire.LR).asDouble(), 1e-9, data::toString);
    }

    /**
     * A {@code PPO_UPDATE_COMPLETED} per epoch, its losses and statistics those of the epoch's PPO record.
     */
    private static void checkPpoUpdates(final List<ObjectNode> events, final List<ObjectNode> epochs)
    {
        final List<ObjectNode> updates = events(events, EsperEventType.PPO_UPDATE_COMPLETED);
        assertEquals(EPOCHS, updates.size(), "PPO_UPDATE_COMPLETED events");
        for (int i = 0; i < updates.size(); i++)
        {
            final ObjectNode update = updates.get(i);
            final ObjectNode epoch = epochs.get(i);
            assertEquals(i + 1, update.get(EsperWire.EPOCH).asLong(), update::toString);
            final JsonNode data = update.get(EsperWire.DATA);
            same(epoch, PpoWire.LOSS_POLICY, data, EsperWire.POLICY_LOSS);
            same(epoch, PpoWire.LOSS_VALUE, data, EsperWire.VALUE_LOSS);
            same(epoch, PpoWire.LOSS_ENTROPY, data, EsperWire.ENTROPY);
            same(epoch, PpoWire.GRAD_NORM, data, EsperWire.GRAD_NORM);
            same(epoch, PpoWire.KL_DIVERGENCE, data, EsperWire.KL_DIVERGENCE);
            same(epoch, PpoWire.CLIP_FRACTION, data, EsperWire.CLIP_FRACTION);
            same(epoch, PpoWire.ADV_MEAN, data, EsperWire.ADVANTAGE_MEAN);
            same(epoch, PpoWire.ADV_STD, data, EsperWire.ADVANTAGE_STD);
            same(epoch, PpoWire.LR, data, EsperWire.LR);
            assertEquals(0, data.get(EsperWire.NAN_GRAD_COUNT).asInt(), data::toString);
        }
    }

    /**
     * A {@code REWARD_COMPUTED} per episode that ended: as many per epoch as the PPO record counts, each reward an
     * episode's length (a reward of 1 a step), their mean the record's mean episode length.
     */
    private static void checkRewards(final List<ObjectNode> events, final List<ObjectNode> epochs)
    {
        final List<ObjectNode> rewards = events(events, EsperEventType.REWARD_COMPUTED);
        for (int i = 0; i < epochs.size(); i++)
        {
            final long number = i + 1;
            final List<ObjectNode> ofEpoch = rewards.stream()
                .filter(r -> r.get(EsperWire.EPOCH).asLong() == number).toList();
            final ObjectNode epoch = epochs.get(i);
            assertEquals((long)number(epoch, "episodes"), ofEpoch.size(), () -> "REWARD_COMPUTED of epoch " + number);
            double sum = 0;
            for (final ObjectNode reward : ofEpoch)
            {
                final JsonNode data = reward.get(EsperWire.DATA);
                final double total = data.get(EsperWire.TOTAL_REWARD).asDouble();
                assertTrue(total >= 1 && total <= MAX_EPISODE_STEPS && total == Math.rint(total), data::toString);
                final String action = data.get(EsperWire.ACTION_NAME).asText();
                assertTrue(action.equals("PUSH_LEFT") || action.equals("PUSH_RIGHT"), data::toString);
                final double confidence = data.get(EsperWire.ACTION_CONFIDENCE).asDouble();
                assertTrue(confidence > 0 && confidence <= 1, data::toString);
                assertTrue(Double.isFinite(data.get(EsperWire.VALUE_ESTIMATE).asDouble()), data::toString);
                sum += total;
            }
            assertEquals(number(epoch, "episode_length_mean"), sum / ofEpoch.size(), 1e-6, epoch::toString);
        }
        assertEquals(rewards.size(), epochs.stream().mapToLong(e -> (long)number(e, "episodes")).sum(),
            "every REWARD_COMPUTED belongs to an epoch");
    }

    private static void same(final ObjectNode epoch, final String ppoKey, final JsonNode data, final String esperKey)
    {
        final double expected = number(epoch, ppoKey);
        final JsonNode actual = data.get(esperKey);
        assertNotNull(actual, () -> esperKey + " in " + data);
        assertEquals(expected, actual.asDouble(), TOLERANCE * Math.max(1, Math.abs(expected)),
            () -> esperKey + " of " + data + " against " + ppoKey + " of " + epoch);
    }

    private static Path onlyFile(final RecordingExport.Result export, final String family, final String runId)
    {
        final List<FamilyExport.ExportedFile> files = export.files().get(family);
        assertNotNull(files, () -> family + " in " + export);
        assertEquals(1, files.size(), export::toString);
        final Path file = files.get(0).path();
        assertEquals(runId + ".jsonl", file.getFileName().toString());
        return file;
    }

    private static List<ObjectNode> events(final List<ObjectNode> records, final EsperEventType type)
    {
        return records.stream().filter(r -> type.name().equals(r.get(EsperWire.EVENT_TYPE).asText())).toList();
    }

    private static double number(final ObjectNode record, final String key)
    {
        final JsonNode value = record.get(key);
        assertTrue(value != null && value.isNumber(), () -> key + " in " + record);
        return value.asDouble();
    }
}
