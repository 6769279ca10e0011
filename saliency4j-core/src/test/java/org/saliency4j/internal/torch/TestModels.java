package org.saliency4j.internal.torch;

import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.CompilationUnit;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.QualifiedName;
import org.bytedeco.pytorch.QualifiedNameOptional;
import org.bytedeco.pytorch.SimpleSelf;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Small TorchScript models written from Java for the tests, with weights drawn from a fixed seed and returned,
 * so that tests can compute the expected outputs and gradients independently.
 */
public final class TestModels {
    private TestModels() {
    }

    /** Weights of a model whose logits are {@code weight · flatten(x) + bias}. */
    public record Linear(int classes, int inputs, float[] weight, float[] bias) {
        public float logit(int c, float[] x) {
            double sum = bias[c];
            for (int i = 0; i < inputs; i++) {
                sum += (double) weight[c * inputs + i] * x[i];
            }
            return (float) sum;
        }
    }

    /** Weights of conv3x3(3 -> channels, padding 1) -> ReLU -> global mean -> linear(channels -> classes). */
    public record ConvNet(int channels, int classes, float[] convWeight, float[] convBias, float[] fcWeight,
                          float[] fcBias) {
    }

    /** A linear classifier over a (3, size, size) input. */
    public static Linear linear(Path file, int classes, int size, long seed) {
        int inputs = 3 * size * size;
        Random random = new Random(seed);
        float[] weight = gaussian(random, classes * inputs, 0.01);
        float[] bias = gaussian(random, classes, 0.1);
        define(file, "Linear", new String[]{"weight", "bias"},
                new Tensor[]{Tensor.create(weight, classes, inputs), Tensor.create(bias, classes)},
                "def forward(self, x):\n"
                        + "    return torch.linear(torch.flatten(x, 1), self.weight, self.bias)\n");
        return new Linear(classes, inputs, weight, bias);
    }

    /** A small convolutional classifier that accepts any input size. */
    public static ConvNet convNet(Path file, int channels, int classes, long seed) {
        Random random = new Random(seed);
        ConvNet net = new ConvNet(channels, classes, gaussian(random, channels * 3 * 3 * 3, 0.3),
                gaussian(random, channels, 0.1), gaussian(random, classes * channels, 1.0), gaussian(random, classes, 0.1));
        convNet(file, net);
        return net;
    }

    /** The conv net with the given weights. */
    public static void convNet(Path file, ConvNet net) {
        int channels = net.channels();
        int classes = net.classes();
        define(file, "ConvNet", new String[]{"conv_weight", "conv_bias", "fc_weight", "fc_bias"},
                new Tensor[]{Tensor.create(net.convWeight(), channels, 3, 3, 3), Tensor.create(net.convBias(), channels),
                        Tensor.create(net.fcWeight(), classes, channels), Tensor.create(net.fcBias(), classes)},
                "def forward(self, x):\n"
                        + "    h = torch.relu(torch.conv2d(x, self.conv_weight, self.conv_bias, [1, 1], [1, 1]))\n"
                        + "    return torch.linear(torch.mean(h, [2, 3]), self.fc_weight, self.fc_bias)\n");
    }

    /** A model that returns its input: a tensor, but not [batch, classes]. */
    public static void identity(Path file) {
        define(file, "Identity", new String[0], new Tensor[0], "def forward(self, x):\n    return x\n");
    }

    /** A model that returns a tuple. */
    public static void tuple(Path file) {
        define(file, "Tuple", new String[0], new Tensor[0],
                "def forward(self, x):\n    return (torch.flatten(x, 1), x)\n");
    }

    /** A model that needs a single-channel input, so a colour image makes its forward fail. */
    public static void grayscaleOnly(Path file) {
        define(file, "GrayOnly", new String[]{"weight"}, new Tensor[]{Tensor.create(new float[9], 1, 1, 3, 3)},
                "def forward(self, x):\n"
                        + "    return torch.flatten(torch.conv2d(x, self.weight), 1)\n");
    }

    static void define(Path file, String className, String[] names, Tensor[] parameters, String source) {
        try (PointerScope scope = new PointerScope()) {
            CompilationUnit unit = new CompilationUnit();
            JitModule module = new JitModule(new QualifiedName("__torch__." + className), unit, true);
            for (int i = 0; i < names.length; i++) {
                module.register_parameter(names[i], parameters[i], false);
            }
            unit.define(new QualifiedNameOptional(module.type().name().get()), source, torch.nativeResolver(),
                    new SimpleSelf(module.type()));
            module.save(file.toString());
        }
    }

    private static float[] gaussian(Random random, int count, double scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return values;
    }
}
