package org.saliency4j.internal.torch;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.saliency4j.models.Architectures;
import org.saliency4j.models.VisionTransformer;

/** Small vision transformers written from Java with seeded Gaussian weights, for the tests that read them back. */
final class TinyVits {
    private TinyVits() {
    }

    /**
     * Writes {@code architecture} to {@code file} with weights drawn from N(0, 0.3²) by {@code seed}, in state-dict
     * order, and puts each one into {@code weights} by name.
     */
    static void write(VisionTransformer architecture, long seed, Path file, Map<String, float[]> weights) {
        Random random = new Random(seed);
        Architectures.write(architecture, (name, shape) -> {
            int count = 1;
            for (int d : shape) {
                count *= d;
            }
            float[] v = new float[count];
            for (int i = 0; i < count; i++) {
                v[i] = (float) (random.nextGaussian() * 0.3);
            }
            weights.put(name, v);
            return v;
        }, 0, file);
    }
}
