package io.blackbox.exporter.cli;

import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import io.blackbox.exporter.RecordingException;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.recorder.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code blackbox recover --recording DIR}: drain the records a recorder that stopped (killed, crashed) left in the
 * recording's {@code ring.dat} into its queue, by opening the recording as a recorder and closing it again.
 * {@code export} never writes to a recording, so it only counts those records; this is the command that keeps them.
 */
@Command(
    name = "recover",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description = {
        "Drain the records a stopped recorder left in a recording's ring.dat into its queue.",
        "Opens the recording as a recorder does (opening drains them) and closes it, which also starts",
        "and ends an empty session. Changes nothing, and says why, when the directory is not a recording,",
        "another process has the recording open, or its queue is damaged (export what is intact first,",
        "then move the damaged cycle file aside)." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:recovered, or nothing to recover",
        "1:not a recording, open in another process, a damaged queue, or it cannot be opened",
        "2:wrong command line" })
public final class RecoverCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--recording", required = true, paramLabel = "DIR", description = "The recording directory.")
    private Path recording;

    /**
     * {@inheritDoc}
     */
    @Override
    public Integer call()
    {
        // Check first: opening a recorder on a directory that is not a recording would make one there.
        try
        {
            RecordingReader.requireRecording(recording);
        }
        catch (final RecordingException ex)
        {
            throw new UserError(ex.getMessage());
        }
        final PrintWriter out = spec.commandLine().getOut();
        final Path ringFile = recording.resolve(RecordingDirectoryLayout.RING_FILE);
        if (!Files.exists(ringFile))
        {
            out.println("nothing to recover: " + recording + " has no " + RecordingDirectoryLayout.RING_FILE);
            return BlackboxCommand.EXIT_OK;
        }
        if (isOpenElsewhere(recording))
        {
            throw new UserError("cannot recover " + recording + ": another recorder has it open (" +
                RecordingDirectoryLayout.LOCK_FILE + " is locked); its own drainer keeps the ring drained");
        }
        final String metadataProblem = RecordingReader.queueMetadataProblem(recording);
        if (metadataProblem != null)
        {
            throw new UserError(metadataProblem + ": a recorder cannot open the recording; move the file aside (a new " +
                "one is written) and run recover again");
        }
        // A recorder appends to the queue and reads its end back; on a damaged cycle file Chronicle waits, fails or
        // writes after the damage. Look first, read-only.
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            reader.readAll((templateId, buffer, offset, length, symbols) -> {});
            if (reader.damageCount() > 0)
            {
                throw new UserError("the queue is damaged: " + reader.damage().get(0) +
                    (reader.damageCount() > 1 ? " (and " + (reader.damageCount() - 1) + " more)" : "") +
                    "; export what is intact ('blackbox export'), move the damaged cycle file out of " +
                    recording.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY) + ", then recover");
            }
        }

        final PrintWriter err = spec.commandLine().getErr();
        final Recorder.Recovery recovery;
        try (Recorder recorder = Recorder.open(new Recorder.Context()
            .directory(recording)
            .warningHandler(warning -> err.println(ErrorReporter.PREFIX + "warning: " + warning))))
        {
            recovery = recorder.recovery();
        }
        catch (final IllegalStateException | UncheckedIOException ex)
        {
            throw new UserError("cannot recover " + recording + ": " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            // Chronicle's own message names its classes, not the file: kept for BLACKBOX_DEBUG=1.
            throw new UserError("cannot recover " + recording + ": its queue cannot be opened for writing; " +
                "'blackbox export' still reads what is intact", ex);
        }

        if (recovery.records() == 0 && recovery.unframedBytes() == 0)
        {
            out.println("nothing to recover: " + ringFile + " held no records that were not in the queue");
        }
        else
        {
            out.printf(Locale.ROOT, "recovered %,d records from %s into the queue%n", recovery.records(), ringFile);
            if (recovery.unframedBytes() > 0)
            {
                out.printf(Locale.ROOT, "skipped %,d bytes that could not be framed%n", recovery.unframedBytes());
            }
        }
        if (recovery.droppedRecords() > 0)
        {
            out.printf(Locale.ROOT, "the stopped recorder had refused %,d records (counted in the recording)%n",
                recovery.droppedRecords());
        }
        return BlackboxCommand.EXIT_OK;
    }

    /**
     * Asked first: while a recorder writes, the queue's newest cycle file may not have its header yet, which the damage
     * check would report. Opening the recording checks the lock again.
     */
    private static boolean isOpenElsewhere(final Path recording)
    {
        final Path lockFile = recording.resolve(RecordingDirectoryLayout.LOCK_FILE);
        if (!Files.exists(lockFile))
        {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE))
        {
            final FileLock lock = channel.tryLock();
            if (lock == null)
            {
                return true;
            }
            lock.release();
            return false;
        }
        catch (final OverlappingFileLockException ex)
        {
            return true; // a recorder in this process
        }
        catch (final IOException ex)
        {
            return false; // cannot tell: opening the recording will
        }
    }
}
