package org.saliency4j.eval;

import java.util.Arrays;

/**
 * A deletion or insertion curve: the target's probability after each step, against the fraction of the image's
 * pixels deleted or revealed so far (from 0 to 1).
 *
 * @param fractions increasing, from 0 to 1
 * @param scores    the target's probability at each fraction
 */
public record Curve(double[] fractions, double[] scores) {
    public Curve {
        if (fractions.length != scores.length || fractions.length < 2) {
            throw new IllegalArgumentException("a curve needs two or more points, as many scores as fractions");
        }
        fractions = fractions.clone();
        scores = scores.clone();
    }

    @Override
    public double[] fractions() {
        return fractions.clone();
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }

    /**
     * The area under the curve by the trapezoid rule over the fractions. When each step moves the same number of
     * pixels this is RISE's {@code (sum - first / 2 - last / 2) / steps}; a shorter last step is weighed by its
     * width.
     */
    public double area() {
        double area = 0;
        for (int i = 1; i < fractions.length; i++) {
            area += (fractions[i] - fractions[i - 1]) * (scores[i] + scores[i - 1]) / 2;
        }
        return area;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Curve c && Arrays.equals(fractions, c.fractions) && Arrays.equals(scores, c.scores);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(fractions) + Arrays.hashCode(scores);
    }

    @Override
    public String toString() {
        return "Curve[" + scores.length + " points, area " + area() + "]";
    }
}
