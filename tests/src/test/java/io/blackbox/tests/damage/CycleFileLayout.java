package io.blackbox.tests.damage;

import io.blackbox.codecs.layout.RecordingBatchDescriptor;
import io.blackbox.codecs.layout.RecordingDirectoryLayout;
import net.openhft.chronicle.wire.Wires;
import org.agrona.BitUtil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.blackbox.tests.damage.DamagedRecording.*;

/**
 * The test's own reading of a cycle file's layout (Chronicle documents and the batch header's record count), to
 * know which records a cut or a flipped byte may cost, independently of the reader under test.
 */
final class CycleFileLayout
{
    // ------------------------------------------------------------------ the layout of a cycle file (test's own reading)

    /**
     * One Chronicle document of a cycle file.
     *
     * @param records records in the batch (data documents), from the batch header.
     */
    record Document(long offset, int length, boolean metadata, int records)
    {
        long end()
        {
            return offset + Wires.SPB_HEADER_SIZE + length;
        }
    }

    /**
     * @param dataEnd  where the written part ends: after the end-of-cycle marker, or at the zero header.
     * @param endMarker whether the file ends with Chronicle's end-of-cycle marker.
     */
    record CycleFile(String name, long size, long dataEnd, boolean endMarker, List<Document> documents)
    {
        List<Document> dataDocuments()
        {
            return documents.stream().filter(document -> !document.metadata).collect(Collectors.toList());
        }

        int controlRecords()
        {
            int records = 0;
            for (final Document document : dataDocuments())
            {
                if (records >= CONTROL_RECORDS)
                {
                    break;
                }
                records += document.records;
            }
            return records;
        }

        boolean isControl(final Document document)
        {
            int records = 0;
            for (final Document data : dataDocuments())
            {
                if (data == document)
                {
                    return records < CONTROL_RECORDS;
                }
                records += data.records;
            }
            return false;
        }

        /**
         * @return family records in the batches that end at or before {@code cut}; none when a control batch does not.
         */
        long familyRecordsBefore(final long cut)
        {
            long family = 0;
            for (final Document document : dataDocuments())
            {
                if (isControl(document))
                {
                    if (document.end() > cut)
                    {
                        return 0; // the session's symbols are lost: none of its records can be exported
                    }
                }
                else if (document.end() <= cut)
                {
                    family += document.records;
                }
            }
            return family;
        }

        Document documentAt(final long position)
        {
            for (final Document document : documents)
            {
                if (position >= document.offset && position < document.end())
                {
                    return document;
                }
            }
            return null;
        }
    }

    static List<CycleFile> cycleFiles(final Path recording) throws IOException
    {
        final List<CycleFile> files = new ArrayList<>();
        try (Stream<Path> paths = Files.list(recording.resolve(RecordingDirectoryLayout.QUEUE_DIRECTORY)))
        {
            for (final Path path : paths.filter(path -> path.toString().endsWith(".cq4")).sorted().collect(Collectors.toList()))
            {
                files.add(layout(path));
            }
        }
        return files;
    }

    static CycleFile layout(final Path path) throws IOException
    {
        final long size = Files.size(path);
        final ByteBuffer bytes = ByteBuffer.allocate((int)Math.min(size, 8 << 20)).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(path))
        {
            while (bytes.hasRemaining() && channel.read(bytes) >= 0)
            {
                // fill
            }
        }
        final List<Document> documents = new ArrayList<>();
        int position = 0;
        while (true)
        {
            final int header = bytes.getInt(position);
            if (header == 0)
            {
                return new CycleFile(path.getFileName().toString(), size, position, false, documents);
            }
            if (header == Wires.END_OF_DATA)
            {
                return new CycleFile(path.getFileName().toString(), size, position + Wires.SPB_HEADER_SIZE, true, documents);
            }
            final int length = header & Wires.LENGTH_MASK;
            final boolean metadata = (header & Wires.META_DATA) != 0;
            final int records = metadata ? 0 :
                bytes.getInt(position + Wires.SPB_HEADER_SIZE + RecordingBatchDescriptor.RECORD_COUNT_OFFSET);
            documents.add(new Document(position, length, metadata, records));
            position = BitUtil.align(position + Wires.SPB_HEADER_SIZE + length, 4);
        }
    }

    private CycleFileLayout()
    {
    }
}
