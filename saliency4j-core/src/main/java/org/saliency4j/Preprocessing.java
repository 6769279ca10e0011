package org.saliency4j;

import java.util.Arrays;

/**
 * How a decoded RGB image becomes the model's input tensor (1, 3, size, size).
 *
 * @param mode   {@link Mode#TORCHVISION}: shorter side to {@code resize}, centre crop {@code size};
 *               {@link Mode#STRETCH}: the whole image to size x size
 * @param resize the shorter side after resizing (torchvision mode only)
 * @param size   the side of the square model input
 * @param mean   per-channel mean (RGB) subtracted after scaling to [0, 1]
 * @param std    per-channel standard deviation (RGB) divided by
 */
public record Preprocessing(Mode mode, int resize, int size, float[] mean, float[] std) {

    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public enum Mode {
        /** torchvision's Resize(resize), CenterCrop(size), ToTensor(), Normalize(mean, std). */
        TORCHVISION,
        /** Resize to size x size without cropping, as the TensorFlow tutorial does. */
        STRETCH;

        public static Mode parse(String text) {
            return Vocabulary.PREPROCESS.parse(text);
        }
    }

    public Preprocessing {
        if (mode == null) {
            throw Vocabulary.PREPROCESS.invalid("no mode given");
        }
        Vocabulary.INPUT_SIZE.check(size);
        if (mode == Mode.TORCHVISION && (resize < size || resize > Vocabulary.RESIZE.bounds().orElseThrow().max())) {
            throw Vocabulary.RESIZE.invalid("must be between the input size (" + size + ") and "
                    + (int) Vocabulary.RESIZE.bounds().orElseThrow().max() + ", got " + resize);
        }
        mean = checkTriple("mean", mean, false);
        std = checkTriple("std", std, true);
    }

    /** torchvision's ImageNet evaluation transform: 256, centre 224, ImageNet mean and std. */
    public static Preprocessing torchvision() {
        return new Preprocessing(Mode.TORCHVISION, Vocabulary.RESIZE.defaultValue(),
                Vocabulary.INPUT_SIZE.defaultValue(), IMAGENET_MEAN, IMAGENET_STD);
    }

    /** The TensorFlow tutorial's transform: the whole image to 224x224, ImageNet mean and std. */
    public static Preprocessing stretch() {
        int size = Vocabulary.INPUT_SIZE.defaultValue();
        return new Preprocessing(Mode.STRETCH, size, size, IMAGENET_MEAN, IMAGENET_STD);
    }

    /** What applies without a model card: the {@link Vocabulary}'s mode and sizes, ImageNet mean and std. */
    public static Preprocessing defaults() {
        return torchvision().withMode(Vocabulary.PREPROCESS.defaultValue());
    }

    public Preprocessing withMode(Mode newMode) {
        return new Preprocessing(newMode, Math.max(resize, size), size, mean, std);
    }

    public Preprocessing withSizes(int newResize, int newSize) {
        return new Preprocessing(mode, newResize, newSize, mean, std);
    }

    public Preprocessing withNormalization(float[] newMean, float[] newStd) {
        return new Preprocessing(mode, resize, size, newMean, newStd);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    private static float[] checkTriple(String option, float[] values, boolean positive) {
        if (values == null || values.length != 3) {
            throw Options.invalid(option, "needs three values (R,G,B), got "
                    + (values == null ? "none" : Arrays.toString(values)));
        }
        for (float v : values) {
            if (!Float.isFinite(v) || (positive && v <= 0)) {
                throw Options.invalid(option, "has an unusable value in " + Arrays.toString(values));
            }
        }
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && p.mode == mode && p.resize == resize && p.size == size
                && Arrays.equals(p.mean, mean) && Arrays.equals(p.std, std);
    }

    @Override
    public int hashCode() {
        return ((mode.hashCode() * 31 + resize) * 31 + size) * 31 + Arrays.hashCode(mean) * 17 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return mode.name().toLowerCase() + "(resize=" + resize + ", size=" + size + ", mean=" + Arrays.toString(mean)
                + ", std=" + Arrays.toString(std) + ")";
    }
}
