package org.saliency4j.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.saliency4j.SaliencyException;
import org.saliency4j.models.torch.ModuleSpec;

/**
 * Declares a module tree (names, shapes, and how PyTorch initialises each tensor), then {@link #build()}s it with
 * values from one of two places: torchvision's initialisation drawn from one seeded generator, or a
 * {@link WeightSource}. Values are made when the spec is written, in state-dict order (a module's parameters,
 * buffers and counters, then its children depth first), whatever order the architecture declared them in: a
 * source is asked once per entry in the order a state dict lists them, and only one entry's values are on the
 * heap at a time.
 */
final class SpecBuilder {
    /** How torchvision initialises one tensor, drawing from the shared generator. */
    @FunctionalInterface
    interface Init {
        float[] draw(Random random, int[] shape);
    }

    private record Entry(int[] shape, Init init) {
    }

    /** Where values come from: exactly one of the two is set, shared by the whole tree. */
    private record Values(Random random, WeightSource source) {
    }

    private final Values values;
    private final String path;
    private final Map<String, Entry> parameters = new LinkedHashMap<>();
    private final Map<String, Entry> buffers = new LinkedHashMap<>();
    private final List<String> counters = new ArrayList<>();
    private final Map<String, SpecBuilder> children = new LinkedHashMap<>();

    private SpecBuilder(Values values, String path) {
        this.values = values;
        this.path = path;
    }

    /** A tree whose values are drawn as torchvision initialises them, from a generator seeded with {@code seed}. */
    static SpecBuilder random(long seed) {
        return new SpecBuilder(new Values(new Random(seed), null), "");
    }

    /** A tree whose values come from {@code source} (by state-dict name) when there is one, else from {@code seed}. */
    static SpecBuilder of(WeightSource source, long seed) {
        return source == null ? random(seed) : new SpecBuilder(new Values(null, source), "");
    }

    SpecBuilder child(String name) {
        return children.computeIfAbsent(name, n -> new SpecBuilder(values, path + n + "."));
    }

    SpecBuilder parameter(String name, Init init, int... shape) {
        parameters.put(name, new Entry(shape.clone(), init));
        return this;
    }

    SpecBuilder buffer(String name, Init init, int... shape) {
        buffers.put(name, new Entry(shape.clone(), init));
        return this;
    }

    /** {@code nn.init.kaiming_normal_(w)} (fan_in, ReLU gain): N(0, 2 / fan_in). */
    SpecBuilder kaimingNormal(String name, int... shape) {
        return parameter(name, normal(Math.sqrt(2.0 / fanIn(shape))), shape);
    }

    /** {@code kaiming_normal_(w, mode="fan_out", nonlinearity="relu")}: N(0, 2 / fan_out), fan_out = out * kernel. */
    SpecBuilder kaimingNormalFanOut(String name, int... shape) {
        return parameter(name, normal(Math.sqrt(2.0 / (count(shape) / shape[1]))), shape);
    }

    /** PyTorch's default for Linear and Conv weights and biases: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    SpecBuilder uniformFanIn(String name, int fanIn, int... shape) {
        return uniform(name, 1.0 / Math.sqrt(fanIn), shape);
    }

    /** U(-bound, bound). */
    SpecBuilder uniform(String name, double bound, int... shape) {
        return parameter(name, (random, s) -> {
            float[] v = new float[count(s)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            return v;
        }, shape);
    }

    /** {@code xavier_uniform_}: U(-a, a), a = sqrt(6 / (fan_in + fan_out)) of a (out, in) matrix. */
    SpecBuilder xavierUniform(String name, int... shape) {
        return uniform(name, Math.sqrt(6.0 / (shape[0] + shape[1])), shape);
    }

    /** N(0, std^2). */
    SpecBuilder normal(String name, double std, int... shape) {
        return parameter(name, normal(std), shape);
    }

    /**
     * {@code trunc_normal_(w, std=std)}: N(0, std^2) redrawn outside torch's default bounds, the absolute [-2, 2]
     * (far outside every std torchvision uses, so it rarely redraws).
     */
    SpecBuilder truncatedNormal(String name, double std, int... shape) {
        return parameter(name, (random, s) -> {
            float[] v = new float[count(s)];
            for (int i = 0; i < v.length; i++) {
                double x;
                do {
                    x = random.nextGaussian() * std;
                } while (Math.abs(x) > 2);
                v[i] = (float) x;
            }
            return v;
        }, shape);
    }

    SpecBuilder constant(String name, float value, int... shape) {
        return parameter(name, filled(value), shape);
    }

    /**
     * torchvision's Conv2dNormActivation here: a convolution without bias ({@code .0}, Kaiming normal, fan out) and
     * its BatchNorm ({@code .1}).
     */
    SpecBuilder convNorm(int in, int out, int kernel, int groups) {
        child("0").kaimingNormalFanOut("weight", out, in / groups, kernel, kernel);
        child("1").batchNorm(out);
        return this;
    }

    /** BatchNorm2d as torchvision leaves it: weight 1, bias 0, running mean 0 and variance 1, no batches seen. */
    SpecBuilder batchNorm(int channels) {
        constant("weight", 1f, channels);
        constant("bias", 0f, channels);
        buffer("running_mean", filled(0f), channels);
        buffer("running_var", filled(1f), channels);
        counters.add("num_batches_tracked");
        return this;
    }

    /** LayerNorm over the last {@code channels} values: weight 1, bias 0. */
    SpecBuilder layerNorm(int channels) {
        return constant("weight", 1f, channels).constant("bias", 0f, channels);
    }

    /**
     * The tree, whose entries make their values when written: drawn from the shared generator, or asked of the
     * source by their dotted names (see {@link ModuleSpec}).
     */
    ModuleSpec build() {
        Map<String, ModuleSpec.Entry> builtParameters = new LinkedHashMap<>();
        parameters.forEach((name, entry) -> builtParameters.put(name, entry(name, entry)));
        Map<String, ModuleSpec.Entry> builtBuffers = new LinkedHashMap<>();
        buffers.forEach((name, entry) -> builtBuffers.put(name, entry(name, entry)));
        Map<String, ModuleSpec.Entry> builtCounters = new LinkedHashMap<>();
        counters.forEach(name -> builtCounters.put(name, entry(name, new Entry(new int[0], filled(0f)))));
        Map<String, ModuleSpec> builtChildren = new LinkedHashMap<>();
        children.forEach((name, child) -> builtChildren.put(name, child.build()));
        return new ModuleSpec(builtParameters, builtBuffers, builtCounters, builtChildren);
    }

    private ModuleSpec.Entry entry(String name, Entry entry) {
        int[] shape = entry.shape();
        return new ModuleSpec.Entry(shape, () -> values.source() != null ? checked(name, shape,
                values.source().values(path + name, shape.clone())) : entry.init().draw(values.random(), shape));
    }

    private float[] checked(String name, int[] shape, float[] made) {
        if (made == null || made.length != count(shape)) {
            throw new SaliencyException(SaliencyException.Kind.MODEL, path + name, "the weights give "
                    + (made == null ? "no values" : made.length + " values") + " for shape "
                    + Arrays.toString(shape));
        }
        return made;
    }

    private static Init normal(double std) {
        return (random, shape) -> {
            float[] v = new float[count(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (random.nextGaussian() * std);
            }
            return v;
        };
    }

    private static Init filled(float value) {
        return (random, shape) -> {
            float[] v = new float[count(shape)];
            Arrays.fill(v, value);
            return v;
        };
    }

    private static int fanIn(int[] shape) {
        return count(shape) / shape[0];
    }

    static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
