package io.blackbox.exporter.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.RunJsonLines;
import io.blackbox.exporter.Symbols;
import io.blackbox.exporter.family.FamilyWatch;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Follows a recording a recorder is writing and alerts on its PPO runs ({@link PpoAlerts}), as {@link PpoWatch} does on
 * a file: the recording's PPO records become the lines {@code export} would write ({@link PpoExport}, into memory:
 * nothing is written but the state file), each run's lines one stream, named {@code RECORDING#RUN} in alerts. The
 * line numbers are those of the run's exported file.
 * <p>
 * The recording is read as {@code export --follow} reads it, up to where the recorder has written; a recorder that
 * closes or dies ends nothing (another may reopen the recording and record more of the run, whose offsets go on).
 * Records a dead recorder left in {@code ring.dat} are not in the queue, so not watched until {@code blackbox recover}
 * drains them. Damaged parts are reported as problems and skipped.
 * <p>
 * The state file holds the recording's path and, per run, a hash of its first line and the last record processed;
 * a watcher started again with it reads the recording from its start and alerts only past each run's saved record.
 */
final class PpoRecordingWatch implements FamilyWatch.Watcher
{
    private final Path recording;
    private final String recordingName;
    private final PpoAlerts.Thresholds thresholds;
    private final Path stateFile;
    private final Consumer<String> alertLines;
    private final Consumer<String> problems;
    private final Map<String, PpoAlerts> runs = new LinkedHashMap<>();
    private final Map<String, PpoAlerts.Position> saved = new LinkedHashMap<>();
    private final PpoExport export;

    private RecordingReader reader;
    private int damageReported;

    /**
     * @param recording  the recording directory.
     * @param thresholds the rules.
     * @param stateFile  where to keep the state, or null for none.
     * @param alerts     receives each alert line.
     * @param problems   receives each problem line (a damaged part, a line skipped; not fatal).
     */
    PpoRecordingWatch(final Path recording, final PpoAlerts.Thresholds thresholds, final Path stateFile,
        final Consumer<String> alerts, final Consumer<String> problems)
    {
        this.recording = recording;
        this.recordingName = recording.toAbsolutePath().normalize().toString();
        this.thresholds = thresholds;
        this.stateFile = stateFile;
        this.alertLines = alerts;
        this.problems = problems;
        this.export = new PpoExport(new RunJsonLines(recording.resolve(PpoWire.FAMILY), this::line));
    }

    public void loadState()
    {
        if (null == stateFile || !Files.exists(stateFile))
        {
            return;
        }
        final JsonNode state = PpoAlerts.readStateFile(stateFile);
        final String savedRecording = state.path("recording").asText("");
        if (!savedRecording.equals(recordingName))
        {
            throw new IllegalArgumentException("--state " + stateFile + ": belongs to " +
                (savedRecording.isEmpty() ? "the stream " + state.path("stream").asText("(none)") :
                    "the recording " + savedRecording) + ", not the recording " + recordingName);
        }
        for (final Iterator<Map.Entry<String, JsonNode>> it = state.path("runs").fields(); it.hasNext(); )
        {
            final Map.Entry<String, JsonNode> run = it.next();
            saved.put(run.getKey(), PpoAlerts.Position.fromJson(run.getValue()));
        }
    }

    /**
     * @throws io.blackbox.exporter.RecordingException when the directory is not a recording.
     */
    public boolean poll()
    {
        if (null == reader)
        {
            reader = RecordingReader.open(recording);
        }
        final long read = reader.read(new RecordingReader.RecordHandler()
        {
            public void onRecord(final int templateId, final DirectBuffer buffer, final int offset, final int length,
                final Symbols symbols)
            {
                if (templateId >= PpoExport.FIRST_TEMPLATE_ID && templateId <= PpoExport.LAST_TEMPLATE_ID)
                {
                    export.onRecord(templateId, buffer, offset, length, symbols);
                }
            }

            public void onSessionStart(final RecordingReader.Session session)
            {
                export.onSessionStart(session);
            }

            public void onSessionEnd(final RecordingReader.Session session)
            {
                export.onSessionEnd(session);
            }
        });
        final List<String> damage = reader.damage();
        for (; damageReported < damage.size(); damageReported++)
        {
            problems.accept("damaged: " + damage.get(damageReported));
        }
        if (read > 0)
        {
            saveState();
        }
        return read > 0;
    }

    public long alerts()
    {
        long alerts = 0;
        for (final PpoAlerts run : runs.values())
        {
            alerts += run.alerts();
        }
        return alerts;
    }

    private void line(final String runId, final Path file, final byte[] bytes, final int offset, final int length)
    {
        PpoAlerts run = runs.get(runId);
        if (null == run)
        {
            run = new PpoAlerts(recordingName + "#" + runId, thresholds, alertLines, problems);
            final PpoAlerts.Position position = saved.get(runId);
            if (null != position)
            {
                run.resumeAfter(position);
            }
            runs.put(runId, run);
        }
        try
        {
            run.line(new String(bytes, offset, length - 1, StandardCharsets.UTF_8)); // without its newline
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--state " + stateFile + ": " + ex.getMessage());
        }
    }

    private void saveState()
    {
        if (null == stateFile)
        {
            return;
        }
        final StringBuilder json = new StringBuilder("{\"recording\": ").append(PpoAlerts.quote(recordingName))
            .append(", \"runs\": {");
        final Map<String, PpoAlerts.Position> positions = new LinkedHashMap<>(saved);
        for (final Map.Entry<String, PpoAlerts> run : runs.entrySet())
        {
            positions.put(run.getKey(), run.getValue().position());
        }
        String separator = "";
        for (final Map.Entry<String, PpoAlerts.Position> run : positions.entrySet())
        {
            json.append(separator).append(PpoAlerts.quote(run.getKey())).append(": {")
                .append(run.getValue().toJsonMembers()).append('}');
            separator = ", ";
        }
        PpoAlerts.replaceStateFile(stateFile, json.append("}}\n").toString());
    }
}
