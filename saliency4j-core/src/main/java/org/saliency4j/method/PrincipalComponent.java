package org.saliency4j.method;

import java.util.Random;

/**
 * The first principal component of a small data set, by power iteration on the smaller of its two Gram matrices:
 * a layer's output has few positions (7 x 7 at the last layer) or few channels (64 at the first), and the smaller
 * side keeps the matrix, and the work, small. Deterministic: a fixed start vector, a fixed iteration cap.
 */
final class PrincipalComponent {
    /** Enough for a gap of 1% between the first two eigenvalues to shrink the error below 1e-4. */
    private static final int MAX_ITERATIONS = 1000;
    private static final double TOLERANCE = 1e-12;

    private PrincipalComponent() {
    }

    /**
     * Each sample's coordinate on the first principal direction: {@code X v}, where X is the data (samples by
     * variables) and v the unit eigenvector of {@code X^T X} with the largest eigenvalue. Its sign is arbitrary.
     *
     * @param centred the data by variable, {@code centred[variable][sample]}, each variable's mean already removed
     */
    static double[] scores(double[][] centred, int samples) {
        int variables = centred.length;
        double[] scores = new double[samples];
        if (samples <= variables) {
            // X X^T u = s^2 u, and X v = s u for the same component.
            double[][] gram = new double[samples][samples];
            for (double[] variable : centred) {
                for (int i = 0; i < samples; i++) {
                    for (int j = 0; j <= i; j++) {
                        gram[i][j] += variable[i] * variable[j];
                    }
                }
            }
            symmetrise(gram);
            double[] u = topEigenvector(gram);
            double length = Math.sqrt(Math.max(0, rayleigh(gram, u)));
            for (int i = 0; i < samples; i++) {
                scores[i] = length * u[i];
            }
        } else {
            double[][] covariance = new double[variables][variables];
            for (int k = 0; k < variables; k++) {
                for (int l = 0; l <= k; l++) {
                    double dot = 0;
                    for (int j = 0; j < samples; j++) {
                        dot += centred[k][j] * centred[l][j];
                    }
                    covariance[k][l] = dot;
                }
            }
            symmetrise(covariance);
            double[] v = topEigenvector(covariance);
            for (int k = 0; k < variables; k++) {
                for (int j = 0; j < samples; j++) {
                    scores[j] += centred[k][j] * v[k];
                }
            }
        }
        return scores;
    }

    private static void symmetrise(double[][] lower) {
        for (int i = 0; i < lower.length; i++) {
            for (int j = 0; j < i; j++) {
                lower[j][i] = lower[i][j];
            }
        }
    }

    /** The unit eigenvector of the largest eigenvalue of a symmetric positive semi-definite matrix; zeros if none. */
    private static double[] topEigenvector(double[][] matrix) {
        int n = matrix.length;
        // A seeded random start: a constant one can be orthogonal to the answer (centred data sums to zero).
        Random random = new Random(0);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        if (!normalise(v)) {
            return v;
        }
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] next = times(matrix, v);
            if (!normalise(next)) {
                return new double[n];
            }
            double change = 0;
            for (int i = 0; i < n; i++) {
                change += (next[i] - v[i]) * (next[i] - v[i]);
            }
            v = next;
            if (change < TOLERANCE * TOLERANCE) {
                break;
            }
        }
        return v;
    }

    private static double rayleigh(double[][] matrix, double[] unit) {
        double[] product = times(matrix, unit);
        double value = 0;
        for (int i = 0; i < unit.length; i++) {
            value += unit[i] * product[i];
        }
        return value;
    }

    private static double[] times(double[][] matrix, double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double sum = 0;
            for (int j = 0; j < v.length; j++) {
                sum += matrix[i][j] * v[j];
            }
            out[i] = sum;
        }
        return out;
    }

    /** Scales {@code v} to unit length; false when it is zero (nothing to scale). */
    private static boolean normalise(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            return false;
        }
        double scale = 1 / Math.sqrt(norm);
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return true;
    }
}
