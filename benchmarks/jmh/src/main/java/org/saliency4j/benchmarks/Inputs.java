package org.saliency4j.benchmarks;

import java.util.Random;
import org.saliency4j.ImageInput;
import org.saliency4j.Picture;
import org.saliency4j.Preprocessing;
import org.saliency4j.internal.image.Preprocessor;
import org.saliency4j.models.ShapesTask;

/** Fixed-seed inputs shared by the benchmarks. */
final class Inputs {
    private Inputs() {
    }

    /** A square picture of side {@code size}: a demo-task image resized (Pillow's filter), cluttered and noisy. */
    static Picture square(int size) {
        Picture sample = new ShapesTask(1).sample(0).image();
        Preprocessing stretch = Preprocessing.torchvision().withMode(Preprocessing.Mode.STRETCH).withSizes(size, size);
        return Preprocessor.prepare(sample, stretch).view();
    }

    /** {@link #square} as an input. */
    static ImageInput picture(int size) {
        return ImageInput.picture("bench", square(size));
    }

    static float[] gaussian(int count, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
