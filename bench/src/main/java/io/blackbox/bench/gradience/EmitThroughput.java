package io.blackbox.bench.gradience;

import io.blackbox.bench.BenchJvm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.concurrent.TimeUnit;


/**
 * Sustained records per second, end to end, for any number of training threads, with Blackbox and with the
 * alternatives of {@link EmitLatency} (each thread writes the same {@code train_step}s; see there for what each
 * one does).
 * <ul>
 *     <li>{@code blackboxTrainStep}, {@code blackboxEval}: every JMH thread has its own emitter
 *     ({@link GradienceEmitterState}) over the trial's one recorder. Under the default {@code BLOCK} backpressure
 *     nothing is dropped ({@link io.blackbox.bench.RecorderState} fails the trial if anything is), so once the
 *     ring is full this is the rate at which the drainer appends to the Chronicle Queue: records/s recorded,
 *     none lost.</li>
 *     <li>{@code chronicleRawAppend}: every thread appends to the one queue through its own appender (Chronicle
 *     serialises appenders with a write lock).</li>
 *     <li>{@code jfrEventCommit}: every thread commits into the one recording (JFR buffers per thread).</li>
 *     <li>{@code jacksonJsonLine}: every thread writes its own file, as one file per run.</li>
 *     <li>{@code log4j2AsyncLogger}: every thread logs through the one asynchronous logger (one Disruptor ring,
 *     one writing thread).</li>
 * </ul>
 * Choose the thread count on the command line ({@code bench/run.sh} without arguments runs all three):
 * <pre>
 * bench/run.sh EmitThroughput -t 1
 * bench/run.sh EmitThroughput -t 2
 * bench/run.sh EmitThroughput -t 4
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchJvm.ARGFILE)
public class EmitThroughput
{
    @Benchmark
    public boolean blackboxTrainStep(final GradienceEmitterState s)
    {
        return s.emitTrainStep();
    }

    @Benchmark
    public boolean blackboxTrainStepExactTimestamps(final ExactTimestampsEmitterState s)
    {
        return s.emitter.emitTrainStep();
    }

    @Benchmark
    public boolean blackboxEval(final GradienceEmitterState s)
    {
        return s.emitEval();
    }

    @Benchmark
    public void jfrEventCommit(final JfrRecordingState.Emitter s)
    {
        s.commit();
    }

    @Benchmark
    public void chronicleRawAppend(final ChronicleQueueState.Appender s)
    {
        s.appendRaw();
    }

    @Benchmark
    public void log4j2AsyncLogger(final Log4jAsyncState state, final Log4jAsyncState.Logging s)
    {
        s.log(state);
    }

    @Benchmark
    public void jacksonJsonLine(final JsonLinesState s) throws IOException
    {
        s.writeLine();
    }
}
