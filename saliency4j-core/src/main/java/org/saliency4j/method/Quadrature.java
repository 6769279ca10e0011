package org.saliency4j.method;

/**
 * How integrated gradients sample the path from the baseline to the input: where the gradients are taken (points
 * {@code a_k} in (0, 1)) and how much each counts (weights summing to 1).
 */
public enum Quadrature {
    /** Equal steps at {@code a_k = (k + 1/2) / n}, equal weights: exact for integrands linear along the path. */
    MIDPOINT,
    /**
     * Gauss-Legendre's points and weights on (0, 1), Captum's default: exact for integrands that are polynomials of
     * degree up to {@code 2n - 1} along the path, so far fewer steps reach the same convergence delta on smooth
     * models.
     */
    GAUSS_LEGENDRE;

    /** Newton's iteration on the Legendre polynomial converges quadratically; this leaves room for large n. */
    private static final int NEWTON_ITERATIONS = 100;

    /** The rule's n points and weights. */
    record Rule(double[] points, double[] weights) {
    }

    Rule rule(int n) {
        return this == MIDPOINT ? midpoint(n) : gaussLegendre(n);
    }

    private static Rule midpoint(int n) {
        double[] points = new double[n];
        double[] weights = new double[n];
        for (int k = 0; k < n; k++) {
            points[k] = (k + 0.5) / n;
            weights[k] = 1.0 / n;
        }
        return new Rule(points, weights);
    }

    /**
     * The roots of the Legendre polynomial P_n on (-1, 1), found by Newton's method from Tricomi's estimate
     * {@code cos(pi (k + 3/4) / (n + 1/2))}, and their weights {@code 2 / ((1 - x^2) P_n'(x)^2)}, mapped to (0, 1).
     * Points ascending.
     */
    private static Rule gaussLegendre(int n) {
        double[] points = new double[n];
        double[] weights = new double[n];
        for (int k = 0; k < (n + 1) / 2; k++) {
            double x = Math.cos(Math.PI * (k + 0.75) / (n + 0.5));
            double derivative = 0;
            for (int iteration = 0; iteration < NEWTON_ITERATIONS; iteration++) {
                double[] p = legendre(n, x);
                derivative = p[1];
                double step = p[0] / derivative;
                x -= step;
                if (Math.abs(step) < 1e-15) {
                    derivative = legendre(n, x)[1];
                    break;
                }
            }
            double weight = 2 / ((1 - x * x) * derivative * derivative);
            // x and -x are both roots, with the same weight; halve the weights for the interval (0, 1).
            points[n - 1 - k] = (1 + x) / 2;
            points[k] = (1 - x) / 2;
            weights[n - 1 - k] = weight / 2;
            weights[k] = weight / 2;
        }
        return new Rule(points, weights);
    }

    /** P_n(x) and P_n'(x), by the three-term recurrence. */
    private static double[] legendre(int n, double x) {
        double previous = 1;
        double current = x;
        if (n == 0) {
            return new double[]{1, 0};
        }
        for (int j = 2; j <= n; j++) {
            double next = ((2 * j - 1) * x * current - (j - 1) * previous) / j;
            previous = current;
            current = next;
        }
        double derivative = n * (x * current - previous) / (x * x - 1);
        return new double[]{current, derivative};
    }
}
