package io.blackbox.exporter.family;

import io.blackbox.exporter.RecordingReader;

/**
 * A family's fields mirrored to Prometheus by {@code blackbox serve}: a record handler that keeps the family's metrics
 * (registered when it was made, {@link TelemetryFamily#newMetrics}) up to date with each record of the family's range.
 * Labels are bounded: no run id and no free text, only names the family knows (event names, sources, exit codes) and
 * the tag keys the user allows, so a long run cannot grow the scrape without bound.
 */
public interface FamilyMetrics extends RecordingReader.RecordHandler
{
}
