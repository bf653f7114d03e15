package io.blackbox.bench.gradience;

import io.blackbox.bench.BenchJvm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Sustained Gradience emit rate of one recorder, for any number of training threads: every JMH thread has its
 * own emitter ({@link GradienceEmitterState}) over the trial's one recorder. Under the default
 * {@code BLOCK} backpressure nothing is dropped, so once the ring is full this is the rate at which the drainer
 * appends to the Chronicle Queue.
 * <p>
 * Choose the thread count on the command line:
 * <pre>
 * bench/run.sh EmitThroughput -t 1
 * bench/run.sh EmitThroughput -t 2
 * bench/run.sh EmitThroughput -t 4
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchJvm.ARGFILE)
public class EmitThroughput
{
    @Benchmark
    public boolean blackboxTrainStep(final GradienceEmitterState s)
    {
        return s.emitter.trainStep(s.step++, s.loss, s.lr);
    }

    @Benchmark
    public boolean blackboxEval(final GradienceEmitterState s)
    {
        return s.emitter.eval(s.step++, s.validSplit).ppl(s.ppl).accuracy(s.accuracy).loss(s.loss).n(s.n).commit();
    }
}
