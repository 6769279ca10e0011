package org.saliency4j.models;

import org.saliency4j.models.torch.ModuleSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.saliency4j.FloatTensor;

/** Builds a {@link ModuleSpec} tree with PyTorch's initialisation schemes, drawing from one seeded generator. */
final class SpecBuilder {
    private final Random random;
    private final Map<String, FloatTensor> parameters = new LinkedHashMap<>();
    private final Map<String, FloatTensor> buffers = new LinkedHashMap<>();
    private final List<String> counters = new ArrayList<>();
    private final Map<String, SpecBuilder> children = new LinkedHashMap<>();

    SpecBuilder(Random random) {
        this.random = random;
    }

    SpecBuilder child(String name) {
        return children.computeIfAbsent(name, n -> new SpecBuilder(random));
    }

    /** {@code nn.init.kaiming_normal_(w)} (fan_in, ReLU gain): N(0, 2 / fan_in). */
    SpecBuilder kaimingNormal(String name, int... shape) {
        double std = Math.sqrt(2.0 / fanIn(shape));
        float[] values = new float[count(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        parameters.put(name, new FloatTensor(shape, values));
        return this;
    }

    /** PyTorch's default for Linear and Conv weights and biases: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    SpecBuilder uniformFanIn(String name, int fanIn, int... shape) {
        double bound = 1.0 / Math.sqrt(fanIn);
        float[] values = new float[count(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        parameters.put(name, new FloatTensor(shape, values));
        return this;
    }

    SpecBuilder constant(String name, float value, int... shape) {
        parameters.put(name, filled(shape, value));
        return this;
    }

    /** BatchNorm2d as torchvision leaves it: weight 1, bias 0, running mean 0 and variance 1, no batches seen. */
    SpecBuilder batchNorm(int channels) {
        constant("weight", 1f, channels);
        constant("bias", 0f, channels);
        buffers.put("running_mean", filled(new int[]{channels}, 0f));
        buffers.put("running_var", filled(new int[]{channels}, 1f));
        counters.add("num_batches_tracked");
        return this;
    }

    ModuleSpec build() {
        Map<String, ModuleSpec> built = new LinkedHashMap<>();
        children.forEach((name, child) -> built.put(name, child.build()));
        return new ModuleSpec(parameters, buffers, counters, built);
    }

    private static FloatTensor filled(int[] shape, float value) {
        float[] values = new float[count(shape)];
        Arrays.fill(values, value);
        return new FloatTensor(shape, values);
    }

    private static int fanIn(int[] shape) {
        int fan = 1;
        for (int i = 1; i < shape.length; i++) {
            fan *= shape[i];
        }
        return fan;
    }

    private static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
