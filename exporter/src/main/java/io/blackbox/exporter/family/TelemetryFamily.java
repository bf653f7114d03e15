package io.blackbox.exporter.family;

import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.FamilyValidator;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One telemetry family, declared once: what the rest of Blackbox needs to know of it. Commands, the export and the
 * generic tests find families through {@link TelemetryFamilies}, never by name, so a family is added by writing its
 * classes and registering its declaration in one line (see {@code docs/architecture.md}, "Adding a family").
 * <p>
 * What a family cannot do yet is {@code null}: a command then says so for that family.
 */
public interface TelemetryFamily
{
    /**
     * @return the family's name as typed on the command line and used as its directory under an export root,
     * lower case, e.g. {@code gradience}.
     */
    String name();

    /**
     * @return one line saying what the family is, for help.
     */
    String title();

    /**
     * @return the versions of its specification this family writes and reads, e.g.
     * {@code gradience.vnext.telemetry/v1}.
     */
    List<String> specVersions();

    /**
     * @return the first SBE template id of the family's range (see the schema's template id ranges).
     */
    int firstTemplateId();

    /**
     * @return the last SBE template id of the family's range, inclusive.
     */
    int lastTemplateId();

    /**
     * @return where each of the family's templates keeps its run, event and time ({@code summary --recording}, the
     * filters of {@code print}).
     */
    RecordOutline outline();

    /**
     * The records of a file this family's export wrote, each as its text, in file order: for tests that compare
     * exports record by record whatever the layout. A JSON Lines family's records are its lines.
     *
     * @param file an exported file.
     * @return its records.
     * @throws IllegalArgumentException naming the problem when the file does not read back.
     */
    default List<String> exportedRecords(final Path file)
    {
        final List<Problem> problems = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        JsonLinesReader.read(file, (line, record) -> lines.add(record.toString()), problems::add);
        if (!problems.isEmpty())
        {
            throw new IllegalArgumentException(problems.toString());
        }
        return lines;
    }

    /**
     * Whether {@code record}, exported from a recording that lost records to damage, is {@code whole} as far as the
     * surviving records go: the same record, or (for a family that folds several records into one) the part of it
     * that survived. For tests that check damage invents nothing.
     *
     * @param record a record of {@link #exportedRecords} of a damaged recording's export.
     * @param whole  a record of the undamaged export.
     * @return whether the first is the second, or what survives of it.
     */
    default boolean isPartOf(final String record, final String whole)
    {
        return record.equals(whole);
    }

    /**
     * The family's own tools, beyond the commands every family has: picocli command objects, each a subcommand of
     * {@code blackbox FAMILY} ({@code blackbox clamp aggregate}).
     *
     * @return the commands; none by default.
     */
    default List<Object> commands()
    {
        return List.of();
    }

    /**
     * The family's fields mirrored to Prometheus ({@code blackbox serve}).
     *
     * @param registry  where its metrics are registered.
     * @param tagLabels the tag keys allowed as labels (families with tags; the others ignore them).
     * @return a handler of the family's records that updates them; null when the family mirrors nothing.
     */
    default FamilyMetrics newMetrics(final io.prometheus.metrics.model.registry.PrometheusRegistry registry,
        final java.util.Set<String> tagLabels)
    {
        return null;
    }

    /**
     * @param templateId an SBE template id.
     * @return whether records of this template belong to this family.
     */
    default boolean handles(final int templateId)
    {
        return templateId >= firstTemplateId() && templateId <= lastTemplateId();
    }

    /**
     * @return where an export puts the family's files, relative to the export root, for help, e.g.
     * {@code ROOT/gradience/<run_id>.jsonl, one file per run}.
     */
    String exportLayout();

    /**
     * @param root the export root; the family decides where under it its files go.
     * @param live false: each file appears whole when the export commits; true: files are written in place and grow
     *             by whole lines as {@link FamilyExport#flush()} pushes them ({@code export --follow}).
     * @return a new export of the family's records.
     */
    FamilyExport newExport(Path root, boolean live);

    /**
     * About what {@link #newExport}'s export costs: nanoseconds of one thread per byte of the family's records (their
     * SBE messages as the reader hands them on, after a batch's coding is undone), measured by exporting the family's
     * demo runs alone. An export on several threads ({@code export --threads}) weighs each family by this times the
     * bytes a recording holds of it, to share the families fairly between its threads: the families' costs per byte
     * differ too much for the bytes alone (agent's JSON text, copied as it is, about 6; Clamp's anchors, paired and
     * kept for their session's document, about 55). Only the ratios between families matter.
     *
     * @return nanoseconds per byte; 20 by default, a middle value.
     */
    default double exportNanosPerByte()
    {
        return 20;
    }

    /**
     * An export whose lines go to {@code sink} as the records are read: the lines {@code print --json} prints,
     * {@code summary --recording} measures and {@code report} reads. A JSON Lines family's are its files' lines; a
     * family whose file is a document gives its entries, each a line as soon as it is whole (Clamp's at an anchor's
     * release).
     *
     * @param root where the files would go; nothing is written.
     * @param sink receives each line.
     * @return the export, or null when the family has none (the default).
     */
    default FamilyExport newLineExport(final Path root, final io.blackbox.exporter.RunJsonLines.RunLineSink sink)
    {
        return null;
    }

    /**
     * @return whether {@link #newLineExport}'s lines need every record of the family (Clamp's entry is a lock and its
     * release), so {@code summary --recording} renders them all rather than a sample of them.
     */
    default boolean linesNeedEveryRecord()
    {
        return false;
    }

    /**
     * @return the family's validator: checks one of its files against its specification.
     */
    FamilyValidator validator();

    /**
     * @return a new set of the family's own {@code validate} options and the report they ask for, or null when
     * {@code validate} checks its files only (the default).
     */
    default FamilyValidation newValidation()
    {
        return null;
    }

    /**
     * @return the family's summary ({@code blackbox summary FAMILY FILE}), or null when it cannot summarise a file yet
     * (the default).
     */
    default FamilySummary summary()
    {
        return null;
    }

    /**
     * @return the family's part of {@code blackbox report} (its plots), or null when it has none yet (the default).
     */
    default FamilyReport report()
    {
        return null;
    }

    /**
     * @return a new watch ({@code blackbox watch FAMILY FILE}) with its own options, or null when the family cannot be
     * watched yet (the default).
     */
    default FamilyWatch newWatch()
    {
        return null;
    }

    /**
     * @return the family's importer, or null when its files cannot be imported yet.
     */
    FamilyImporter importer();

    /**
     * @return a new monitor, holding the command-line options of its own as picocli {@code @Option} fields, or null
     * when the family has nothing to monitor yet.
     */
    FamilyMonitor newMonitor();

    /**
     * @return the family's simulated workload for {@code blackbox demo}, or null when it has none yet.
     */
    DemoWorkload demo();
}
