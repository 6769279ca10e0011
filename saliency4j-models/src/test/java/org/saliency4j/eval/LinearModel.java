package org.saliency4j.eval;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.saliency4j.models.torch.ModuleSpec;
import org.saliency4j.models.torch.ScriptWriter;

/**
 * A two-class TorchScript model written by the tests, whose logits are (w . x, -w . x) over the flattened input:
 * the probability of class 0 is sigmoid(2 w . x), a closed form of the pixels.
 */
record LinearModel(int size, float[] weight) {

    static LinearModel write(Path file, int size, long seed) {
        int inputs = 3 * size * size;
        Random random = new Random(seed);
        float[] w = new float[inputs];
        for (int i = 0; i < inputs; i++) {
            w[i] = (float) (random.nextGaussian() * 0.3);
        }
        float[] both = new float[2 * inputs];
        for (int i = 0; i < inputs; i++) {
            both[i] = w[i];
            both[inputs + i] = -w[i];
        }
        ModuleSpec spec = new ModuleSpec(Map.of("weight", new ModuleSpec.Entry(new int[]{2, inputs}, () -> both)),
                Map.of(), Map.of(), Map.of());
        ScriptWriter.save(spec, "Linear", "def forward(self, x):\n"
                + "    return torch.linear(torch.flatten(x, 1), self.weight)\n", null, file);
        return new LinearModel(size, w);
    }

    /** w . x for one (3, size, size) input, in double. */
    double logit(float[] x) {
        double sum = 0;
        for (int i = 0; i < weight.length; i++) {
            sum += (double) weight[i] * x[i];
        }
        return sum;
    }

    /** The softmax probability of class 0: e^(wx) / (e^(wx) + e^(-wx)). */
    double probability(float[] x) {
        return 1 / (1 + Math.exp(-2 * logit(x)));
    }

    /** Each pixel's contribution to w . x, summed over the channels: the exact attribution of a linear model. */
    float[] contributions(float[] x) {
        int pixels = size * size;
        float[] map = new float[pixels];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < pixels; p++) {
                map[p] += weight[c * pixels + p] * x[c * pixels + p];
            }
        }
        return map;
    }
}
