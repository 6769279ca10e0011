package org.saliency4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.ModelOptions;
import org.saliency4j.Score;
import org.saliency4j.explain.SaliencyModel;

/** Deletion and insertion curves on a model whose probability is a closed form of the pixels. */
class PixelCurvesTest {
    private static final int SIZE = 8;
    private static final int PIXELS = SIZE * SIZE;

    @TempDir
    static Path dir;
    private static LinearModel linear;
    private static SaliencyModel model;
    private static float[] input;

    @BeforeAll
    static void writeTheModel() {
        linear = LinearModel.write(dir.resolve("linear.pt"), SIZE, 3);
        model = SaliencyModel.load(dir.resolve("linear.pt"), ModelOptions.defaults().withDevice("cpu")
                .withInputSize(SIZE).withWarmupRuns(0));
        input = gaussian(3 * PIXELS, new Random(11));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static Scorer probability(int target) {
        return inputs -> model.scores(inputs, target, Score.PROBABILITY);
    }

    @Test
    void theDeletionCurveIsTheClosedFormAtEveryStep() {
        float[] baseline = new float[3 * PIXELS];
        int[] order = PixelOrder.mostRelevantFirst(gaussian(PIXELS, new Random(5)));
        // 5 pixels per step: 13 full steps and a last one of 4; chunks of 3 inputs cross the steps.
        Curve curve = PixelCurves.curve(probability(0), input, baseline, order, SIZE, SIZE, 5, 3);
        double[] fractions = curve.fractions();
        double[] scores = curve.scores();
        assertEquals(PixelCurves.points(PIXELS, 5), scores.length);
        float[] deleted = input.clone();
        for (int point = 0; point < scores.length; point++) {
            for (int i = Math.max(0, point - 1) * 5; i < Math.min(point * 5, PIXELS); i++) {
                for (int c = 0; c < 3; c++) {
                    deleted[c * PIXELS + order[i]] = 0;
                }
            }
            assertEquals(Math.min(point * 5, PIXELS) / (double) PIXELS, fractions[point], 1e-15);
            assertEquals(linear.probability(deleted), scores[point], 2e-6, "point " + point);
        }
        assertEquals(1.0, fractions[fractions.length - 1]);
        assertEquals(0.5, scores[scores.length - 1], 1e-7, "everything deleted: logits 0 and 0");
    }

    @Test
    void insertionRevealsTheInputFromTheBaseline() {
        float[] baseline = gaussian(3 * PIXELS, new Random(2));
        Curve curve = PixelCurves.curve(probability(1), baseline, input, PixelOrder.leastRelevantFirst(new float[PIXELS]), SIZE,
                SIZE, 64, 16);
        assertEquals(2, curve.scores().length);
        assertEquals(1 - linear.probability(baseline), curve.scores()[0], 2e-6);
        assertEquals(1 - linear.probability(input), curve.scores()[1], 2e-6);
    }

    @Test
    void theTrueAttributionsMostRelevantFirstBeatsItsLeastRelevantFirst() {
        // For a linear logit, deleting the largest contributions first leaves the smallest possible sum at every
        // step: no order can fall faster, none rises faster when inserting them first.
        int target = linear.logit(input) > 0 ? 0 : 1;
        float[] map = linear.contributions(input);
        if (target == 1) {
            for (int i = 0; i < map.length; i++) {
                map[i] = -map[i];
            }
        }
        float[] zero = new float[3 * PIXELS];
        Scorer p = probability(target);
        double morf = PixelCurves.curve(p, input, zero, PixelOrder.mostRelevantFirst(map), SIZE, SIZE, 4, 16).area();
        double lerf = PixelCurves.curve(p, input, zero, PixelOrder.leastRelevantFirst(map), SIZE, SIZE, 4, 16).area();
        double random = PixelCurves.curve(p, input, zero, PixelOrder.mostRelevantFirst(
                ReferenceMaps.random(PIXELS, 1)), SIZE, SIZE, 4, 16).area();
        assertTrue(morf < random && random < lerf, morf + " < " + random + " < " + lerf);
        double insertMorf = PixelCurves.curve(p, zero, input, PixelOrder.mostRelevantFirst(map), SIZE, SIZE, 4, 16)
                .area();
        double insertLerf = PixelCurves.curve(p, zero, input, PixelOrder.leastRelevantFirst(map), SIZE, SIZE, 4, 16)
                .area();
        assertTrue(insertMorf > insertLerf, insertMorf + " > " + insertLerf);
    }

    @Test
    void aRandomMapsDeletionCurveFollowsTheDiagonalInExpectation() {
        // With a score linear in the pixels, a random order deletes on average the same share of every pixel's
        // contribution: the mean curve is the straight line from f(input) to f(baseline).
        float[] weights = gaussian(3 * PIXELS, new Random(8));
        Scorer linearScore = inputs -> {
            float[] all = inputs.toArray();
            float[] out = new float[inputs.shape()[0]];
            for (int n = 0; n < out.length; n++) {
                double sum = 0;
                for (int i = 0; i < weights.length; i++) {
                    sum += weights[i] * all[n * weights.length + i];
                }
                out[n] = (float) sum;
            }
            return out;
        };
        float[] zero = new float[3 * PIXELS];
        int curves = 400;
        double[] mean = new double[PIXELS / 8 + 1];
        for (int seed = 0; seed < curves; seed++) {
            int[] order = PixelOrder.mostRelevantFirst(ReferenceMaps.random(PIXELS, seed));
            double[] scores = PixelCurves.curve(linearScore, input, zero, order, SIZE, SIZE, 8, 16).scores();
            for (int i = 0; i < mean.length; i++) {
                mean[i] += scores[i] / curves;
            }
        }
        double start = linearScore.scores(new org.saliency4j.FloatTensor(new int[]{1, 3, SIZE, SIZE}, input))[0];
        double spread = 0;
        for (float w : weights) {
            spread += Math.abs(w);
        }
        for (int i = 0; i < mean.length; i++) {
            double diagonal = start * (1 - i / (double) (mean.length - 1));
            assertEquals(diagonal, mean[i], 0.02 * spread, "point " + i);
        }
    }

    static float[] gaussian(int n, Random random) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
