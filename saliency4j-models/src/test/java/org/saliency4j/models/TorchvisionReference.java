package org.saliency4j.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.saliency4j.FloatTensor;
import org.saliency4j.Npy;

/**
 * PyTorch's answers for torchvision's architectures (shared/fixtures/weights, written by make_fixtures.py with
 * torchvision 0.14): each state dict as text, and the logits and input gradient of the model whose weights are the
 * splitmix64 formula of the fixtures' README, for the formula's input.
 */
final class TorchvisionReference {
    static final int SIDE = 224;
    private static final String FOLDER = "torchvision/";
    private final String architecture;
    private final List<String> stateDict;
    private final Map<String, Integer> index = new HashMap<>();

    TorchvisionReference(String architecture) {
        this.architecture = architecture;
        this.stateDict = resource("-state-dict.txt").lines().map(String::strip).toList();
        for (int p = 0; p < stateDict.size(); p++) {
            index.put(stateDict.get(p).split(" ")[0], p);
        }
    }

    /** {@code name dtype dim0 dim1 ...}, one line per entry, in state-dict order. */
    List<String> stateDict() {
        return stateDict;
    }

    FloatTensor logits() {
        return npy("-logits.npy");
    }

    FloatTensor inputGradient() {
        return npy("-input-gradient.npy");
    }

    /**
     * The README's weights: entry {@code p} (its index in the state dict), element {@code j} from
     * {@code u = uniform(p, j)}, scaled by the entry's kind, in double, then rounded to float.
     */
    WeightSource weights() {
        return (name, shape) -> {
            Integer p = index.get(name);
            if (p == null) {
                throw new IllegalArgumentException("the reference state dict has no " + name);
            }
            int count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            float[] values = new float[count];
            if (stateDict.get(p).split(" ")[1].equals("int64")) {
                return values;
            }
            double fanIn = shape.length >= 2 ? count / shape[0] : 0;
            for (int j = 0; j < count; j++) {
                double u = uniform(p, j);
                double v;
                if (name.endsWith("running_var")) {
                    v = 0.75 + 0.25 * u;
                } else if (name.endsWith("running_mean")) {
                    v = 0.1 * u;
                } else if (shape.length <= 1) {
                    v = name.endsWith("weight") ? 1 + 0.1 * u : 0.05 * u;
                } else {
                    v = u * Math.sqrt(3 / fanIn);
                }
                values[j] = (float) v;
            }
            return values;
        };
    }

    /** The README's input: (1, 3, 224, 224), element j = 1.5 uniform(2^20, j). */
    static float[] input() {
        float[] x = new float[3 * SIDE * SIDE];
        for (int j = 0; j < x.length; j++) {
            x[j] = (float) (1.5 * uniform(1L << 20, j));
        }
        return x;
    }

    /** splitmix64 of (stream << 32 | j), its top 24 bits as a value in [-1, 1). */
    static double uniform(long stream, long j) {
        long z = (stream << 32) | j;
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return 2 * ((z >>> 40) / (double) (1 << 24)) - 1;
    }

    private FloatTensor npy(String suffix) {
        try (InputStream in = getClass().getResourceAsStream(FOLDER + architecture + suffix)) {
            return Npy.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String resource(String suffix) {
        try (InputStream in = getClass().getResourceAsStream(FOLDER + architecture + suffix)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + FOLDER + architecture + suffix);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
