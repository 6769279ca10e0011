package org.saliency4j;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where integrated gradients start.
 *
 * @param kind the rule
 * @param file for {@link Kind#FILE}: an image, preprocessed as the input is
 */
public record Baseline(Kind kind, Path file) {

    public enum Kind {
        /** All zeros after normalisation: the dataset's mean colour. */
        ZERO,
        /** Black pixels, normalised. */
        BLACK,
        /** The input blurred (Gaussian, sigma a twentieth of the side): the same image without its detail. */
        BLUR,
        /** Uniformly random pixels, from the method's seed. */
        UNIFORM,
        /** An image file. */
        FILE
    }

    public Baseline {
        if (kind == null || (kind == Kind.FILE) != (file != null)) {
            throw Options.invalid("baseline", "a file baseline needs a file, and only it");
        }
    }

    public static Baseline zero() {
        return new Baseline(Kind.ZERO, null);
    }

    /** Parses {@code zero}, {@code black}, {@code blur}, {@code uniform}, or a path to an image. */
    public static Baseline parse(String text) {
        String t = text == null ? "" : text.trim();
        for (Kind k : Kind.values()) {
            if (k != Kind.FILE && k.name().equalsIgnoreCase(t)) {
                return new Baseline(k, null);
            }
        }
        if (t.isEmpty()) {
            throw Options.invalid("baseline", "is empty (expected zero, black, blur, uniform or an image file)");
        }
        return new Baseline(Kind.FILE, Path.of(t));
    }

    @Override
    public String toString() {
        return kind == Kind.FILE ? file.toString() : kind.name().toLowerCase(Locale.ROOT);
    }
}
