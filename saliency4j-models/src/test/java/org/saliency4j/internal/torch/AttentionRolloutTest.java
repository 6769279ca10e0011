package org.saliency4j.internal.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.Score;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.internal.image.TestImages;
import org.saliency4j.method.Method;
import org.saliency4j.method.TappedLayers;
import org.saliency4j.method.WholeProducts;
import org.saliency4j.models.VisionTransformer;

/**
 * Attention rollout on a small ViT written from Java with random weights (56-pixel patches: a 4 x 4 grid and 17
 * tokens, 2 blocks of 2 heads, 8 channels), against {@link ReferenceAttention}: the same weights in a forward
 * written again by hand, in float64, whose probabilities come from PyTorch's fused attention kernel.
 */
class AttentionRolloutTest {
    private static final VisionTransformer TINY = new VisionTransformer("vit_tiny", 56, 2, 2, 8, 16);
    private static final int SIDE = 224;
    private static final int TOKENS = 17;
    private static final int HEADS = 2;
    private static final int TARGET = 5;

    @TempDir
    Path dir;

    private final Map<String, float[]> weights = new HashMap<>();

    /** The ViT, and its reference beside it as {@code reference.pt}. */
    private Path written() {
        Path file = dir.resolve("vit_tiny.pt");
        TinyVits.write(TINY, 12, file, weights);
        ReferenceAttention.write(TINY, (name, shape) -> weights.get(name), reference());
        return file;
    }

    private Path reference() {
        return dir.resolve("reference.pt");
    }

    private static float[] image(long seed) {
        Random random = new Random(seed);
        float[] x = new float[3 * SIDE * SIDE];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    @Test
    void theEngineTapsEveryBlocksProbabilitiesAndTheirGradient() {
        Path file = written();
        float[] x = image(3);
        try (TorchClassifier vit = TorchClassifier.load(file, "cpu", SIDE, 0)) {
            List<String> layers = vit.attentionLayers(SIDE);
            assertEquals(List.of(VisionTransformer.attentionProbabilities(0),
                    VisionTransformer.attentionProbabilities(1)), layers);
            TappedLayers tapped = vit.layersPass(x, 1, SIDE, SIDE, (i, p) -> TARGET, Score.LOGIT, layers, true, false)
                    .layers();
            ReferenceAttention ref = ReferenceAttention.run(reference(), TINY, x, TARGET, 0, 0, 0);
            for (int l = 0; l < 2; l++) {
                assertClose(ref.probabilities().get(l), toFloats(ref.softmax().get(l)), 1e-7,
                        "the reference's softmax against PyTorch's fused kernel, block " + l);
            }
            for (int l = 0; l < 2; l++) {
                TappedLayers.Layer layer = tapped.layers().get(l);
                assertArrayEquals(new int[]{1, HEADS, TOKENS, TOKENS}, layer.shape());
                assertClose(ref.probabilities().get(l), layer.values(), 1e-5, "probabilities of block " + l);
                assertClose(ref.gradients().get(l), layer.gradients(), 1e-4, "gradient at block " + l);
            }
            // One probability of the first block (head 1, the class token's weight on patch 3), by central
            // differences of the float64 reference: the probability feeds the second block nonlinearly.
            int index = (TOKENS + 0) * TOKENS + 3;
            double h = 1e-4;
            double up = ReferenceAttention.run(reference(), TINY, x, TARGET, 0, index, h).logits()[TARGET];
            double down = ReferenceAttention.run(reference(), TINY, x, TARGET, 0, index, -h).logits()[TARGET];
            double difference = (up - down) / (2 * h);
            assertTrue(Math.abs(difference) > 1e-3, "a probability the score depends on: " + difference);
            float engine = tapped.layers().get(0).gradients()[index];
            assertEquals(difference, engine, 1e-4 * Math.max(1, Math.abs(difference)), "d score / d probability");
        }
    }

    @Test
    void bothRolloutsOfAnExplanationAreThePapersProductsOfTheReferenceProbabilities() throws Exception {
        Path file = written();
        try (SaliencyModel model = SaliencyModel.load(file, ModelOptions.defaults().withDevice("cpu")
                .withWarmupRuns(0))) {
            ImageInput picture = ImageInput.bytes("p.png", TestImages.encode(TestImages.pattern(300, 260, 1), ".png"));
            Explanation rollout = model.explain(picture, ExplainRequest.defaults()
                    .withMethod(Method.attentionRollout()));
            Explanation weighted = model.explain(picture, ExplainRequest.defaults()
                    .withMethod(Method.gradientRollout()));
            ReferenceAttention ref = ReferenceAttention.run(reference(), TINY, rollout.input().toArray(),
                    weighted.target().index(), 0, 0, 0);
            float[] expected = WholeProducts.upsampled(WholeProducts.attentionRollout(ref.probabilities(), HEADS,
                    TOKENS), 4, SIDE);
            assertEquals(1, rollout.attribution().shape()[0]);
            assertClose(expected, rollout.attribution().toArray(), 1e-5, "attention rollout");
            float[] expectedWeighted = WholeProducts.upsampled(WholeProducts.gradientRollout(ref.probabilities(),
                    ref.gradients(), HEADS, TOKENS), 4, SIDE);
            assertClose(expectedWeighted, weighted.attribution().toArray(), 1e-4, "gradient-weighted rollout");
            // Two images in one pass: each one's map is its own, as when explained alone.
            ImageInput other = ImageInput.bytes("q.png", TestImages.encode(TestImages.pattern(200, 240, 4), ".png"));
            List<Explanation> both = model.explainBatch(List.of(other, picture), ExplainRequest.defaults()
                    .withMethod(Method.gradientRollout()));
            assertClose(weighted.attribution().toArray(), both.get(1).attribution().toArray(), 1e-5, "in a batch");
            Explanation alone = model.explain(other, ExplainRequest.defaults().withMethod(Method.gradientRollout()));
            assertClose(alone.attribution().toArray(), both.get(0).attribution().toArray(), 1e-5, "first in a batch");
        }
    }

    /**
     * A CNN has no attention layers: at 34 pixels the tiny CNN's first feature map is (1, 16, 17, 17), the shape of
     * 16 heads' attention over 17 tokens, but its rows are not probabilities.
     */
    @Test
    void aModelWithoutAttentionProbabilitiesIsRefusedByName() throws Exception {
        try (SaliencyModel cnn = SaliencyModel.load(LayerGradientsTest.tinyCnn(), ModelOptions.defaults()
                .withDevice("cpu").withWarmupRuns(0).withInputSize(34))) {
            assertArrayEquals(new int[]{1, 16, 17, 17}, cnn.layers().get(0).shape());
            ImageInput picture = ImageInput.bytes("p.png", TestImages.encode(TestImages.pattern(40, 40, 1), ".png"));
            for (Method method : List.of(Method.attentionRollout(), Method.gradientRollout(),
                    Method.smoothGrad(Method.gradientRollout(), 2))) {
                SaliencyException e = assertThrows(SaliencyException.class, () -> cnn.explain(picture,
                        ExplainRequest.defaults().withMethod(method)));
                assertTrue(e.getMessage().contains("exposes no attention probabilities")
                        && e.getMessage().contains("saliency4j model build vit_b_16"), e.getMessage());
            }
        }
    }

    private static void assertClose(double[] expected, float[] actual, double relative, String what) {
        assertClose(toFloats(expected), actual, relative, what);
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    /** Each value within {@code relative} of the largest expected magnitude. */
    private static void assertClose(float[] expected, float[] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, what + " is not all zero");
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expected[i], actual[i], relative * scale, what + " at " + i);
        }
    }
}
