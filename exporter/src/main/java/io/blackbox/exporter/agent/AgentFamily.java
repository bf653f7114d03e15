package io.blackbox.exporter.agent;

import io.blackbox.codecs.AgentEventDecoder;
import io.blackbox.exporter.family.FamilyReport;
import io.blackbox.exporter.family.RecordOutline;
import io.blackbox.exporter.RunJsonLines;
import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.FamilyValidator;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.family.DemoWorkload;
import io.blackbox.exporter.family.FamilyImporter;
import io.blackbox.exporter.family.FamilyMonitor;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.recorder.Recorder;

import java.nio.file.Path;
import java.util.List;

/**
 * Agent telemetry 0.1 ({@code specs/agent-telemetry-v0.1.md}): planner, executor, reviewer and optimizer events, a
 * JSON line each, one file per run under {@code logs/telemetry}. Registered in
 * {@code META-INF/services/io.blackbox.exporter.family.TelemetryFamily}.
 */
public final class AgentFamily implements TelemetryFamily
{
    private static final RecordOutline OUTLINE = new RecordOutline()
        .symbolEvent(AgentEventDecoder.TEMPLATE_ID, AgentEventDecoder.timestampEncodingOffset(),
            AgentEventDecoder.runEncodingOffset(), AgentEventDecoder.eventNameEncodingOffset());

    public String name()
    {
        return AgentWire.FAMILY;
    }

    public String title()
    {
        return "agent telemetry (planners, executors, reviewers, optimizers), one JSONL file per run, redacted";
    }

    public List<String> specVersions()
    {
        return List.of("0.1");
    }

    public int firstTemplateId()
    {
        return AgentExport.FIRST_TEMPLATE_ID;
    }

    public int lastTemplateId()
    {
        return AgentExport.LAST_TEMPLATE_ID;
    }

    public String exportLayout()
    {
        return "ROOT/" + AgentWire.DIRECTORY + "/<run_id>.jsonl, one file per run (a / in a run id is a folder)";
    }

    public FamilyExport newExport(final Path root, final boolean live)
    {
        return new AgentExport(root, live);
    }

    /**
     * 5.6 ns a byte (5.5-6.1) on the demo's runs, the family exported alone: its events' JSON payloads
     * are copied as they are.
     */
    @Override
    public double exportNanosPerByte()
    {
        return 6;
    }

    @Override
    public FamilyReport report()
    {
        return new AgentReport();
    }

    @Override
    public RecordOutline outline()
    {
        return OUTLINE;
    }

    @Override
    public FamilyExport newLineExport(final Path root, final RunJsonLines.RunLineSink sink)
    {
        return new AgentExport(new RunJsonLines(root.resolve(AgentWire.DIRECTORY), RunJsonLines.Naming.FOLDERS, sink));
    }

    public FamilyValidator validator()
    {
        return new AgentValidator();
    }

    public io.blackbox.exporter.family.FamilyMetrics newMetrics(
        final io.prometheus.metrics.model.registry.PrometheusRegistry registry, final java.util.Set<String> tagLabels)
    {
        return new AgentMetrics(registry, tagLabels);
    }

    /**
     * {@code blackbox summary agent FILE}: events by name, and each numeric field of each event
     * ({@link io.blackbox.exporter.family.EventSummary}).
     */
    public io.blackbox.exporter.family.FamilySummary summary()
    {
        return new io.blackbox.exporter.family.EventSummary(new AgentValidator(), AgentWire.EVENT, null);
    }

    public FamilyImporter importer()
    {
        return new FamilyImporter()
        {
            public List<Problem> check(final Path file, final int maxRecordLength)
            {
                return AgentImporter.check(file);
            }

            public Imported importFile(final Recorder recorder, final Path file)
            {
                return AgentImporter.importFile(recorder, file);
            }
        };
    }

    public FamilyMonitor newMonitor()
    {
        return null;
    }

    public DemoWorkload demo()
    {
        return new DemoWorkload()
        {
            public String description()
            {
                return "a short simulated agent (plans, steps, commands with a secret in their arguments, redacted " +
                    "before the ring; reviews, an optimizer; a step is a plan step)";
            }

            public DemoRun newRun(final Recorder recorder, final int index, final Settings settings)
            {
                return new AgentDemoRun(recorder, index, settings);
            }
        };
    }
}
