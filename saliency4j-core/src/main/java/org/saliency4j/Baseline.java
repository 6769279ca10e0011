package org.saliency4j;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A reference image: where integrated gradients start, and what occlusion and RISE show where they hide the input.
 *
 * @param kind the rule
 * @param file for {@link Kind#FILE}: an image, preprocessed as the input is
 * @param seed for {@link Kind#UNIFORM}: seeds its random pixels; zero for the other rules, so that baselines that
 *             start from the same point are equal
 */
public record Baseline(Kind kind, Path file, long seed) {

    public enum Kind {
        /** All zeros after normalisation: the dataset's mean colour. */
        ZERO,
        /** Black pixels, normalised. */
        BLACK,
        /** The input blurred (Gaussian, sigma a twentieth of the side): the same image without its detail. */
        BLUR,
        /** Uniformly random pixels, from the baseline's seed. */
        UNIFORM,
        /** An image file. */
        FILE
    }

    public Baseline {
        if (kind == null || (kind == Kind.FILE) != (file != null)) {
            throw Options.invalid("baseline", "a file baseline needs a file, and only it");
        }
        seed = kind == Kind.UNIFORM ? seed : 0;
    }

    public static Baseline zero() {
        return new Baseline(Kind.ZERO, null, 0);
    }

    /** Uniformly random pixels drawn from {@code seed}. */
    public static Baseline uniform(long seed) {
        return new Baseline(Kind.UNIFORM, null, seed);
    }

    /** This baseline with its random pixels drawn from {@code value}; the same baseline for the other rules. */
    public Baseline withSeed(long value) {
        return new Baseline(kind, file, value);
    }

    /** Parses {@code zero}, {@code black}, {@code blur}, {@code uniform} (seed 0), or a path to an image. */
    public static Baseline parse(String text) {
        String t = text == null ? "" : text.trim();
        for (Kind k : Kind.values()) {
            if (k != Kind.FILE && k.name().equalsIgnoreCase(t)) {
                return new Baseline(k, null, 0);
            }
        }
        if (t.isEmpty()) {
            throw Options.invalid("baseline", "is empty (expected zero, black, blur, uniform or an image file)");
        }
        return new Baseline(Kind.FILE, Path.of(t), 0);
    }

    @Override
    public String toString() {
        return kind == Kind.FILE ? file.toString() : kind.name().toLowerCase(Locale.ROOT);
    }
}
