package org.saliency4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saliency4j.Baseline;
import org.saliency4j.SaliencyException;

/** Occlusion against maps worked by hand, on models written in Java whose scores are sums over pixels. */
class OcclusionTest {

    /**
     * A 4x4 input, window 2, stride 1: 3 x 3 windows. The model scores channel 0 at pixel (1, 1), which is 2, and the
     * baseline is 0, so a window costs 2 when it hides (1, 1) and nothing otherwise. A row y is hidden by the
     * windows starting at rows {y - 1, y} within [0, 2]: row 0 by {0}, row 1 by {0, 1}, row 2 by {1, 2}, row 3 by
     * {2}; of those, the windows starting at 0 or 1 hide row 1, a fraction 1, 1, 1/2, 0 of them. Columns alike, so
     * the map is 2 x r(y) x r(x) with r = (1, 1, 1/2, 0).
     */
    @Test
    void aWindowOfTwoAtStrideOneOnFourByFourIsTheHandWorkedMap() {
        int side = 4;
        float[] input = new float[3 * side * side];
        for (int i = 0; i < input.length; i++) {
            input[i] = (i % 7) - 3;
        }
        input[side + 1] = 2;
        int[] images = {0};
        TargetScores onePixel = (inputs, n) -> {
            images[0] += n;
            float[] scores = new float[n];
            for (int k = 0; k < n; k++) {
                scores[k] = inputs[k * input.length + side + 1];
            }
            return scores;
        };
        float[] map = occlusion(new Occlusion(2, 1, Baseline.zero()), input, 2, onePixel, side, side,
                4);
        float[] expected = {
                2, 2, 1, 0,
                2, 2, 1, 0,
                1, 1, 0.5f, 0,
                0, 0, 0, 0};
        assertArrayEquals(expected, map, 0);
        assertEquals(9, images[0], "one forward pass per window, none at the input (the first pass scored it)");
    }

    /**
     * A 5x5 input, window 2, stride 2: windows start at 0, 2 and 4 down and across (Captum's 1 + ceil((5 - 2) / 2)),
     * the last cut off by the edge. The model sums channel 0, which is 1 everywhere, so a window costs the pixels it
     * hides, and each pixel is hidden by exactly one window: its attribution is that window's area.
     */
    @Test
    void windowsCutOffByTheEdgeCountOnlyThePixelsTheyHide() {
        int side = 5;
        float[] input = new float[3 * side * side];
        Arrays.fill(input, 0, side * side, 1);
        TargetScores sum = (inputs, n) -> {
            float[] scores = new float[n];
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < side * side; j++) {
                    scores[k] += inputs[k * input.length + j];
                }
            }
            return scores;
        };
        Occlusion method = Method.occlusion(2, 2);
        assertEquals(9, method.windows(Workload.of(side, side)));
        float[] map = occlusion(method, input, side * side, sum, side, side, 16);
        float[] expected = {
                4, 4, 4, 4, 2,
                4, 4, 4, 4, 2,
                4, 4, 4, 4, 2,
                4, 4, 4, 4, 2,
                2, 2, 2, 2, 1};
        assertArrayEquals(expected, map, 0);
    }

    @Test
    void theMapDoesNotDependOnTheBatch() {
        int height = 9;
        int width = 7;
        float[] input = new float[3 * height * width];
        Random random = new Random(3);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
        TargetScores squares = (inputs, n) -> {
            float[] scores = new float[n];
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < input.length; j++) {
                    scores[k] += inputs[k * input.length + j] * inputs[k * input.length + j] * (j % 5);
                }
            }
            return scores;
        };
        Occlusion method = Method.occlusion(3, 2);
        float score = squares.scores(input, 1)[0];
        assertArrayEquals(occlusion(method, input, score, squares, height, width, 1),
                occlusion(method, input, score, squares, height, width, 16));
    }

    @Test
    void aWindowLargerThanTheInputOrAStrideLargerThanTheWindowIsRefusedByName() {
        SaliencyException window = assertThrows(SaliencyException.class,
                () -> Method.occlusion(16, 8).passes(Workload.of(12, 32)));
        assertEquals("window", window.input());
        assertTrue(window.problem().contains("larger than the 12x32 input"), window.problem());
        SaliencyException stride = assertThrows(SaliencyException.class, () -> Method.occlusion(4, 5));
        assertEquals("stride", stride.input());
        assertEquals("window", assertThrows(SaliencyException.class, () -> Method.occlusion(0, 1)).input());
        // Captum's count: 1 + ceil((224 - 16) / 8) = 27 positions a side.
        assertEquals(1 + 27 * 27, Method.occlusion(16, 8).passes(Workload.of(224, 224)));
    }

    /** Occlusion at {@code input}, whose score is {@code score}, behind the zero baseline. */
    static float[] occlusion(Occlusion method, float[] input, float score, TargetScores model, int height, int width,
                             int batch) {
        int plane = 3 * height * width;
        Attributions attributions = new Attributions(null, null, model, null, null, height, width, batch);
        return attributions.attribute(method, new Attributions.Input(input, score, new float[plane], null,
                new float[plane])).values();
    }
}
