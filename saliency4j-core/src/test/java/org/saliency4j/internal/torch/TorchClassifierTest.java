package org.saliency4j.internal.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.Score;

/** Gradients through libtorch against closed forms (a linear model) and finite differences (a ReLU conv net). */
class TorchClassifierTest {
    private static final int SIZE = 8;
    private static final int CLASSES = 5;

    @TempDir
    static Path dir;
    static TestModels.Linear linear;
    static TorchClassifier linearModel;
    static TestModels.ConvNet conv;
    static TorchClassifier convModel;

    @BeforeAll
    static void load() {
        linear = TestModels.linear(dir.resolve("linear.pt"), CLASSES, SIZE, 7);
        linearModel = TorchClassifier.load(dir.resolve("linear.pt"), "cpu", SIZE, 1);
        conv = TestModels.convNet(dir.resolve("conv.pt"), 6, CLASSES, 11);
        convModel = TorchClassifier.load(dir.resolve("conv.pt"), "cpu", SIZE, 1);
    }

    @AfterAll
    static void close() {
        linearModel.close();
        convModel.close();
    }

    @Test
    void logitGradientOfALinearModelIsTheClassWeightRow() {
        float[] x = randomInput(1, 1);
        GradientBatch result = linearModel.gradients(x, 1, SIZE, SIZE, (i, p) -> 3, Score.LOGIT);
        float[] expected = new float[linear.inputs()];
        System.arraycopy(linear.weight(), 3 * linear.inputs(), expected, 0, linear.inputs());
        assertArrayEquals(expected, result.gradient(), 1e-7f);
        assertEquals(linear.logit(3, x), result.scores()[0], 1e-4f);
        assertEquals(3, result.targets()[0]);
    }

    @Test
    void probabilityAndLogProbabilityGradientsMatchTheSoftmaxJacobian() {
        float[] x = randomInput(1, 2);
        double[] p = softmax(x);
        int target = 1;
        // d log p_t / dx = W_t - sum_j p_j W_j ; d p_t / dx = p_t (W_t - sum_j p_j W_j)
        double[] logGradient = new double[linear.inputs()];
        for (int i = 0; i < linear.inputs(); i++) {
            double mixture = 0;
            for (int j = 0; j < CLASSES; j++) {
                mixture += p[j] * linear.weight()[j * linear.inputs() + i];
            }
            logGradient[i] = linear.weight()[target * linear.inputs() + i] - mixture;
        }
        GradientBatch logProb = linearModel.gradients(x, 1, SIZE, SIZE, (i, q) -> target, Score.LOG_PROBABILITY);
        GradientBatch prob = linearModel.gradients(x, 1, SIZE, SIZE, (i, q) -> target, Score.PROBABILITY);
        for (int i = 0; i < linear.inputs(); i++) {
            assertEquals(logGradient[i], logProb.gradient()[i], 1e-6);
            assertEquals(p[target] * logGradient[i], prob.gradient()[i], 1e-6);
        }
        assertEquals(Math.log(p[target]), logProb.scores()[0], 1e-5);
        assertEquals(p[target], prob.scores()[0], 1e-6);
        for (int j = 0; j < CLASSES; j++) {
            assertEquals(p[j], prob.probabilities()[j], 1e-6);
        }
    }

    @Test
    void convNetGradientMatchesCentralFiniteDifferences() {
        float[] x = randomInput(1, 3);
        int target = 2;
        GradientBatch result = convModel.gradients(x, 1, SIZE, SIZE, (i, p) -> target, Score.LOGIT);
        Random pick = new Random(5);
        double h = 1e-2;
        for (int trial = 0; trial < 20; trial++) {
            int i = pick.nextInt(x.length);
            float[] plus = x.clone();
            float[] minus = x.clone();
            plus[i] += (float) h;
            minus[i] -= (float) h;
            double up = convModel.gradients(plus, 1, SIZE, SIZE, (n, p) -> target, Score.LOGIT).scores()[0];
            double down = convModel.gradients(minus, 1, SIZE, SIZE, (n, p) -> target, Score.LOGIT).scores()[0];
            double numeric = (up - down) / (2 * h);
            // ReLU kinks make a few finite differences inexact; the tolerance covers float32 rounding.
            assertEquals(numeric, result.gradient()[i], 2e-3 + 0.02 * Math.abs(numeric), "element " + i);
        }
    }

    @Test
    void aBatchGivesEachImageTheGradientItGetsAlone() {
        int batch = 4;
        float[] x = randomInput(batch, 4);
        int[] targets = {0, 4, 2, 2};
        GradientBatch together = convModel.gradients(x, batch, SIZE, SIZE, (i, p) -> targets[i], Score.PROBABILITY);
        int per = 3 * SIZE * SIZE;
        for (int n = 0; n < batch; n++) {
            float[] one = new float[per];
            System.arraycopy(x, n * per, one, 0, per);
            int t = targets[n];
            GradientBatch alone = convModel.gradients(one, 1, SIZE, SIZE, (i, p) -> t, Score.PROBABILITY);
            float[] slice = new float[per];
            System.arraycopy(together.gradient(), n * per, slice, 0, per);
            assertArrayEquals(alone.gradient(), slice, 1e-6f, "image " + n);
            assertEquals(alone.scores()[0], together.scores()[n], 1e-6f);
        }
    }

    @Test
    void theChooserSeesEachImagesProbabilities() {
        float[] x = randomInput(1, 6);
        GradientBatch result = convModel.gradients(x, 1, SIZE, SIZE, (i, p) -> argmax(p), Score.LOGIT);
        assertEquals(argmax(result.probabilities()), result.targets()[0]);
        double sum = 0;
        for (float p : result.probabilities()) {
            sum += p;
        }
        assertEquals(1.0, sum, 1e-5);
    }

    @Test
    void aClosedModelRefusesWork() {
        TorchClassifier model = TorchClassifier.load(dir.resolve("linear.pt"), "cpu", SIZE, 0);
        model.close();
        model.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> model.gradients(randomInput(1, 1), 1, SIZE, SIZE, (i, p) -> 0, Score.LOGIT));
        assertTrue(e.getMessage().contains("closed"));
    }

    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private double[] softmax(float[] x) {
        double[] logits = new double[CLASSES];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CLASSES; c++) {
            logits[c] = linear.logit(c, x);
            max = Math.max(max, logits[c]);
        }
        double total = 0;
        for (int c = 0; c < CLASSES; c++) {
            logits[c] = Math.exp(logits[c] - max);
            total += logits[c];
        }
        for (int c = 0; c < CLASSES; c++) {
            logits[c] /= total;
        }
        return logits;
    }

    private static float[] randomInput(int batch, long seed) {
        Random random = new Random(seed);
        float[] x = new float[batch * 3 * SIZE * SIZE];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }
}
