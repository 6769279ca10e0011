package org.saliency4j.internal.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.Score;
import org.saliency4j.internal.image.TestImages;
import org.saliency4j.method.LayerBatch;
import org.saliency4j.method.Method;
import org.saliency4j.models.Architectures;
import org.saliency4j.models.VisionTransformer;

/**
 * Grad-CAM on a vision transformer's tokens: a small ViT (56-pixel patches, a 4 x 4 grid, 8 channels) written from
 * Java with random weights, whose first LayerNorm's output is computed here independently, patch by patch.
 */
class TokenGridTest {
    private static final VisionTransformer TINY = new VisionTransformer("vit_tiny", 56, 2, 2, 8, 16);
    private static final int SIDE = 224;
    private static final int GRID = 4;
    private static final int CHANNELS = 8;

    @TempDir
    Path dir;

    private final Map<String, float[]> weights = new HashMap<>();

    private Path written() {
        Path file = dir.resolve("vit_tiny.pt");
        TinyVits.write(TINY, 12, file, weights);
        return file;
    }

    @Test
    void tokensBecomeTheirPatchGridWithoutTheClassToken() throws Exception {
        Path file = written();
        float[] x = new float[3 * SIDE * SIDE];
        Random random = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        try (TorchClassifier vit = TorchClassifier.load(file, "cpu", SIDE, 0)) {
            LayerBatch ln1 = vit.layerGradients(x, 1, SIDE, SIDE, (i, p) -> 5, Score.LOGIT,
                    "encoder.layers.encoder_layer_0.ln_1");
            assertEquals(CHANNELS, ln1.channels());
            assertEquals(GRID, ln1.height());
            assertEquals(GRID, ln1.width());
            double[][] expected = firstLayerNorm(x);
            for (int c = 0; c < CHANNELS; c++) {
                for (int p = 0; p < GRID * GRID; p++) {
                    assertEquals(expected[1 + p][c], ln1.activations()[c * GRID * GRID + p], 1e-4,
                            "channel " + c + ", patch " + p);
                }
            }
            double norm = 0;
            for (float g : ln1.gradients()) {
                norm += g * g;
            }
            assertTrue(norm > 0, "the patches' tokens reach the class token through attention");
            // After the last block only the class token reaches the head: every patch's gradient is exactly 0.
            LayerBatch last = vit.layerGradients(x, 1, SIDE, SIDE, (i, p) -> 5, Score.LOGIT, "encoder.ln");
            for (float g : last.gradients()) {
                assertEquals(0f, g);
            }
        }
    }

    @Test
    void gradCamUsesTheCardsLayerOnAVisionTransformer() throws Exception {
        Path file = written();
        try (SaliencyModel model = SaliencyModel.load(file, ModelOptions.defaults().withDevice("cpu")
                .withWarmupRuns(0))) {
            assertEquals(TINY.gradCamLayer(), model.withLayer(Method.gradCam(), SIDE).layer());
            Explanation e = model.explain(ImageInput.bytes("p.png", TestImages.encode(
                    TestImages.pattern(300, 260, 1), ".png")), ExplainRequest.defaults().withMethod(Method.gradCam()));
            float[] map = e.attribution().toArray();
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : map) {
                assertTrue(Float.isFinite(v));
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(max > min, "a map that differs between patches");
        }
    }

    /**
     * Ablation-CAM on tokens zeroes a channel at every token, the class token included (pytorch-grad-cam's
     * AblationLayerVit): the same as a model whose LayerNorm has that channel's weight and bias zeroed.
     */
    @Test
    void ablatingATokenChannelIsZeroingItsLayerNormWeightAndBias() {
        Path file = written();
        float[] x = new float[3 * SIDE * SIDE];
        Random random = new Random(4);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        String layer = "encoder.layers.encoder_layer_0.ln_1";
        int[] all = {0, 1, 2, 3, 4, 5, 6, 7};
        float[] ablated;
        float plain;
        try (TorchClassifier vit = TorchClassifier.load(file, "cpu", SIDE, 0)) {
            ablated = vit.ablatedScores(x, SIDE, SIDE, 5, Score.LOGIT, layer, all);
            plain = vit.scores(x, 1, SIDE, SIDE, 5, Score.LOGIT)[0];
        }
        // The channel that moves the score most, and another.
        int strongest = 0;
        for (int k = 1; k < CHANNELS; k++) {
            if (Math.abs(plain - ablated[k]) > Math.abs(plain - ablated[strongest])) {
                strongest = k;
            }
        }
        assertTrue(Math.abs(plain - ablated[strongest]) > 1e-3, "a channel that matters: " + plain + " vs "
                + ablated[strongest]);
        for (int k : new int[]{strongest, (strongest + 3) % CHANNELS}) {
            Path zeroed = dir.resolve("vit_tiny_without_" + k + ".pt");
            Architectures.write(TINY, (name, shape) -> {
                float[] v = weights.get(name).clone();
                if (name.equals(layer + ".weight") || name.equals(layer + ".bias")) {
                    v[k] = 0;
                }
                return v;
            }, 0, zeroed);
            try (TorchClassifier without = TorchClassifier.load(zeroed, "cpu", SIDE, 0)) {
                float expected = without.scores(x, 1, SIDE, SIDE, 5, Score.LOGIT)[0];
                assertEquals(expected, ablated[k], 1e-5 * (1 + Math.abs(expected)), "channel " + k);
            }
        }
    }

    @Test
    void anotherInputSizeIsRefusedByName() {
        Path file = written();
        SaliencyException e = assertThrows(SaliencyException.class, () -> TorchClassifier.load(file, "vit", "cpu",
                160, 0));
        assertTrue(e.getMessage().contains("vit_tiny takes 224 x 224 images"), e.getMessage());
    }

    /** LayerNorm(patch embedding + positional embedding) of every token, the class token first, in double. */
    private double[][] firstLayerNorm(float[] x) {
        float[] w = weights.get("conv_proj.weight");
        float[] b = weights.get("conv_proj.bias");
        float[] cls = weights.get("class_token");
        float[] pos = weights.get("encoder.pos_embedding");
        float[] gamma = weights.get("encoder.layers.encoder_layer_0.ln_1.weight");
        float[] beta = weights.get("encoder.layers.encoder_layer_0.ln_1.bias");
        int patch = SIDE / GRID;
        double[][] out = new double[1 + GRID * GRID][CHANNELS];
        for (int t = 0; t <= GRID * GRID; t++) {
            double[] token = new double[CHANNELS];
            for (int c = 0; c < CHANNELS; c++) {
                double v;
                if (t == 0) {
                    v = cls[c];
                } else {
                    int row = (t - 1) / GRID;
                    int col = (t - 1) % GRID;
                    v = b[c];
                    for (int ch = 0; ch < 3; ch++) {
                        for (int u = 0; u < patch; u++) {
                            for (int s = 0; s < patch; s++) {
                                v += (double) x[(ch * SIDE + row * patch + u) * SIDE + col * patch + s]
                                        * w[((c * 3 + ch) * patch + u) * patch + s];
                            }
                        }
                    }
                }
                token[c] = v + pos[t * CHANNELS + c];
            }
            double mean = 0;
            for (double v : token) {
                mean += v / CHANNELS;
            }
            double variance = 0;
            for (double v : token) {
                variance += (v - mean) * (v - mean) / CHANNELS;
            }
            for (int c = 0; c < CHANNELS; c++) {
                out[t][c] = (token[c] - mean) / Math.sqrt(variance + 1e-6) * gamma[c] + beta[c];
            }
        }
        return out;
    }
}
