package io.blackbox.exporter.cli;

import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.ReadProgress;
import io.blackbox.exporter.family.FamilyImporter;
import io.blackbox.exporter.family.TelemetryFamily;
import io.blackbox.recorder.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code blackbox import FAMILY FILE --recording DIR}: read an existing telemetry file into a recording.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    synopsisSubcommandLabel = "FAMILY",
    description = {
        "Read an existing telemetry file into a recording, so that export gives back the same records: " +
            "blackbox import FAMILY FILE --recording DIR",
        "The file is checked first; a file with any problem imports nothing (problems print as FILE:LINE: field: problem).",
        "DIR must be a recording no process has open, an empty directory or a new path; it is checked before FILE " +
            "is read." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:imported",
        "1:the file has problems (nothing imported), or an error",
        BlackboxCommand.EXIT_USAGE_HELP })
public final class ImportCommand extends FamilyGroupCommand
{
    /**
     * {@code blackbox import FAMILY FILE --recording DIR} for one family.
     */
    @Command(
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:imported",
            "1:the file has problems (nothing imported), or an error",
            BlackboxCommand.EXIT_USAGE_HELP })
    static final class ForFamily implements Callable<Integer>
    {
        private final TelemetryFamily family;

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The file to import.")
        private Path file;

        @Option(names = "--recording", required = true, paramLabel = "DIR", description = "The recording to import into (created if absent).")
        private Path recording;

        ForFamily(final TelemetryFamily family)
        {
            this.family = family;
        }

        @Override
        public Integer call()
        {
            final FamilyImporter importer = family.importer();
            if (null == importer)
            {
                throw FamilyCommands.notSupported(spec, family, "import files");
            }
            InputFiles.requireReadableFile(file);
            requireRecordingDirectory(recording, "--recording");
            // Checked before the recording is opened: a file with problems must not create one.
            final List<Problem> problems = importer.check(file, FamilyImporter.DEFAULT_MAX_RECORD_LENGTH);
            if (!problems.isEmpty())
            {
                return nothingImported(problems);
            }
            final FamilyImporter.Imported imported;
            try (Recorder recorder = openRecording(recording, "--recording"))
            {
                final int maxRecordLength = recorder.maxRecordLength();
                if (maxRecordLength < FamilyImporter.DEFAULT_MAX_RECORD_LENGTH)
                {
                    // A recording made with a smaller ring than the default takes smaller records: check again, before
                    // the first record is written.
                    final List<Problem> tooLarge = importer.check(file, maxRecordLength);
                    if (!tooLarge.isEmpty())
                    {
                        return nothingImported(tooLarge);
                    }
                }
                try (ProgressBar bar = ProgressBar.forBytes("import", InputFiles.size(file),
                    spec.commandLine().getErr()))
                {
                    imported = ReadProgress.during(bar::update, () -> importer.importFile(recorder, file));
                }
            }
            catch (final IllegalStateException ex)
            {
                throw new UserError(ex.getMessage());
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "imported %,d records of %d runs from %s into %s%n",
                imported.records(), imported.runs(), file, recording);
            return BlackboxCommand.EXIT_OK;
        }

        private int nothingImported(final List<Problem> problems)
        {
            ProblemOutput.print(spec.commandLine().getOut(), problems);
            spec.commandLine().getErr().println("blackbox: " + file + ": " + problems.size() +
                (problems.size() == 1 ? " problem" : " problems") + ", nothing imported");
            return BlackboxCommand.EXIT_FAILURE;
        }
    }

    /**
     * Require a directory a command may write a recording into: a recording, an empty directory or a new path. A
     * mistyped {@code --recording ~} must not fill the home directory with a ring and a queue.
     *
     * @param directory the directory as the user named it.
     * @param option    the option that named it, for the message.
     * @throws UserError naming the option, the directory and what is wrong with it.
     */
    static void requireRecordingDirectory(final Path directory, final String option)
    {
        if (!Files.exists(directory))
        {
            return;
        }
        if (!Files.isDirectory(directory))
        {
            throw new UserError(option + " " + directory + ": not a directory");
        }
        if (Files.isDirectory(directory.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY)) ||
            Files.exists(directory.resolve(RecordingDirectoryLayout.RING_FILE)))
        {
            // Said now, not after the input is read: opening it would fail the same way.
            final Path ring = directory.resolve(RecordingDirectoryLayout.RING_FILE);
            if (Files.exists(ring) && !Files.isRegularFile(ring))
            {
                throw new UserError(option + " " + directory + ": cannot open the recording: " + ring +
                    " is not a file");
            }
            if (!Files.isWritable(directory))
            {
                throw new UserError(option + " " + directory + ": cannot open the recording: the directory is not " +
                    "writable");
            }
            final boolean open;
            try
            {
                open = Recorder.isOpen(directory);
            }
            catch (final UncheckedIOException ex)
            {
                throw new UserError(option + " " + directory + ": cannot read the recording: " + FileErrors.reason(ex.getCause()),
                    ex);
            }
            if (open)
            {
                throw new UserError(option + " " + directory + ": a recorder has the recording open (a running " +
                    "training or demo?); write to it when that process has closed it, or name another");
            }
            return;
        }
        try (Stream<Path> entries = Files.list(directory))
        {
            if (entries.findAny().isPresent())
            {
                throw new UserError(option + " " + directory + ": not a recording (no " +
                    RecordingDirectoryLayout.QUEUE_DIRECTORY + "/ in it) and not empty; name a recording, an empty " +
                    "directory or a new one");
            }
        }
        catch (final IOException ex)
        {
            throw new UserError(option + " " + directory + ": cannot read the directory: " + FileErrors.reason(ex), ex);
        }
    }

    /**
     * Open (or create) the recording a command writes into, after {@link #requireRecordingDirectory}; what goes
     * wrong with the directory becomes one line.
     *
     * @param directory the directory as the user named it.
     * @param option    the option that named it, for the message.
     * @return the open recorder.
     * @throws UserError naming the option, the directory and what is wrong with it.
     */
    static Recorder openRecording(final Path directory, final String option)
    {
        requireRecordingDirectory(directory, option);
        try
        {
            return Recorder.open(directory);
        }
        catch (final UncheckedIOException ex)
        {
            throw new UserError(option + " " + directory + ": cannot open the recording: " + FileErrors.reason(ex.getCause()), ex);
        }
        catch (final IllegalStateException | IllegalArgumentException ex)
        {
            // The recorder names what it found wrong (another writer, a queue that is not one).
            throw new UserError(option + " " + directory + ": cannot open the recording: " + ex.getMessage(), ex);
        }
    }
}
