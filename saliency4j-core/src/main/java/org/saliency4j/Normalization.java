package org.saliency4j;

import java.util.Locale;

/**
 * How the reduced map is scaled before colouring.
 *
 * @param mode       the rule
 * @param percentile for {@link Mode#PERCENTILE}: the upper percentile in (0, 100] that maps to 1
 */
public record Normalization(Mode mode, double percentile) {

    public enum Mode {
        /** (m - min) / (max - min). */
        MINMAX,
        /** (m - min) / (P-th percentile - min), clipped to [0, 1], as PAIR saliency does with P = 99. */
        PERCENTILE,
        /** The raw values, so that maps of several images compare on one scale. */
        NONE
    }

    public Normalization {
        if (mode == Mode.PERCENTILE && !(percentile > 0 && percentile <= 100)) {
            throw Vocabulary.NORMALIZE.invalid("percentile must be in (0, 100], got " + percentile);
        }
    }

    public static Normalization minMax() {
        return new Normalization(Mode.MINMAX, 0);
    }

    public static Normalization percentile(double p) {
        return new Normalization(Mode.PERCENTILE, p);
    }

    public static Normalization none() {
        return new Normalization(Mode.NONE, 0);
    }

    /** Parses {@code minmax}, {@code none} or {@code percentile:P}. */
    public static Normalization parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("minmax")) {
            return minMax();
        }
        if (t.equals("none")) {
            return none();
        }
        if (t.startsWith("percentile:")) {
            try {
                return percentile(Double.parseDouble(t.substring("percentile:".length())));
            } catch (NumberFormatException e) {
                throw Vocabulary.NORMALIZE.invalid("'" + text + "' has no number after 'percentile:'");
            }
        }
        throw Vocabulary.NORMALIZE.invalid("unknown value '" + text + "' (expected minmax, percentile:P or none)");
    }

    @Override
    public String toString() {
        return mode == Mode.PERCENTILE ? "percentile:" + percentile : mode.name().toLowerCase(Locale.ROOT);
    }
}
