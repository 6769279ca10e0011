package org.saliency4j.internal.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.SaliencyException;
import org.saliency4j.Score;
import org.saliency4j.method.ReluRule;

/**
 * Guided backpropagation and deconvnet against closed forms on conv -> ReLU -> spatial mean -> linear, where the
 * gradient arriving at the ReLU is the constant fc[t, c] / (H W) for channel c: guided keeps it where positive (and
 * where the ReLU's input was positive), deconvnet keeps its positive part everywhere.
 */
class ReluRuleTest {
    private static final int SIZE = 8;
    private static final int TARGET = 1;

    @TempDir
    static Path dir;
    static TestModels.ConvNet net;
    static float[] input;

    @BeforeAll
    static void setUp() {
        net = TestModels.convNet(dir.resolve("conv.pt"), 6, 3, 8);
        Random random = new Random(3);
        input = new float[3 * SIZE * SIZE];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
    }

    @Test
    void guidedBackpropIsTheGradientOfTheModelWithTheNegativeClassWeightsRemoved() {
        // With fc[t, c] < 0 replaced by 0, the ordinary gradient is what guided backprop computes on the original.
        float[] clamped = net.fcWeight().clone();
        for (int c = 0; c < net.channels(); c++) {
            clamped[TARGET * net.channels() + c] = Math.max(0, clamped[TARGET * net.channels() + c]);
        }
        TestModels.convNet(dir.resolve("clamped.pt"), new TestModels.ConvNet(net.channels(), net.classes(),
                net.convWeight(), net.convBias(), clamped, net.fcBias()));
        try (TorchClassifier original = TorchClassifier.load(dir.resolve("conv.pt"), "cpu", SIZE, 3);
             TorchClassifier positive = TorchClassifier.load(dir.resolve("clamped.pt"), "cpu", SIZE, 3)) {
            float[] guided = original.gradients(input, 1, SIZE, SIZE, (i, p) -> TARGET, Score.LOGIT, ReluRule.GUIDED)
                    .gradient();
            float[] expected = positive.gradients(input, 1, SIZE, SIZE, (i, p) -> TARGET, Score.LOGIT).gradient();
            assertArrayEquals(expected, guided, 1e-6f);
            float[] vanilla = original.gradients(input, 1, SIZE, SIZE, (i, p) -> TARGET, Score.LOGIT).gradient();
            assertTrue(maxDifference(vanilla, guided) > 1e-3, "the rule changes the result");
        }
    }

    @Test
    void deconvnetIsTheTransposedConvolutionOfThePositiveClassWeights() {
        // d/dx of sum_c a_c mean(conv_c(x)) with a_c = max(0, fc[t, c]): the ReLU mask is ignored.
        int ch = net.channels();
        float[] expected = new float[3 * SIZE * SIZE];
        for (int c = 0; c < ch; c++) {
            double a = Math.max(0, net.fcWeight()[TARGET * ch + c]) / (SIZE * SIZE);
            for (int ci = 0; ci < 3; ci++) {
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        double sum = 0;
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int oy = y - ky + 1;
                                int ox = x - kx + 1;
                                if (oy >= 0 && oy < SIZE && ox >= 0 && ox < SIZE) {
                                    sum += net.convWeight()[((c * 3 + ci) * 3 + ky) * 3 + kx];
                                }
                            }
                        }
                        expected[(ci * SIZE + y) * SIZE + x] += (float) (a * sum);
                    }
                }
            }
        }
        try (TorchClassifier model = TorchClassifier.load(dir.resolve("conv.pt"), "cpu", SIZE, 1)) {
            float[] deconvnet = model.gradients(input, 1, SIZE, SIZE, (i, p) -> TARGET, Score.LOGIT, ReluRule.DECONVNET)
                    .gradient();
            assertArrayEquals(expected, deconvnet, 1e-6f);
        }
    }

    @Test
    void theRuleDoesNotLeakIntoOrdinaryGradientsAndBatchesAgree() {
        try (TorchClassifier model = TorchClassifier.load(dir.resolve("conv.pt"), "cpu", SIZE, 1)) {
            float[] before = model.gradients(input, 1, SIZE, SIZE, (i, p) -> TARGET, Score.LOGIT).gradient();
            float[] guided = model.gradients(input, 1, SIZE, SIZE, (i, p) -> TARGET, Score.LOGIT, ReluRule.GUIDED).gradient();
            float[] after = model.gradients(input, 1, SIZE, SIZE, (i, p) -> TARGET, Score.LOGIT).gradient();
            assertArrayEquals(before, after);
            float[] twice = new float[2 * input.length];
            System.arraycopy(input, 0, twice, 0, input.length);
            System.arraycopy(input, 0, twice, input.length, input.length);
            float[] batch = model.gradients(twice, 2, SIZE, SIZE, (i, p) -> TARGET, Score.LOGIT, ReluRule.GUIDED).gradient();
            for (int i = 0; i < input.length; i++) {
                assertEquals(guided[i], batch[input.length + i], 1e-6f);
            }
        }
    }

    @Test
    void aModelWithoutReluIsRefusedByName() {
        TestModels.linear(dir.resolve("linear.pt"), 3, SIZE, 1);
        try (TorchClassifier model = TorchClassifier.load(dir.resolve("linear.pt"), "cpu", SIZE, 1)) {
            SaliencyException e = assertThrows(SaliencyException.class,
                    () -> model.gradients(input, 1, SIZE, SIZE, (i, p) -> 0, Score.LOGIT, ReluRule.GUIDED));
            assertTrue(e.getMessage().contains("has no ReLU"), e.getMessage());
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
