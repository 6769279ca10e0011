package org.saliency4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rollouts' algebra on two blocks of two heads over five tokens (a class token and a 2 x 2 patch grid), worked
 * by hand, and on random blocks against the whole matrix product written out here; the order of the product is
 * checked by examples whose reversed product differs.
 */
class RolloutTest {
    private static final int T = 5;

    /** Both heads' matrices, each (T, T), as one image's (heads, T, T) values. */
    private static float[] heads(double[][]... matrices) {
        float[] out = new float[matrices.length * T * T];
        for (int h = 0; h < matrices.length; h++) {
            for (int i = 0; i < T; i++) {
                for (int j = 0; j < T; j++) {
                    out[(h * T + i) * T + j] = (float) matrices[h][i][j];
                }
            }
        }
        return out;
    }

    private static double[][] identity() {
        double[][] m = new double[T][T];
        for (int i = 0; i < T; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    /** Every token attends to token 1 only. */
    private static double[][] toToken1() {
        double[][] m = new double[T][T];
        for (int i = 0; i < T; i++) {
            m[i][1] = 1;
        }
        return m;
    }

    private static double[][] uniform() {
        double[][] m = new double[T][T];
        for (double[] row : m) {
            java.util.Arrays.fill(row, 1.0 / T);
        }
        return m;
    }

    private static double[][] filled(double value) {
        double[][] m = new double[T][T];
        for (double[] row : m) {
            java.util.Arrays.fill(row, value);
        }
        return m;
    }

    private static TappedLayers.Layer layer(String name, float[] probabilities, float[] gradients) {
        return new TappedLayers.Layer(name, new int[]{1, probabilities.length / (T * T), T, T}, probabilities,
                gradients);
    }

    private static TappedLayers blocks(TappedLayers.Layer... layers) {
        return new TappedLayers(new int[]{0}, new float[]{0}, List.of(layers));
    }

    /**
     * Block 1: heads I and "all to token 1" (E), mean 0.5 I + 0.5 E, so A'_1 = 0.75 I + 0.25 E. Block 2: both heads
     * uniform (U), A'_2 = 0.5 U + 0.5 I. R = A'_2 A'_1 = 0.375 U + 0.375 I + 0.25 E (U E = E), whose class-token row
     * is [0.45, 0.325, 0.075, 0.075, 0.075]: the patches get [0.325, 0.075, 0.075, 0.075]. The reversed product,
     * A'_1 A'_2, would give [0.225, 0.1, 0.1, 0.1].
     */
    @Test
    void attentionRolloutMultipliesTheBlocksLastOnTheLeft() {
        TappedLayers b = blocks(layer("b1", heads(identity(), toToken1()), null),
                layer("b2", heads(uniform(), uniform()), null));
        ClassActivationMaps.Coarse map = Rollout.attention(b, 0, HeadFusion.MEAN);
        assertEquals(2, map.height());
        assertEquals(2, map.width());
        assertArrayEquals(new float[]{0.325f, 0.075f, 0.075f, 0.075f}, map.values(), 1e-6f);
    }

    /**
     * The heads' maximum in block 1 is I + E without their shared (1, 1) entry: row 0 is [1, 1, 0, 0, 0], so with
     * the residual and renormalised, [2/3, 1/3, 0, 0, 0]; row 1 is e_1; rows 2 to 4 are (e_1 + 2 e_i) / 3. Block 2
     * gives the class token [0.6, 0.1, 0.1, 0.1, 0.1], times A'_1: [0.4, 0.4, 1/15, 1/15, 1/15].
     */
    @Test
    void theMaximumOverHeadsIsFusedBeforeTheResidual() {
        TappedLayers b = blocks(layer("b1", heads(identity(), toToken1()), null),
                layer("b2", heads(uniform(), uniform()), null));
        assertArrayEquals(new float[]{0.4f, 1f / 15, 1f / 15, 1f / 15},
                Rollout.attention(b, 0, HeadFusion.MAX).values(), 1e-6f);
    }

    /**
     * Block 1: heads E with gradient 2 and I with gradient -1: mean (2 E, 0) = E. Block 2: uniform heads, one with
     * gradient 5 at (0, 2) only, one with gradient -3: mean (5 x 0.2 at (0, 2), 0) = 0.5 e_0 e_2^T. From R = I:
     * R = I + E, then R + Ā_2 R = I + E + 0.5 e_0 e_2^T + 0.5 e_0 e_1^T, whose row 0 is [1, 1.5, 0.5, 0, 0]: the
     * patches get [1.5, 0.5, 0, 0]. The reversed order would give [1, 0.5, 0, 0].
     */
    @Test
    void gradientRolloutAddsEachBlocksPositiveGradientTimesAttention() {
        double[][] atOneEntry = new double[T][T];
        atOneEntry[0][2] = 5;
        TappedLayers b = blocks(layer("b1", heads(toToken1(), identity()), heads(filled(2), filled(-1))),
                layer("b2", heads(uniform(), uniform()), heads(atOneEntry, filled(-3))));
        assertArrayEquals(new float[]{1.5f, 0.5f, 0, 0}, Rollout.gradientWeighted(b, 0).values(), 1e-6f);
    }

    /** Random row-stochastic blocks and gradients for two images; the second image's map from the full products. */
    @Test
    void bothRolloutsEqualTheClassTokensRowOfTheWholeProduct() {
        Random random = new Random(7);
        int heads = 3;
        int blocks = 4;
        int images = 2;
        List<TappedLayers.Layer> layers = new java.util.ArrayList<>();
        for (int l = 0; l < blocks; l++) {
            float[] a = new float[images * heads * T * T];
            float[] g = new float[a.length];
            for (int row = 0; row < images * heads * T; row++) {
                double sum = 0;
                for (int j = 0; j < T; j++) {
                    a[row * T + j] = random.nextFloat();
                    sum += a[row * T + j];
                }
                for (int j = 0; j < T; j++) {
                    a[row * T + j] /= (float) sum;
                    g[row * T + j] = (float) random.nextGaussian();
                }
            }
            layers.add(new TappedLayers.Layer("b" + l, new int[]{images, heads, T, T}, a, g));
        }
        TappedLayers b = new TappedLayers(new int[images], new float[images], layers);
        List<double[]> probabilities = new java.util.ArrayList<>();
        List<double[]> gradients = new java.util.ArrayList<>();
        for (TappedLayers.Layer layer : layers) {
            probabilities.add(secondImage(layer.values(), heads));
            gradients.add(secondImage(layer.gradients(), heads));
        }
        assertArrayEquals(WholeProducts.attentionRollout(probabilities, heads, T),
                Rollout.attention(b, 1, HeadFusion.MEAN).values(), 1e-5f);
        assertArrayEquals(WholeProducts.gradientRollout(probabilities, gradients, heads, T),
                Rollout.gradientWeighted(b, 1).values(), 1e-5f);
    }

    private static double[] secondImage(float[] values, int heads) {
        double[] out = new double[heads * T * T];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[out.length + i];
        }
        return out;
    }
}
