package org.saliency4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.saliency4j.Normalization;
import org.saliency4j.Picture;
import org.saliency4j.Preprocessing;
import org.saliency4j.Reduction;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyMap;
import org.saliency4j.internal.image.MapBuilder;
import org.saliency4j.internal.image.ModelInput;
import org.saliency4j.internal.image.Preprocessor;
import org.saliency4j.internal.image.Renderer;

/**
 * The host-side steps around the model for one 224x224 input: torchvision preprocessing (Resize(256),
 * CenterCrop(224), ToTensor, Normalize) of a {@code source}-pixel square picture, the map (abs-max over channels,
 * min-max), the overlay rendered to 8-bit RGB, and the three together (the goal: under 3 ms for a 224x224 image);
 * and the map plus overlay through OpenCV beside the native kernel that fuses them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PostprocessingBenchmark {
    private static final int SIZE = 224;

    @Param({"224", "640"})
    public int source;

    private Picture photo;
    private Preprocessing torchvision;
    private float[] gradient;
    private ModelInput input;
    private SaliencyMap map;

    @Setup
    public void setUp() {
        photo = Inputs.square(source);
        torchvision = Preprocessing.torchvision();
        gradient = Inputs.gaussian(3 * SIZE * SIZE, 1);
        input = Preprocessor.prepare(photo, torchvision);
        map = map();
    }

    @Benchmark
    public ModelInput preprocess() {
        return Preprocessor.prepare(photo, torchvision);
    }

    @Benchmark
    public SaliencyMap map() {
        return MapBuilder.build(gradient, SIZE, SIZE, Reduction.ABS_MAX, Normalization.minMax(), torchvision.mean(),
                torchvision.std());
    }

    @Benchmark
    public Picture render() {
        return Renderer.render("bench", map, input.view(), photo, input.region(), RenderOptions.defaults());
    }

    @Benchmark
    public Picture mapAndOverlayOpenCv() {
        SaliencyMap built = MapBuilder.build(gradient, SIZE, SIZE, Reduction.ABS_MAX, Normalization.minMax(),
                torchvision.mean(), torchvision.std());
        return Renderer.render("bench", built, input.view(), photo, input.region(), RenderOptions.defaults());
    }

    @Benchmark
    public Picture mapAndOverlayFused() {
        SaliencyMap built = MapBuilder.build(gradient, SIZE, SIZE, Reduction.ABS_MAX, Normalization.minMax(),
                torchvision.mean(), torchvision.std());
        return Renderer.fusedOverlay(built, input.view(), RenderOptions.defaults());
    }

    @Benchmark
    public Picture preprocessMapAndRender() {
        ModelInput prepared = Preprocessor.prepare(photo, torchvision);
        SaliencyMap built = MapBuilder.build(gradient, SIZE, SIZE, Reduction.ABS_MAX, Normalization.minMax(),
                torchvision.mean(), torchvision.std());
        return Renderer.render("bench", built, prepared.view(), photo, prepared.region(), RenderOptions.defaults());
    }
}
