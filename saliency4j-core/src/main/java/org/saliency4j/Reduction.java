package org.saliency4j;

/** How the gradient's colour channels become one value per pixel. */
public enum Reduction {
    /** Signed sum over channels. */
    SUM,
    /** Sum of absolute values, as PAIR saliency visualises. */
    ABS_SUM,
    /** Largest absolute value, as Simonyan et al. (2013) define the map. */
    ABS_MAX,
    /** Euclidean norm over channels. */
    L2,
    /**
     * The tutorial's {@code norm_flat_image}: undo the input normalisation on the gradient
     * ({@code g * std + mean} per channel), sum the channels, then min-max.
     */
    SEED;

    public static Reduction parse(String text) {
        return Vocabulary.REDUCE.parse(text);
    }
}
