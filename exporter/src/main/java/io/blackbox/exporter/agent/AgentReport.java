package io.blackbox.exporter.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.family.FamilyReport;
import io.blackbox.exporter.report.Plot;
import io.blackbox.exporter.report.ReportSection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent family's part of {@code blackbox report}: each run's plan-step durations in the order they completed
 * ({@code executor.command_completed} carries no duration), and its errors as they add up; a row per run with its
 * events, cycles, commands, errors and last review verdict.
 * The run is the record's {@code run_id} (a file's name holds only its last segment).
 */
final class AgentReport implements FamilyReport
{
    private static final String DURATION_MS = "duration_ms";

    @Override
    public boolean recognizes(final JsonNode firstRecord)
    {
        return firstRecord.has(AgentWire.SCHEMA_VERSION) && firstRecord.has(AgentWire.RUN_ID) &&
            firstRecord.has(AgentWire.PAYLOAD);
    }

    @Override
    public Collector newCollector()
    {
        return new AgentCollector();
    }

    /**
     * One run's counts.
     */
    private static final class Run
    {
        private long events;
        private long steps;
        private long commands;
        private long errors;
        private long lastCycle;
        private String verdict = "-";
    }

    private static final class AgentCollector implements Collector
    {
        private final Plot stepDuration = new Plot("step-duration", "Plan step duration (plan.step_completed)",
            "step completed", "duration_ms", false);
        private final Plot errors = new Plot("errors", "Errors so far (executor.error)", "event", "errors", false);
        private final Map<String, Run> runs = new LinkedHashMap<>();

        @Override
        public void record(final String fileRun, final ObjectNode record)
        {
            final String runId = record.path(AgentWire.RUN_ID).asText(fileRun);
            final Run run = runs.computeIfAbsent(runId, r -> new Run());
            run.events++;
            run.lastCycle = Math.max(run.lastCycle, record.path(AgentWire.CYCLE).asLong(0));
            final JsonNode payload = record.path(AgentWire.PAYLOAD);
            switch (record.path(AgentWire.EVENT).asText(""))
            {
                case "plan.step_completed" -> stepDuration.addNumber(runId, runId, ++run.steps, payload.get(DURATION_MS));
                case "executor.command_completed" -> run.commands++;
                case "executor.error" -> errors.series(runId, runId).add(run.events, ++run.errors);
                case "review.decision" -> run.verdict = payload.path("verdict").asText(run.verdict);
                default ->
                {
                    // counted, not plotted
                }
            }
        }

        @Override
        public ReportSection section()
        {
            if (runs.isEmpty())
            {
                return null;
            }
            final List<List<String>> rows = new ArrayList<>();
            for (final Map.Entry<String, Run> entry : runs.entrySet())
            {
                final Run run = entry.getValue();
                rows.add(List.of(entry.getKey(), String.format(Locale.ROOT, "%,d", run.events),
                    Long.toString(run.lastCycle), String.format(Locale.ROOT, "%,d", run.commands),
                    String.format(Locale.ROOT, "%,d", run.errors), run.verdict));
            }
            return new ReportSection(AgentWire.FAMILY, "Agent telemetry (0.1)",
                List.of("run", "events", "cycles", "commands", "errors", "last verdict"), rows,
                List.of(stepDuration, errors));
        }
    }
}
