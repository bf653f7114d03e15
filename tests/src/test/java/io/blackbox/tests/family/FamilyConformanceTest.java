package io.blackbox.tests.family;

import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.family.FamilyImporter;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.recorder.Recorder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every registered family, through the whole pipeline: its simulated workload records every record type of its
 * template id range that the schema declares; the export is undamaged, writes only under the family's place and
 * every file validates against the family's spec; and where the family imports files, importing the export and
 * exporting again gives the same bytes.
 */
class FamilyConformanceTest
{
    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.blackbox.tests.family.FamilyRecordings#familyNames")
    void shouldRecordEveryTemplateOfItsRange(final String name) throws Exception
    {
        final TelemetryFamily family = FamilyRecordings.family(name);
        final Path recording = temp.resolve("recording");
        FamilyRecordings.recordWorkload(family, recording, 7);

        final TreeSet<Integer> declared = new TreeSet<>();
        for (final int templateId : SchemaTemplates.templateIds())
        {
            if (family.handles(templateId))
            {
                declared.add(templateId);
            }
        }
        assertFalse(declared.isEmpty(), () -> "the schema declares messages in " + name + "'s range");
        final TreeSet<Integer> recorded = new TreeSet<>();
        readTemplates(recording, recorded);
        final FamilyImporter importer = family.importer();
        if (null != importer)
        {
            // Some messages only an importer writes (Clamp's imported records): its own export, imported back.
            final Path reimported = temp.resolve("reimported");
            try (Recorder recorder = Recorder.open(reimported))
            {
                for (final FamilyExport.ExportedFile file : RecordingExport.export(recording, temp.resolve("export"))
                    .files().get(name))
                {
                    importer.importFile(recorder, file.path());
                }
            }
            readTemplates(reimported, recorded);
        }
        assertEquals(declared, recorded, () -> name + "'s workload and importer record every message of its range");
    }

    private static void readTemplates(final Path recording, final TreeSet<Integer> recorded)
    {
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            reader.readAll((templateId, buffer, offset, length, symbols) -> recorded.add(templateId));
            assertEquals(List.of(), reader.damage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.blackbox.tests.family.FamilyRecordings#familyNames")
    void shouldExportFilesThatValidate(final String name) throws Exception
    {
        final TelemetryFamily family = FamilyRecordings.family(name);
        final Path recording = temp.resolve("recording");
        FamilyRecordings.recordWorkload(family, recording, 11);

        final Path root = temp.resolve("export");
        final RecordingExport.Result result = RecordingExport.export(recording, root);

        assertFalse(result.damaged(), () -> "damage: " + result.damage());
        assertEquals(0, result.unknownTypes());
        assertEquals(List.of(name), new ArrayList<>(result.files().keySet()), "families exported");
        final List<FamilyExport.ExportedFile> files = result.files().get(name);
        long lines = 0;
        for (final FamilyExport.ExportedFile file : files)
        {
            assertTrue(Files.isRegularFile(file.path()), file::toString);
            assertTrue(file.path().normalize().startsWith(root.normalize()), () -> file + " under the export root");
            assertEquals(List.of(), family.validator().validate(file.path()), () -> file + " validates");
            lines += file.sourceRecords();
        }
        assertEquals(result.records(), lines, "every record exported once");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.blackbox.tests.family.FamilyRecordings#familyNames")
    void shouldExportTheSameBytesAfterImportingItsOwnExport(final String name) throws Exception
    {
        final TelemetryFamily family = FamilyRecordings.family(name);
        final FamilyImporter importer = family.importer();
        if (null == importer)
        {
            return; // the family cannot import files yet: nothing to round-trip
        }
        final Path recording = temp.resolve("recording");
        FamilyRecordings.recordWorkload(family, recording, 13);
        final Path first = temp.resolve("first");
        final Map<String, List<FamilyExport.ExportedFile>> exported = RecordingExport.export(recording, first).files();

        final Path reimported = temp.resolve("reimported");
        try (Recorder recorder = Recorder.open(reimported))
        {
            for (final FamilyExport.ExportedFile file : exported.get(name))
            {
                assertEquals(List.of(), importer.check(file.path(), recorder.maxRecordLength()), file::toString);
                assertEquals(file.records(), importer.importFile(recorder, file.path()).records(), file::toString);
            }
        }
        final Path second = temp.resolve("second");
        final RecordingExport.Result again = RecordingExport.export(reimported, second);

        assertFalse(again.damaged(), () -> "damage: " + again.damage());
        assertEquals(exported.get(name).size(), again.files().get(name).size(), "files");
        for (final FamilyExport.ExportedFile file : exported.get(name))
        {
            final Path twin = second.resolve(first.relativize(file.path()));
            assertArrayEquals(Files.readAllBytes(file.path()), Files.readAllBytes(twin), () -> twin + " as " + file);
        }
    }
}
