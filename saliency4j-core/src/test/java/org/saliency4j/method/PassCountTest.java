package org.saliency4j.method;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.saliency4j.internal.ParallelPasses;
import org.saliency4j.Baseline;

/**
 * {@link Method#passes(Workload)}, which bounds a service request's work before it is queued, against the images every
 * method really sends through the model: counted on a model that only counts, for every method and noise tunnel.
 */
class PassCountTest {
    private static final int SIDE = 4;
    private static final int PLANE = 3 * SIDE * SIDE;
    /** The counting model's input and layer ({@link #layer}: 3 channels, more than a batch of 2). */
    private static final Workload WORKLOAD = new Workload(SIDE, SIDE, 3);

    @Test
    void passesAreTheImagesEachMethodSendsThroughTheModel() {
        List<String> specs = new ArrayList<>();
        List<String> bases = List.of("vanilla", "gradient-x-input", "integrated-gradients", "guided-backprop",
                "deconvnet", "grad-cam", "grad-cam++", "xgrad-cam", "hires-cam", "layer-cam", "eigen-cam",
                "score-cam", "ablation-cam", "guided-grad-cam", "attention-rollout", "grad-rollout", "occlusion",
                "rise");
        specs.addAll(bases);
        for (String tunnel : List.of("smoothgrad", "smoothgrad-sq", "vargrad")) {
            for (String base : bases) {
                specs.add(tunnel + ":" + base);
            }
        }
        // On one thread, and on three pass threads (the counting model then called from several at once).
        for (int threads : new int[]{1, 3}) {
            ParallelPasses.configure(threads, 1);
            try {
                for (String spec : specs) {
                    Method method = Methods.parse(spec, MethodSettings.defaults().with(MethodParameters.SAMPLES, 3)
                            .with(MethodParameters.STEPS, 5).with(MethodParameters.WINDOW, 3)
                            .with(MethodParameters.STRIDE, 2).with(MethodParameters.MASKS, 5));
                    assertEquals(imagesSent(method), method.passes(WORKLOAD), spec + ", pass threads " + threads);
                }
            } finally {
                ParallelPasses.configure(1, 1);
            }
        }
        // Automatic steps: passes is the bound, which a path that never converges reaches (16 + 32 + 40 steps).
        for (String spec : List.of("integrated-gradients", "smoothgrad:integrated-gradients")) {
            Method auto = Methods.parse(spec, MethodSettings.defaults().with(MethodParameters.SAMPLES, 3)
                    .with(MethodParameters.STEPS, IntegratedGradients.AUTO_STEPS)
                    .with(MethodParameters.MAX_STEPS, 40));
            assertEquals(imagesSent(auto), auto.passes(WORKLOAD), spec + " with automatic steps");
        }
        // Occlusion's windows on the 4x4 input: 1 + ceil((4 - 3) / 2) = 2 a side, so 4 windows and the first pass.
        assertEquals(5, Method.occlusion(3, 2).passes(WORKLOAD));
        Method expensive = Method.smoothGrad(Method.integratedGradients(256), 256);
        assertEquals(1 + 256 * 256, expensive.passes(WORKLOAD), "the issue's request: the first pass and 65,536 more");
        Workload densenet = new Workload(224, 224, 1920);
        assertEquals(1921, Method.parse("score-cam").passes(densenet), "one forward pass per channel of norm5");
        assertEquals(1 + 50 * 1921, Method.parse("smoothgrad:ablation-cam").passes(densenet),
                "each noisy copy's layer, then its channels");
    }

    /**
     * The first pass, as SaliencyModel makes it (its gradient is vanilla's attribution, its layer the Grad-CAM
     * family's, its attention layers the rollouts'), then every image the method asks the model for.
     */
    private static long imagesSent(Method method) {
        // Counted atomically: passes may run on several threads at once (pass threads).
        AtomicLong images = new AtomicLong(1);
        // Zero gradients and a first image that scores 1: integrated gradients' delta is -1 however many steps.
        ScoreGradients model = (inputs, n, relu) -> {
            images.addAndGet(n);
            float[] scores = new float[n];
            scores[0] = 1;
            return new ScoreGradients.Result(new float[inputs.length], scores);
        };
        LayerGradients layer = (inputs, n) -> {
            images.addAndGet(n);
            return layer(n);
        };
        TargetScores scores = (inputs, n) -> {
            images.addAndGet(n);
            return new float[n];
        };
        AblatedScores ablated = (input, channels) -> {
            images.addAndGet(channels.length);
            return new float[channels.length];
        };
        AttentionGradients attention = (inputs, n) -> {
            images.addAndGet(n);
            return attention(n);
        };
        new Attributions(model, layer, scores, ablated, attention, SIDE, SIDE, 2).attribute(method,
                new Attributions.Input(new float[PLANE], 1, new float[PLANE], method.layerAtInput() ? layer(1) : null,
                        new float[PLANE], method.attentionAtInput() ? attention(1) : null));
        return images.get();
    }

    /** One block of one head over a class token and a 2 x 2 grid, every token attending to itself. */
    private static TappedLayers attention(int n) {
        float[] identity = new float[n * 25];
        for (int i = 0; i < n * 5; i++) {
            identity[i * 5 + i % 5] = 1;
        }
        return new TappedLayers(new int[n], new float[n], List.of(new TappedLayers.Layer("attention",
                new int[]{n, 1, 5, 5}, identity, new float[n * 25])));
    }

    private static LayerBatch layer(int n) {
        // Scores of 1: Ablation-CAM divides by them.
        float[] scores = new float[n];
        Arrays.fill(scores, 1);
        return new LayerBatch("features", 3, 2, 2, new int[n], scores, new float[n * 12], new float[n * 12]);
    }
}
