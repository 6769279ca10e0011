package org.saliency4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.saliency4j.EngineSettings;
import org.saliency4j.explain.Engine;
import org.saliency4j.internal.ParallelPasses;
import org.saliency4j.SaliencyException;

/**
 * Score-CAM's and Ablation-CAM's weightings on values worked out by hand, through {@link Attributions} with models
 * that answer in closed form. The layer: two channels on a 1x2 plane, A_0 = [1, 2] and A_1 = [4, 1], the input's
 * size, so the upsampling is the identity.
 */
class ChannelScoredMapsTest {
    private static final float[] ACTIVATIONS = {1, 2, 4, 1};
    /** A (3, 1, 2) input: red [1, 2], green [0, 1], blue [1, 0]; its pixels sum to 2 and 3 over the colours. */
    private static final float[] INPUT = {1, 2, 0, 1, 1, 0};

    /** These tests follow the order of the model's calls: one pass at a time. */
    @BeforeEach
    void onePassAtATime() {
        ParallelPasses.configure(1, 1);
    }

    @AfterEach
    void recommendedAgain() {
        Engine.configure(EngineSettings.recommended());
    }

    @Test
    void scoreCamWeighsChannelsByTheSoftmaxOfTheMaskedInputsScores() {
        // Masks: A_0 scaled to [0, 1] is [0, 1], A_1 is [1, 0]. A model whose score is the sum of its input scores
        // the masked inputs 3 (the second pixel's colours) and 2 (the first's): softmax [e, 1] / (e + 1).
        double w0 = Math.E / (Math.E + 1);
        double w1 = 1 / (Math.E + 1);
        float[] expected = {(float) (w0 * 1 + w1 * 4), (float) (w0 * 2 + w1 * 1)};
        for (int batch : new int[]{1, 2, 16}) {
            List<float[]> sent = new ArrayList<>();
            TargetScores sum = (inputs, n) -> {
                float[] scores = new float[n];
                for (int i = 0; i < n; i++) {
                    sent.add(Arrays.copyOfRange(inputs, i * 6, (i + 1) * 6));
                    for (int v = 0; v < 6; v++) {
                        scores[i] += inputs[i * 6 + v];
                    }
                }
                return scores;
            };
            float[] map = attribute(new ScoreCam(null), sum, null, batch, 1f);
            assertArrayEquals(expected, map, 1e-6f, "batch " + batch);
            assertEquals(2, sent.size(), "one masked input per channel");
            assertArrayEquals(new float[]{0, 2, 0, 1, 0, 0}, sent.get(0), 1e-6f, "the input times A_0's mask");
            assertArrayEquals(new float[]{1, 0, 0, 0, 1, 0}, sent.get(1), 1e-6f, "the input times A_1's mask");
        }
    }

    @Test
    void theSoftmaxIsTheScoresShareOfTheirExponentialsAndSurvivesLargeScores() {
        assertArrayEquals(new double[]{0.25, 0.75}, ChannelScoredMaps.softmax(new float[]{0, (float) Math.log(3)}),
                1e-7);
        assertArrayEquals(new double[]{0.25, 0.75}, ChannelScoredMaps.softmax(new float[]{1000,
                (float) (1000 + Math.log(3))}), 1e-4);
    }

    /** Corners aligned, as PyTorch's UpsamplingBilinear2d: [0, 3] to four pixels samples at 0, 1/3, 2/3 and 1. */
    @Test
    void scoreCamsMasksAreUpsampledWithCornersAlignedAndScaledToTheUnitRange() {
        LayerBatch b = new LayerBatch("l", 2, 1, 2, new int[]{0}, new float[]{0}, new float[]{0, 3, 5, 5},
                new float[4]);
        assertArrayEquals(new float[]{0, 1f / 3, 2f / 3, 1}, ChannelScoredMaps.mask(b, 0, 0, 1, 4), 1e-6f);
        assertArrayEquals(new float[4], ChannelScoredMaps.mask(b, 0, 1, 1, 4), 0f, "a constant channel: zeros");
        assertArrayEquals(new float[]{0, 1, 2, 3}, ClassActivationMaps.upsampleAlignedCorners(new float[]{0, 3}, 1, 2,
                1, 4), 1e-6f);
    }

    @Test
    void ablationCamWeighsChannelsByTheScoresRelativeDropWithoutThem() {
        // y = 4; without A_0 the score is 3, without A_1 it is 5: w = [1/4, -1/4].
        // [1, 2] / 4 - [4, 1] / 4 = [-3/4, 1/4] -> ReLU -> [0, 1/4]
        for (int batch : new int[]{1, 2, 16}) {
            List<Integer> asked = new ArrayList<>();
            AblatedScores model = (input, channels) -> {
                assertArrayEquals(INPUT, input, 0f);
                float[] scores = new float[channels.length];
                for (int i = 0; i < channels.length; i++) {
                    asked.add(channels[i]);
                    scores[i] = channels[i] == 0 ? 3 : 5;
                }
                return scores;
            };
            assertArrayEquals(new float[]{0, 0.25f}, attribute(new AblationCam(null), null, model, batch, 4f), 1e-6f,
                    "batch " + batch);
            assertEquals(List.of(0, 1), asked, "each channel once, in order");
        }
    }

    @Test
    void ablationCamRefusesAZeroScoreWhichItsWeightsDivideBy() {
        AblatedScores model = (input, channels) -> new float[channels.length];
        SaliencyException e = assertThrows(SaliencyException.class,
                () -> attribute(new AblationCam(null), null, model, 2, 0f));
        assertEquals("score", e.input());
    }

    private static float[] attribute(Method method, TargetScores scores, AblatedScores ablated, int batch,
                                     float score) {
        LayerBatch layer = new LayerBatch("l", 2, 1, 2, new int[]{0}, new float[]{score}, ACTIVATIONS, new float[4]);
        return new Attributions(null, null, scores, ablated, null, 1, 2, batch).attribute(method,
                new Attributions.Input(INPUT, score, new float[6], layer, null)).values();
    }
}
