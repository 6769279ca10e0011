package org.saliency4j.eval;

import java.util.SplittableRandom;
import org.saliency4j.Picture;

/**
 * Maps that know nothing of the model, against which a method's figures read: uniformly random values, and the
 * edges of the image (Adebayo et al., 2018, show that an edge detector passes many visual tests of saliency).
 */
final class ReferenceMaps {
    private ReferenceMaps() {
    }

    /** {@code pixels} values uniform in [0, 1), from {@code seed}. */
    static float[] random(int pixels, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] map = new float[pixels];
        for (int i = 0; i < pixels; i++) {
            map[i] = (float) random.nextDouble();
        }
        return map;
    }

    /**
     * The magnitude of the Sobel gradient of the image's luminance (ITU-R BT.601 weights, as OpenCV's RGB to grey),
     * sqrt(gx^2 + gy^2) with the 3x3 kernels, the border reflected without repeating its pixel (OpenCV's default,
     * BORDER_REFLECT_101). Forty lines of arithmetic on one small image do not need OpenCV's native calls.
     */
    static float[] sobel(Picture image) {
        int width = image.width();
        int height = image.height();
        double[] luma = new double[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                luma[y * width + x] = 0.299 * image.channel(x, y, 0) + 0.587 * image.channel(x, y, 1)
                        + 0.114 * image.channel(x, y, 2);
            }
        }
        float[] map = new float[width * height];
        for (int y = 0; y < height; y++) {
            int up = reflect(y - 1, height) * width;
            int row = y * width;
            int down = reflect(y + 1, height) * width;
            for (int x = 0; x < width; x++) {
                int left = reflect(x - 1, width);
                int right = reflect(x + 1, width);
                double gx = (luma[up + right] + 2 * luma[row + right] + luma[down + right])
                        - (luma[up + left] + 2 * luma[row + left] + luma[down + left]);
                double gy = (luma[down + left] + 2 * luma[down + x] + luma[down + right])
                        - (luma[up + left] + 2 * luma[up + x] + luma[up + right]);
                map[row + x] = (float) Math.sqrt(gx * gx + gy * gy);
            }
        }
        return map;
    }

    /** Index {@code i} reflected into [0, n) about the border pixels, which are not repeated: -1 is 1, n is n - 2. */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        return i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
    }
}
