package org.saliency4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.saliency4j.Baseline;
import org.saliency4j.explain.Engine;
import org.saliency4j.EngineSettings;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.method.Method;
import org.saliency4j.method.MethodParameters;
import org.saliency4j.method.MethodSettings;
import org.saliency4j.method.Methods;
import org.saliency4j.models.BuiltinModels;

/**
 * Explain per method on the demo model (64x64, CPU), beside the bare presets' forward and forward+backward on the
 * same input, so that each method's cost reads as a ratio off one run. Noise tunnels and integrated gradients use
 * 16 samples or steps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DemoModelBenchmark {
    @Param({"vanilla", "gradient-x-input", "guided-backprop", "integrated-gradients", "smoothgrad", "grad-cam",
            "guided-grad-cam"})
    public String method;

    private SaliencyModel model;
    private BareTorch bare;
    private ImageInput image;
    private ExplainRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        // As the CLI and the service run: the recommended process-wide settings, made explicitly.
        Engine.configure(EngineSettings.recommended());
        model = SaliencyModel.load(BuiltinModels.demoFile(), ModelOptions.defaults().withDevice("cpu"));
        int size = model.info().inputSize();
        image = Inputs.picture(size);
        Method m = Methods.parse(method, MethodSettings.defaults().with(MethodParameters.SAMPLES, 16)
                .with(MethodParameters.STEPS, 16));
        request = ExplainRequest.defaults().withPreprocessing(model.preprocessing())
                .withMethod(model.withLayer(m, size));
        bare = new BareTorch(BuiltinModels.demoFile(), model.explain(image, request).input().toArray(), size);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bare.close();
        model.close();
    }

    @Benchmark
    public Explanation explain() {
        return model.explain(image, request);
    }

    @Benchmark
    public float bareForward() {
        return bare.forward();
    }

    @Benchmark
    public float[] bareForwardBackward() {
        return bare.forwardBackward();
    }
}
