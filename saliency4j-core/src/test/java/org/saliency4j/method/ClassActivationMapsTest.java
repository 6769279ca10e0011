package org.saliency4j.method;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.FloatBuffer;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/** Grad-CAM's weights and map on values worked out by hand, and its upsampling against OpenCV's. */
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
