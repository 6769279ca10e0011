package org.saliency4j.method;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/** The class activation maps' rules on values worked out by hand, and their upsampling against OpenCV's. */
class ClassActivationMapsTest {

    @Test
    void gradCamWeighsChannelsByTheirMeanGradientAndKeepsThePositivePart() {
        // Two channels on a 1x2 plane: weights mean([1, 3]) = 2 and mean([-1, -1]) = -1.
        LayerBatch b = new LayerBatch("l", 2, 1, 2, new int[]{0}, new float[]{0},
                new float[]{1, 2, 4, 1}, new float[]{1, 3, -1, -1});
        // 2 * [1, 2] - 1 * [4, 1] = [-2, 3] -> ReLU -> [0, 3]
        assertArrayEquals(new float[]{0, 3}, ClassActivationMaps.gradCam(b, 0), 1e-6f);
    }

    @Test
    void gradCamPlusPlusFollowsItsClosedForm() {
        // One channel, A = [1, 3] (sum 4), G = [0.5, -0.5]: a = 0.25 / (0.5 + 4 * (+-0.125) + 1e-6) at each
        // position; only the positive gradient counts: w = a_0 * 0.5 = 0.25 / (1 + 1e-6) * 0.5.
        LayerBatch b = new LayerBatch("l", 1, 1, 2, new int[]{0}, new float[]{0},
                new float[]{1, 3}, new float[]{0.5f, -0.5f});
        double w = 0.25 / (1 + 1e-6) * 0.5;
        assertArrayEquals(new float[]{(float) w, (float) (3 * w)}, ClassActivationMaps.gradCamPlusPlus(b, 0), 1e-6f);
    }

    @Test
    void xGradCamWeighsChannelsByGradientTimesOutputOverTheOutputsSum() {
        // Same layer as above: w_0 = (1*1 + 3*2) / (1 + 2) = 7/3, w_1 = (-1*4 - 1*1) / (4 + 1) = -1.
        LayerBatch b = new LayerBatch("l", 2, 1, 2, new int[]{0}, new float[]{0},
                new float[]{1, 2, 4, 1}, new float[]{1, 3, -1, -1});
        // 7/3 * [1, 2] - [4, 1] = [-5/3, 11/3] -> ReLU -> [0, 11/3]
        assertArrayEquals(new float[]{0, 11f / 3}, ClassActivationMaps.xGradCam(b, 0), 1e-6f);
    }

    @Test
    void hiResCamAndLayerCamWeighEachPositionByItsOwnGradient() {
        LayerBatch b = new LayerBatch("l", 2, 1, 2, new int[]{0}, new float[]{0},
                new float[]{1, 2, 4, 1}, new float[]{1, 3, -1, -1});
        // HiResCAM: [1*1 - 1*4, 3*2 - 1*1] = [-3, 5] -> [0, 5]; LayerCAM drops the negative gradients: [1, 6].
        assertArrayEquals(new float[]{0, 5}, ClassActivationMaps.hiResCam(b, 0), 1e-6f);
        assertArrayEquals(new float[]{1, 6}, ClassActivationMaps.layerCam(b, 0), 1e-6f);
    }

    /**
     * Rank-one activations {@code A_k(j) = a_k b_j}: centred per channel they are {@code a (b - mean b)}, whose
     * first principal direction is {@code a / |a|}, so the positions' scores are {@code |a| (b - mean b)}, signed to
     * agree with the channel sum {@code b sum(a)}. Both sides of the Gram matrix: more positions than channels, and
     * more channels than positions.
     */
    @Test
    void eigenCamIsTheFirstPrincipalComponentOfRankOneActivations() {
        // a = [3, 4] (|a| = 5), b = [1, 2, 6] (mean 3): 5 * [-2, -1, 3] -> ReLU -> [0, 0, 15]
        assertArrayEquals(new float[]{0, 0, 15}, ClassActivationMaps.eigenCam(rankOne(new float[]{3, 4},
                new float[]{1, 2, 6}), 0), 1e-4f);
        // a = [1, 2, 2, 4] (|a| = 5), b = [1, 3] (mean 2): 5 * [-1, 1] -> [0, 5]
        assertArrayEquals(new float[]{0, 5}, ClassActivationMaps.eigenCam(rankOne(new float[]{1, 2, 2, 4},
                new float[]{1, 3}), 0), 1e-4f);
        // a = [-3, -4]: the channel sum is -7 b, so the direction flips: -5 * [-2, -1, 3] -> [10, 5, 0]
        assertArrayEquals(new float[]{10, 5, 0}, ClassActivationMaps.eigenCam(rankOne(new float[]{-3, -4},
                new float[]{1, 2, 6}), 0), 1e-4f);
    }

    /** Points along d = (0.6, 0.8) at -3 and 3 and across it at -1 and 1: the first component is d, scores +-t. */
    @Test
    void thePrincipalComponentOfTwoUncorrelatedDirectionsIsTheWiderOne() {
        double[] t = {3, -3, 0, 0};
        double[] across = {0, 0, 1, -1};
        double[][] data = new double[2][4];
        for (int j = 0; j < 4; j++) {
            data[0][j] = 0.6 * t[j] - 0.8 * across[j];
            data[1][j] = 0.8 * t[j] + 0.6 * across[j];
        }
        double[] scores = PrincipalComponent.scores(data, 4);
        double sign = Math.signum(scores[0]);
        for (int j = 0; j < 4; j++) {
            assertEquals(t[j], sign * scores[j], 1e-9);
        }
    }

    @Test
    void eigenCamOfConstantActivationsIsZeroNotNaN() {
        LayerBatch b = new LayerBatch("l", 2, 1, 3, new int[]{0}, new float[]{0},
                new float[]{2, 2, 2, 5, 5, 5}, new float[6]);
        assertArrayEquals(new float[3], ClassActivationMaps.eigenCam(b, 0), 0f);
    }

    /** Its Gram matrix is the square of the fewer of channels and positions: past the cap, refused before it. */
    @Test
    void eigenCamRefusesALayerPastItsCapNamingTheLayer() {
        int side = ClassActivationMaps.MAX_EIGEN_SIDE + 1;
        LayerBatch wide = new LayerBatch("features.huge", side, 1, side, new int[]{0}, new float[]{0},
                new float[side * side], new float[side * side]);
        org.saliency4j.SaliencyException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.saliency4j.SaliencyException.class, () -> ClassActivationMaps.eigenCam(wide, 0));
        assertEquals("layer", e.input());
        org.junit.jupiter.api.Assertions.assertTrue(e.problem().contains("features.huge"), e.problem());
    }

    private static LayerBatch rankOne(float[] a, float[] b) {
        float[] activations = new float[a.length * b.length];
        for (int k = 0; k < a.length; k++) {
            for (int j = 0; j < b.length; j++) {
                activations[k * b.length + j] = a[k] * b[j];
            }
        }
        return new LayerBatch("l", a.length, 1, b.length, new int[]{0}, new float[]{0}, activations,
                new float[activations.length]);
    }

    @Test
    void secondImageOfABatchReadsItsOwnValues() {
        LayerBatch b = new LayerBatch("l", 1, 1, 1, new int[]{0, 0}, new float[]{0, 0},
                new float[]{5, 7}, new float[]{1, 2});
        assertArrayEquals(new float[]{14}, ClassActivationMaps.gradCam(b, 1), 1e-6f);
    }

    @Test
    void upsamplingEqualsOpenCvBilinear() {
        int[][] cases = {{7, 7, 224, 224}, {3, 5, 17, 11}, {1, 4, 6, 9}, {8, 8, 8, 8}};
        Random random = new Random(11);
        for (int[] c : cases) {
            float[] map = new float[c[0] * c[1]];
            for (int i = 0; i < map.length; i++) {
                map[i] = random.nextFloat();
            }
            assertArrayEquals(openCv(map, c[0], c[1], c[2], c[3]),
                    ClassActivationMaps.upsample(map, c[0], c[1], c[2], c[3]), 1e-5f, java.util.Arrays.toString(c));
        }
    }

    private static float[] openCv(float[] map, int h, int w, int toH, int toW) {
        try (PointerScope scope = new PointerScope()) {
            Mat in = new Mat(h, w, opencv_core.CV_32F, new FloatPointer(map));
            Mat out = new Mat();
            resize(in, out, new Size(toW, toH), 0, 0, INTER_LINEAR);
            float[] values = new float[toH * toW];
            FloatBuffer buffer = out.createBuffer();
            buffer.get(values);
            return values;
        }
    }
}
