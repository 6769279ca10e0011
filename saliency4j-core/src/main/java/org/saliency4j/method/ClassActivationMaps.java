package org.saliency4j.method;

import java.util.Arrays;

/**
 * Grad-CAM and Grad-CAM++ from a layer's output A and the gradient G of the score w.r.t. it, per image:
 * {@code ReLU(sum_k w_k A_k)}, upsampled bilinearly to the input. Grad-CAM's weights are the spatial means of G
 * (Selvaraju et al., 2017); Grad-CAM++'s are {@code sum_ij a_ij ReLU(G_ij)} with
 * {@code a = G^2 / (2 G^2 + sum_ij(A) G^3 + 1e-6)}, the closed form of Chattopadhay et al. (2018) for an
 * exponential score, written as pytorch-grad-cam writes it.
 */
final class ClassActivationMaps {
    private static final double PLUS_PLUS_EPSILON = 1e-6;

    private ClassActivationMaps() {
    }

    /** One image's map at the layer's resolution, (height, width), from the layer's output and gradient. */
    @FunctionalInterface
    interface Rule {
        float[] map(LayerBatch batch, int image);
    }

    /**
     * Maps of n inputs by {@code rule}, upsampled to the input's size, (n, H, W), their layers computed
     * {@link Context#batch} inputs at a time, or taken from {@code known} (the first pass's, at the explained
     * input).
     */
    static float[] at(float[] inputs, int n, Rule rule, LayerBatch known, Context context) {
        int pixels = context.height * context.width;
        float[] out = new float[n * pixels];
        for (int first = 0; first < n; first += context.batch) {
            int count = Math.min(context.batch, n - first);
            int plane = context.plane;
            LayerBatch batch = known != null ? known
                    : context.layer(Arrays.copyOfRange(inputs, first * plane, (first + count) * plane), count);
            for (int i = 0; i < count; i++) {
                float[] map = rule.map(batch, i);
                float[] up = upsample(map, batch.height(), batch.width(), context.height, context.width);
                System.arraycopy(up, 0, out, (first + i) * pixels, pixels);
            }
        }
        return out;
    }

    /** Grad-CAM's map of image {@code image} at the layer's resolution, (height, width). */
    static float[] gradCam(LayerBatch batch, int image) {
        return weighted(batch, image, false);
    }

    /** Grad-CAM++'s map of image {@code image} at the layer's resolution, (height, width). */
    static float[] gradCamPlusPlus(LayerBatch batch, int image) {
        return weighted(batch, image, true);
    }

    private static float[] weighted(LayerBatch batch, int image, boolean plusPlus) {
        int plane = batch.height() * batch.width();
        int offset = image * batch.channels() * plane;
        float[] a = batch.activations();
        float[] g = batch.gradients();
        double[] map = new double[plane];
        for (int k = 0; k < batch.channels(); k++) {
            int base = offset + k * plane;
            double weight = plusPlus ? plusPlusWeight(a, g, base, plane) : mean(g, base, plane);
            for (int j = 0; j < plane; j++) {
                map[j] += weight * a[base + j];
            }
        }
        float[] out = new float[plane];
        for (int j = 0; j < plane; j++) {
            out[j] = (float) Math.max(0, map[j]);
        }
        return out;
    }

    /**
     * Bilinear resampling with pixel centres aligned (PyTorch's {@code align_corners=False}, OpenCV's
     * {@code INTER_LINEAR}): output pixel x samples the input at {@code (x + 0.5) * in / out - 0.5}, clamped.
     */
    static float[] upsample(float[] map, int height, int width, int toHeight, int toWidth) {
        float[] out = new float[toHeight * toWidth];
        for (int y = 0; y < toHeight; y++) {
            double sy = Math.max(0, (y + 0.5) * height / toHeight - 0.5);
            int y0 = Math.min((int) sy, height - 1);
            int y1 = Math.min(y0 + 1, height - 1);
            double fy = sy - y0;
            for (int x = 0; x < toWidth; x++) {
                double sx = Math.max(0, (x + 0.5) * width / toWidth - 0.5);
                int x0 = Math.min((int) sx, width - 1);
                int x1 = Math.min(x0 + 1, width - 1);
                double fx = sx - x0;
                double top = map[y0 * width + x0] * (1 - fx) + map[y0 * width + x1] * fx;
                double bottom = map[y1 * width + x0] * (1 - fx) + map[y1 * width + x1] * fx;
                out[y * toWidth + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }

    private static double mean(float[] g, int base, int plane) {
        double sum = 0;
        for (int j = 0; j < plane; j++) {
            sum += g[base + j];
        }
        return sum / plane;
    }

    private static double plusPlusWeight(float[] a, float[] g, int base, int plane) {
        double activationSum = 0;
        for (int j = 0; j < plane; j++) {
            activationSum += a[base + j];
        }
        double weight = 0;
        for (int j = 0; j < plane; j++) {
            double grad = g[base + j];
            double square = grad * grad;
            double alpha = square / (2 * square + activationSum * square * grad + PLUS_PLUS_EPSILON);
            weight += alpha * Math.max(0, grad);
        }
        return weight;
    }
}
