package org.saliency4j.internal.image;

import java.util.Arrays;

/** Quantiles as numpy computes them by default: linear interpolation between the two nearest ranks. */
public final class Quantiles {
    private Quantiles() {
    }

    /**
     * @param sorted   the values in ascending order, at least one
     * @param fraction the quantile in [0, 1]: 0.5 is the median, 0.99 the 99th percentile
     */
    public static double ofSorted(double[] sorted, double fraction) {
        double rank = fraction * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
    }

    /** The {@code percent}-th percentile of {@code values}, in any order. */
    public static double percentile(float[] values, double percent) {
        double[] sorted = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            sorted[i] = values[i];
        }
        Arrays.sort(sorted);
        return ofSorted(sorted, percent / 100.0);
    }
}
