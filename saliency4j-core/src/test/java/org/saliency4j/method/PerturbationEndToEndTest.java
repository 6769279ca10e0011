package org.saliency4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.Baseline;
import org.saliency4j.Cancellation;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.Preprocessing;
import org.saliency4j.Target;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.internal.image.TestImages;
import org.saliency4j.internal.torch.TestModels;

/**
 * Occlusion and RISE through libtorch, on a linear TorchScript model whose score is a known weighted sum of the
 * input's values: forward passes alone, f(input) from the first pass, the zero baseline's tensor.
 */
class PerturbationEndToEndTest {
    private static final int SIZE = 32;
    private static final int TARGET = 1;
    private static final Preprocessing SMALL = new Preprocessing(Preprocessing.Mode.TORCHVISION, 40, SIZE,
            Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD);

    @TempDir
    static Path dir;
    static TestModels.Linear linear;
    static SaliencyModel model;
    static byte[] png;

    @BeforeAll
    static void load() {
        linear = TestModels.linear(dir.resolve("linear.pt"), 3, SIZE, 11);
        model = SaliencyModel.load(dir.resolve("linear.pt"), ModelOptions.defaults().withDevice("cpu")
                .withInputSize(SIZE));
        png = TestImages.encode(TestImages.pattern(50, 45, 2), ".png");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /**
     * Windows of 8 at stride 8 tile the 32x32 input, so each pixel is hidden by one window, and hiding it behind
     * zeros takes away the window's sum of weight x input over the three channels: that is the pixel's
     * attribution.
     */
    @Test
    void occlusionOfALinearModelIsTheHiddenWindowsWeightedSum() {
        Occlusion occlusion = Method.occlusion(8, 8);
        ExplainRequest request = request(occlusion);
        assertEquals(1 + 16, model.passes(request));
        Explanation e = explain(request, 5);
        float[] x = e.input().toArray();
        assertArrayEquals(new int[]{1, SIZE, SIZE}, e.attribution().shape());
        int plane = SIZE * SIZE;
        for (int y = 0; y < SIZE; y++) {
            for (int xi = 0; xi < SIZE; xi++) {
                double hidden = 0;
                for (int c = 0; c < 3; c++) {
                    for (int v = y / 8 * 8; v < y / 8 * 8 + 8; v++) {
                        for (int u = xi / 8 * 8; u < xi / 8 * 8 + 8; u++) {
                            int j = c * plane + v * SIZE + u;
                            hidden += (double) linear.weight()[TARGET * linear.inputs() + j] * x[j];
                        }
                    }
                }
                assertEquals(hidden, e.attribution().at(y * SIZE + xi), 1e-4, "pixel " + y + "," + xi);
            }
        }
        assertArrayEquals(e.attribution().toArray(), explain(request, 1).attribution().toArray(), 1e-5f,
                "the batch bounds memory, not the map");
    }

    /** RISE's map is sum_i f(x M_i) M_i / (N p) over the seed's masks, f the model's linear score. */
    @Test
    void riseOfALinearModelIsTheScoreWeightedSumOfItsMasks() {
        Rise rise = new Rise(200, 7, 0.5, Baseline.zero(), 3);
        ExplainRequest request = request(rise);
        assertEquals(1 + 200, model.passes(request));
        Explanation e = explain(request, 64);
        float[] x = e.input().toArray();
        int plane = SIZE * SIZE;
        float[] masks = new RiseMasks(rise, SIZE, SIZE).next(200);
        double[] expected = new double[plane];
        for (int i = 0; i < 200; i++) {
            float[] masked = new float[3 * plane];
            for (int j = 0; j < 3 * plane; j++) {
                masked[j] = x[j] * masks[i * plane + j % plane];
            }
            float score = linear.logit(TARGET, masked);
            for (int j = 0; j < plane; j++) {
                expected[j] += (double) score * masks[i * plane + j] / (200 * 0.5);
            }
        }
        for (int j = 0; j < plane; j++) {
            assertEquals(expected[j], e.attribution().at(j), 1e-4 * Math.max(1, Math.abs(expected[j])), "pixel " + j);
        }
    }

    private static ExplainRequest request(Method method) {
        return ExplainRequest.defaults().withPreprocessing(SMALL).withMethod(method).withTarget(Target.index(TARGET));
    }

    private static Explanation explain(ExplainRequest request, int batch) {
        return model.explainBatch(List.of(ImageInput.bytes("p.png", png)), request, batch, Cancellation.NEVER).get(0);
    }
}
