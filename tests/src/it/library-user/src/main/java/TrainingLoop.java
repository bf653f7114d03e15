import io.blackbox.codecs.GradienceRunStatus;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.gradience.GradienceEmitter;

import java.nio.file.Path;
import java.util.Map;

public class TrainingLoop
{
    public static void main(String[] args)
    {
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(Path.of("runs/r1"))))
        {
            GradienceEmitter run = recorder.emitter(GradienceEmitter::new, "fbbeb25f-02c0-4aa5-a7eb-5a9884cbcb51"); // one emitter per thread
            run.runStart(Map.of("model_name", "tiny", "lora", Map.of("r", 8)), Map.of("framework", "custom"));

            int gradNorm = run.symbol("grad_norm");                  // strings cost an int on the hot path
            run.trainStep(1, 0.6981, 4.375e-4);                      // no allocation, no lock, no system call
            run.trainStep(2).loss(0.69).lr(new double[]{ 1e-4, 2e-4 }).metric(gradNorm, 0.18).commit();
            run.eval(10, run.symbol("test"), 3.0, 0.4, 1.099, 100);  // ppl, accuracy, loss, n

            run.runEnd(10, GradienceRunStatus.OK, null);
        }
    }
}
