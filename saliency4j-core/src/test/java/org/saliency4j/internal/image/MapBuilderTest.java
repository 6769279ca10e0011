package org.saliency4j.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.saliency4j.Normalization;
import org.saliency4j.Reduction;
import org.saliency4j.SaliencyMap;

/** Each reduction and normalisation against the formula written out per pixel. */
class MapBuilderTest {
    private static final int H = 7;
    private static final int W = 9;
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    private static final float[] GRADIENT = gradient();

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void reductionsMatchTheirFormulas(Reduction reduction) {
        SaliencyMap map = MapBuilder.build(GRADIENT, H, W, reduction, Normalization.none(), MEAN, STD);
        double[] expected = new double[H * W];
        for (int i = 0; i < H * W; i++) {
            double a = GRADIENT[i];
            double b = GRADIENT[H * W + i];
            double c = GRADIENT[2 * H * W + i];
            expected[i] = switch (reduction) {
                case SUM -> a + b + c;
                case ABS_SUM -> Math.abs(a) + Math.abs(b) + Math.abs(c);
                case ABS_MAX -> Math.max(Math.abs(a), Math.max(Math.abs(b), Math.abs(c)));
                case L2 -> Math.sqrt(a * a + b * b + c * c);
                case SEED -> a * STD[0] + MEAN[0] + b * STD[1] + MEAN[1] + c * STD[2] + MEAN[2];
            };
        }
        if (reduction == Reduction.SEED) {
            expected = minMax(expected);
        }
        // seed adds the mean (about 0.5 a channel) to gradients of about 1e-3 in float32, as the tutorial does,
        // so after min-max its values carry only about four significant digits.
        double tolerance = reduction == Reduction.SEED ? 1e-3 : 1e-5;
        for (int i = 0; i < H * W; i++) {
            assertEquals(expected[i], map.toArray()[i], tolerance * Math.max(1, Math.abs(expected[i])), "pixel " + i);
        }
    }

    @Test
    void minMaxSpansZeroToOne() {
        SaliencyMap map = MapBuilder.build(GRADIENT, H, W, Reduction.SUM, Normalization.minMax(), MEAN, STD);
        double[] raw = new double[H * W];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = GRADIENT[i] + GRADIENT[H * W + i] + GRADIENT[2 * H * W + i];
        }
        double[] expected = minMax(raw);
        for (int i = 0; i < raw.length; i++) {
            assertEquals(expected[i], map.toArray()[i], 1e-6);
        }
    }

    @Test
    void percentileClipsAsPairSaliencyDoes() {
        // One channel holds 1..63 (abs-sum of the others is 0): vmin = 1, vmax = numpy.percentile(v, 90).
        float[] g = new float[3 * H * W];
        for (int i = 0; i < H * W; i++) {
            g[i] = i + 1;
        }
        SaliencyMap map = MapBuilder.build(g, H, W, Reduction.ABS_SUM, Normalization.percentile(90), MEAN, STD);
        double vmax = 1 + 0.9 * 62;   // numpy: linear interpolation at rank 0.9 * (n - 1)
        for (int i = 0; i < H * W; i++) {
            double expected = Math.min(1, Math.max(0, (i + 1 - 1) / (vmax - 1)));
            assertEquals(expected, map.toArray()[i], 1e-6, "pixel " + i);
        }
    }

    @Test
    void percentileInterpolatesLikeNumpy() {
        float[] values = {5, 1, 4, 2, 3};
        assertEquals(3.0, Quantiles.percentile(values, 50), 1e-12);
        assertEquals(4.96, Quantiles.percentile(values, 99), 1e-6);
        assertEquals(5.0, Quantiles.percentile(values, 100), 1e-12);
    }

    @Test
    void aConstantMapNormalisesToZerosNotNaN() {
        float[] g = new float[3 * H * W];
        Arrays.fill(g, 0.5f);
        for (Normalization n : new Normalization[]{Normalization.minMax(), Normalization.percentile(99)}) {
            SaliencyMap map = MapBuilder.build(g, H, W, Reduction.ABS_MAX, n, MEAN, STD);
            for (float v : map.toArray()) {
                assertEquals(0f, v);
            }
        }
    }

    private static double[] minMax(double[] values) {
        double lo = Arrays.stream(values).min().orElseThrow();
        double hi = Arrays.stream(values).max().orElseThrow();
        return Arrays.stream(values).map(v -> (v - lo) / (hi - lo)).toArray();
    }

    private static float[] gradient() {
        Random random = new Random(42);
        float[] g = new float[3 * H * W];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (random.nextGaussian() * 1e-3);
        }
        return g;
    }
}
