package org.saliency4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saliency4j.Baseline;

/**
 * RISE against the paper's code (its masks' upsampling, from scikit-image), against its own estimator computed from
 * what the model was shown, and against its expectation worked out exactly for a linear model.
 */
class RiseTest {

    /** rise-upsampling.txt, written by rise-upsampling.py beside it with scikit-image, as the paper's code resizes. */
    @Test
    void masksAreTheGridResizedAsThePapersCodeResizesItThenCropped() throws IOException {
        int cases = 0;
        for (UpsamplingCase c : upsamplingCases()) {
            int cell = (c.side + c.cells - 1) / c.cells;
            RiseMasks masks = new RiseMasks(new Rise(1, c.cells, 0.5, Baseline.zero(), 0), c.side, c.side);
            for (int down = 0; down < cell; down++) {
                for (int across = 0; across < cell; across++) {
                    float[] crop = masks.crop(c.grid, down, across);
                    for (int y = 0; y < c.side; y++) {
                        for (int x = 0; x < c.side; x++) {
                            assertEquals(c.values[(y + down) * c.upsampled + x + across], crop[y * c.side + x], 1e-6,
                                    c.cells + " cells, side " + c.side + ", shift " + down + "," + across);
                        }
                    }
                }
            }
            cases++;
        }
        assertEquals(8, cases);
    }

    /**
     * The model is shown input x mask + baseline x (1 - mask) for each mask (the input's channel 0 is 1 and the
     * baseline's 0, so that channel is the mask itself), and the map is the sum of score x mask over N p: computed
     * here from what the model was shown, whatever the masks are. The masks average p.
     */
    @Test
    void theMapIsTheScoreWeightedSumOfTheMasksTheModelWasShown() {
        int side = 12;
        int plane = side * side;
        Random random = new Random(4);
        float[] input = new float[3 * plane];
        float[] baseline = new float[3 * plane];
        for (int i = plane; i < 3 * plane; i++) {
            input[i] = (float) random.nextGaussian();
            baseline[i] = (float) random.nextGaussian();
        }
        Arrays.fill(input, 0, plane, 1);
        List<float[]> shown = new ArrayList<>();
        List<Float> scored = new ArrayList<>();
        TargetScores model = (inputs, n) -> {
            float[] scores = new float[n];
            for (int k = 0; k < n; k++) {
                float[] one = Arrays.copyOfRange(inputs, k * 3 * plane, (k + 1) * 3 * plane);
                for (int j = 0; j < one.length; j++) {
                    scores[k] += (float) Math.sin(one[j] * (j % 11));
                }
                // Passes may run on several threads at once (pass threads): each mask and its score together.
                synchronized (shown) {
                    shown.add(one);
                    scored.add(scores[k]);
                }
            }
            return scores;
        };
        Rise method = new Rise(300, 5, 0.3, Baseline.zero(), 9);
        float[] map = rise(method, input, baseline, model, side, 64);
        assertEquals(300, shown.size());
        double[] expected = new double[plane];
        double kept = 0;
        for (int m = 0; m < shown.size(); m++) {
            float[] one = shown.get(m);
            float score = scored.get(m);
            for (int j = 0; j < plane; j++) {
                float mask = one[j];
                assertTrue(mask >= 0 && mask <= 1, "a mask is in [0, 1]: " + mask);
                for (int c = 1; c < 3; c++) {
                    int at = c * plane + j;
                    assertEquals(input[at] * mask + baseline[at] * (1 - mask), one[at], 1e-6);
                }
                expected[j] += (double) score * mask;
                kept += mask;
            }
        }
        for (int j = 0; j < plane; j++) {
            assertEquals(expected[j] / (300 * 0.3), map[j], 1e-4 * Math.max(1, Math.abs(map[j])));
        }
        // Each mask value averages p; 300 x 144 values, far from independent, but 0.02 is many deviations.
        assertEquals(0.3, kept / (300.0 * plane), 0.02);
    }

    @Test
    void theMapIsRepeatableAndTheSameBitForBitWhateverTheBatch() {
        int side = 10;
        Random random = new Random(5);
        float[] input = new float[3 * side * side];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
        TargetScores model = (inputs, n) -> {
            float[] scores = new float[n];
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < input.length; j++) {
                    scores[k] += inputs[k * input.length + j] * (j % 3 - 1);
                }
            }
            return scores;
        };
        float[] zero = new float[input.length];
        Rise method = new Rise(100, 7, 0.5, Baseline.zero(), 42);
        float[] one = rise(method, input, zero, model, side, 1);
        assertArrayEquals(one, rise(method, input, zero, model, side, 16));
        assertArrayEquals(one, rise(method, input, zero, model, side, 100));
        assertFalse(Arrays.equals(one, rise(new Rise(100, 7, 0.5, Baseline.zero(), 43), input, zero, model, side, 16)),
                "another seed, other masks");
    }

    /**
     * For a model linear in its input, f = sum_j a_j x_j, shown x M + B (1 - M): E[f M(l)] / p = f(B) + sum_j
     * a_j (x_j - B_j) E[M(l) M(j)] / p. The grid's cells are independent, kept with probability p, and a mask value
     * is the cells' values weighted by u (weights summing to 1, from the upsampling checked against the paper's code
     * above) at a shift uniform over the cell: E[M(l) M(j)] = p^2 + p (1 - p) E_shift[sum_c u_lc u_jc]. The model
     * here is the mean of channel 0 over one 4x4 block, input 1 and baseline 0, so each score is in [0, 1] and
     * score x mask / p has variance at most E[f] / p^2 = 1 / p: the map is within 5 / sqrt(N p) of its expectation.
     */
    @Test
    void theMapConvergesToItsExpectationForALinearModel() {
        int side = 16;
        int plane = side * side;
        int cells = 4;
        int cell = (side + cells - 1) / cells;
        double p = 0.5;
        int masks = 10_000;
        float[] weights = new float[plane];
        for (int y = 4; y < 8; y++) {
            for (int x = 8; x < 12; x++) {
                weights[y * side + x] = 1 / 16f;
            }
        }
        TargetScores blockMean = (inputs, n) -> {
            float[] scores = new float[n];
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < plane; j++) {
                    scores[k] += weights[j] * inputs[k * 3 * plane + j];
                }
            }
            return scores;
        };
        float[] input = new float[3 * plane];
        Arrays.fill(input, 0, plane, 1);
        Rise method = new Rise(masks, cells, p, Baseline.zero(), 7);
        float[] map = rise(method, input, new float[3 * plane], blockMean, side, 256);

        // E_shift[sum_c u_lc u_jc], the weights u of each cell c being the mask of the grid with c alone kept.
        RiseMasks upsampling = new RiseMasks(method, side, side);
        double[] expected = new double[plane];
        for (int down = 0; down < cell; down++) {
            for (int across = 0; across < cell; across++) {
                for (int c = 0; c < cells * cells; c++) {
                    boolean[] alone = new boolean[cells * cells];
                    alone[c] = true;
                    float[] u = upsampling.crop(alone, down, across);
                    double blockWeight = 0;
                    for (int j = 0; j < plane; j++) {
                        blockWeight += weights[j] * u[j];
                    }
                    for (int l = 0; l < plane; l++) {
                        expected[l] += (1 - p) * u[l] * blockWeight / (cell * cell);
                    }
                }
            }
        }
        double tolerance = 5 / Math.sqrt(masks * p);
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < plane; l++) {
            expected[l] += p;   // sum_j a_j (x_j - B_j) p, with f(B) = 0 and the weights summing to 1
            assertEquals(expected[l], map[l], tolerance, "pixel " + l);
            low = Math.min(low, expected[l]);
            high = Math.max(high, expected[l]);
        }
        assertTrue(high - low > 2 * tolerance, "the expectation varies by more than the tolerance: " + low + " to "
                + high + ", tolerance " + tolerance);
    }

    /** RISE at {@code input}, hiding behind {@code baseline}. */
    private static float[] rise(Rise method, float[] input, float[] baseline, TargetScores model, int side, int batch) {
        Attributions attributions = new Attributions(null, null, model, null, null, side, side, batch);
        return attributions.attribute(method, new Attributions.Input(input, Float.NaN, new float[input.length], null,
                baseline)).values();
    }

    private record UpsamplingCase(int cells, int side, int upsampled, boolean[] grid, double[] values) {
    }

    private static List<UpsamplingCase> upsamplingCases() throws IOException {
        String text;
        try (InputStream in = RiseTest.class.getResourceAsStream("rise-upsampling.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        List<UpsamplingCase> cases = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("case ")) {
                String[] size = lines[i].split(" ");
                String[] grid = lines[i + 1].substring("grid ".length()).split(" ");
                String[] values = lines[i + 2].substring("values ".length()).split(" ");
                boolean[] kept = new boolean[grid.length];
                for (int c = 0; c < grid.length; c++) {
                    kept[c] = grid[c].equals("1");
                }
                cases.add(new UpsamplingCase(Integer.parseInt(size[1]), Integer.parseInt(size[2]),
                        Integer.parseInt(size[3]), kept, Arrays.stream(values).mapToDouble(Double::parseDouble)
                        .toArray()));
            }
        }
        return cases;
    }
}
