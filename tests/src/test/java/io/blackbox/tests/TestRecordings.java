package io.blackbox.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.GradienceTrainStepDecoder;
import io.blackbox.codecs.MessageHeaderDecoder;
import io.blackbox.exporter.JsonLinesReader;
import io.blackbox.exporter.Problem;
import io.blackbox.exporter.RecordingReader;
import io.blackbox.exporter.Symbols;
import io.blackbox.recorder.ChronicleSettings;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.blackbox.codecs.layout.RecordingDirectoryLayout.QUEUE_DIRECTORY;

/**
 * What the end-to-end tests share: reading exported JSONL back, reading a recording's {@code train_step}s back,
 * comparing JSON by value, starting child JVMs.
 */
public final class TestRecordings
{
    static
    {
        ChronicleSettings.apply(); // before any Chronicle class loads
    }

    private TestRecordings()
    {
    }

    /**
     * The excerpts of a recording's queue, in order, each as a 4-byte little-endian length and its bytes: a small
     * recording kept in test resources this way stays a few kilobytes (a queue's cycle file is mapped in megabytes)
     * and turns back into a readable recording with {@link #writeQueueExcerpts}.
     */
    public static byte[] readQueueExcerpts(final Path recording)
    {
        final ByteArrayOutputStream excerpts = new ByteArrayOutputStream();
        try (ChronicleQueue queue = SingleChronicleQueueBuilder.binary(recording.resolve(QUEUE_DIRECTORY)).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final byte[] excerpt = new byte[(int)bytes.readRemaining()];
                    bytes.read(excerpt);
                    excerpts.writeBytes(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(excerpt.length).array());
                    excerpts.writeBytes(excerpt);
                }
            }
        }
        return excerpts.toByteArray();
    }

    /**
     * Make {@code recording} a recording whose queue holds {@code excerpts} ({@link #readQueueExcerpts}'s format).
     */
    public static void writeQueueExcerpts(final byte[] excerpts, final Path recording)
    {
        final ByteBuffer in = ByteBuffer.wrap(excerpts).order(ByteOrder.LITTLE_ENDIAN);
        try (ChronicleQueue queue = SingleChronicleQueueBuilder.binary(recording.resolve(QUEUE_DIRECTORY)).build();
            ExcerptAppender appender = queue.createAppender())
        {
            while (in.hasRemaining())
            {
                final byte[] excerpt = new byte[in.getInt()];
                in.get(excerpt);
                try (DocumentContext dc = appender.writingDocument())
                {
                    dc.wire().bytes().write(excerpt);
                }
            }
        }
    }

    /**
     * @return every record of a JSONL file, failing on any problem.
     */
    public static List<ObjectNode> readJsonl(final Path file)
    {
        final List<ObjectNode> records = new ArrayList<>();
        final List<Problem> problems = new ArrayList<>();
        JsonLinesReader.read(file, (line, record) -> records.add(record), problems::add);
        if (!problems.isEmpty())
        {
            throw new AssertionError("problems reading " + file + ": " + problems);
        }
        return records;
    }

    /**
     * What a test checks of each {@code train_step} it reads back.
     */
    @FunctionalInterface
    public interface TrainStepCheck
    {
        /**
         * @param run       the record's run id.
         * @param trainStep the record, wrapped.
         * @param symbols   the session's symbols.
         */
        void check(String run, GradienceTrainStepDecoder trainStep, Symbols symbols);
    }

    /**
     * What reading a recording of {@code train_step}s back found besides them.
     *
     * @param records        records read.
     * @param droppedRecords records the recording says were refused.
     */
    public record TrainStepsRead(long records, long droppedRecords)
    {
    }

    /**
     * Read a recording whose records are all {@code train_step}s, in order, into {@code check}; fails on a record of
     * any other template and on any damage.
     */
    public static TrainStepsRead readTrainSteps(final Path recording, final TrainStepCheck check)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final GradienceTrainStepDecoder trainStep = new GradienceTrainStepDecoder();
        try (RecordingReader reader = RecordingReader.open(recording))
        {
            final long records = reader.read((templateId, buffer, offset, length, symbols) ->
            {
                if (templateId != GradienceTrainStepDecoder.TEMPLATE_ID)
                {
                    throw new AssertionError(recording + ": a record of template " + templateId + ", not a train_step");
                }
                header.wrap(buffer, offset);
                trainStep.wrapAndApplyHeader(buffer, offset, header);
                check.check(symbols.get(trainStep.run()), trainStep, symbols);
            });
            if (!reader.damage().isEmpty())
            {
                throw new AssertionError("damage found reading " + recording + ": " + reader.damage());
            }
            return new TrainStepsRead(records, reader.droppedRecords());
        }
    }

    /**
     * JSON equality by value: same keys (any order), same values, numbers compared as numbers (1.0 == 1),
     * doubles exactly.
     *
     * @return null when equal, else the path of the first difference.
     */
    public static String difference(final JsonNode expected, final JsonNode actual, final String path)
    {
        if (expected.isNumber() && actual.isNumber())
        {
            if (expected.isIntegralNumber() && actual.isIntegralNumber())
            {
                return expected.bigIntegerValue().equals(actual.bigIntegerValue()) ? null : path + ": " + expected + " != " + actual;
            }
            return Double.compare(expected.doubleValue(), actual.doubleValue()) == 0 ? null : path + ": " + expected + " != " + actual;
        }
        if (expected.getNodeType() != actual.getNodeType())
        {
            return path + ": " + expected.getNodeType() + " != " + actual.getNodeType();
        }
        if (expected.isObject())
        {
            if (expected.size() != actual.size())
            {
                return path + ": keys " + names(expected) + " != " + names(actual);
            }
            for (final Map.Entry<String, JsonNode> field : expected.properties())
            {
                final JsonNode other = actual.get(field.getKey());
                if (other == null)
                {
                    return path + "." + field.getKey() + ": missing";
                }
                final String difference = difference(field.getValue(), other, path + "." + field.getKey());
                if (difference != null)
                {
                    return difference;
                }
            }
            return null;
        }
        if (expected.isArray())
        {
            if (expected.size() != actual.size())
            {
                return path + ": " + expected.size() + " elements != " + actual.size();
            }
            for (int i = 0; i < expected.size(); i++)
            {
                final String difference = difference(expected.get(i), actual.get(i), path + "[" + i + "]");
                if (difference != null)
                {
                    return difference;
                }
            }
            return null;
        }
        return expected.equals(actual) ? null : path + ": " + expected + " != " + actual;
    }

    private static List<String> names(final JsonNode node)
    {
        final List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * @return a command line starting a JVM like this one (same flags, class path) running {@code main}.
     */
    public static List<String> javaCommand(final Class<?> main, final String... args)
    {
        return javaCommand(System.getProperty("java.class.path"), List.of(), main.getName(), args);
    }

    /**
     * @param classPath  the child's class path.
     * @param properties JVM options for the child beyond this JVM's module openings and Chronicle settings.
     * @return a command line starting a JVM with this one's flags running {@code main} on {@code classPath}.
     */
    public static List<String> javaCommand(final String classPath, final List<String> properties, final String main,
        final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-opens") || argument.startsWith("--add-exports") ||
                argument.startsWith("-Dchronicle"))
            {
                command.add(argument);
            }
        }
        command.addAll(properties);
        command.add("-cp");
        command.add(classPath);
        command.add(main);
        command.addAll(List.of(args));
        return command;
    }

    /**
     * @return the repository's top directory.
     */
    public static Path repositoryRoot()
    {
        final String root = System.getProperty("blackbox.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }
}
