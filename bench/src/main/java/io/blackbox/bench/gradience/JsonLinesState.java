package io.blackbox.bench.gradience;

import com.fasterxml.jackson.core.JsonGenerator;
import io.blackbox.bench.TemporaryDirectory;
import io.blackbox.recorder.CalibratedEpochNanoClock;
import io.blackbox.recorder.JsonValues;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the Python producers of Gradience telemetry do, on the JVM: each record becomes one JSONL line, written
 * with Jackson's streaming generator (the factory Blackbox's exporter uses) through a 64 KiB buffer into a file
 * in a fresh temporary directory, open for the whole trial. One file per thread, as one per run.
 * <p>
 * The buffer is never flushed by hand, which is as cheap as this alternative gets: lines still in the buffer are
 * lost if the process dies, where a record whose Blackbox emit returned is not.
 */
@State(Scope.Thread)
public class JsonLinesState extends TrainStepValues
{
    public static final String SCHEMA = "gradience.vnext.telemetry/v1";
    public static final int BUFFER_BYTES = 64 * 1024;

    JsonGenerator generator;
    CalibratedEpochNanoClock clock;
    private Path directory;
    private Path file;
    private OutputStream out;

    @Setup(Level.Trial)
    public void open() throws IOException
    {
        directory = TemporaryDirectory.create("blackbox-bench-jsonl-");
        file = directory.resolve("run.jsonl");
        out = new BufferedOutputStream(new FileOutputStream(file.toFile()), BUFFER_BYTES);
        generator = JsonValues.FACTORY.createGenerator(out);
        generator.setRootValueSeparator(null); // one object per line; the line writes its own '\n'
        clock = new CalibratedEpochNanoClock();
    }

    /**
     * One {@code train_step} line, keys in the spec's order, {@code ts} as seconds in a double as Python's
     * {@code time.time()} gives them.
     */
    public void writeLine() throws IOException
    {
        final JsonGenerator g = generator;
        g.writeStartObject();
        g.writeStringField("schema", SCHEMA);
        g.writeNumberField("ts", clock.nanoTime() * 1e-9);
        g.writeStringField("run_id", runId);
        g.writeStringField("event", "train_step");
        g.writeNumberField("step", step++);
        g.writeNumberField("loss", loss);
        g.writeNumberField("lr", lr);
        g.writeEndObject();
        g.writeRaw('\n');
    }

    @TearDown(Level.Trial)
    public void close() throws IOException
    {
        try
        {
            generator.close();
            out.close();
            final long bytes = Files.size(file);
            System.out.printf("bench: bytes on disk: JSONL %.1f B/line (%d lines, %d bytes)%n",
                step == 0 ? 0.0 : (double)bytes / step, step, bytes);
        }
        finally
        {
            TemporaryDirectory.delete(directory);
        }
    }
}
