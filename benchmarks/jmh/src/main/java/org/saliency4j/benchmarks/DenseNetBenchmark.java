package org.saliency4j.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.saliency4j.explain.Engine;
import org.saliency4j.EngineSettings;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.Picture;
import org.saliency4j.Preprocessing;
import org.saliency4j.RenderOptions;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.models.BuiltinModels;

/**
 * DenseNet-201 (the architecture written from Java, random weights) on CPU, batch 1, 224x224, vanilla: the
 * engine's explain (preprocessing, forward, backward, map) and explain plus the rendered overlay, beside the bare
 * presets' forward and forward+backward with the same libtorch threads. The goal: explain within 1.10x of the bare
 * forward+backward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class DenseNetBenchmark {
    private static final int SIZE = 224;
    private SaliencyModel model;
    private BareTorch bare;
    private ImageInput image;
    private ExplainRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        Path file = BuiltinModels.resolve("densenet201");
        // As the CLI and the service run: the recommended process-wide settings, made explicitly.
        Engine.configure(EngineSettings.recommended());
        model = SaliencyModel.load(file, ModelOptions.defaults().withDevice("cpu"));
        image = Inputs.picture(SIZE);
        // The picture is already 224x224: stretch it to the input, as a caller with model-sized images would.
        request = ExplainRequest.defaults().withPreprocessing(Preprocessing.torchvision()
                .withMode(Preprocessing.Mode.STRETCH));
        bare = new BareTorch(file, model.explain(image, request).input().toArray(), SIZE);
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
    public Picture explainAndRender() {
        return model.explain(image, request).render(RenderOptions.defaults());
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
