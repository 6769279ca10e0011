package org.saliency4j.method;

import java.util.List;

/**
 * The rollouts as their papers write them, whole T x T matrix products, for tests to check the library's against:
 * attention rollout's {@code R = A'_L ... A'_1} and the gradient rule's {@code R <- R + Ā R}, each block's heads
 * given as (heads, T, T) row-major; the class token's row over the patches is the answer.
 */
public final class WholeProducts {
    private WholeProducts() {
    }

    public static float[] attentionRollout(List<double[]> probabilities, int heads, int tokens) {
        double[][] r = identity(tokens);
        for (double[] a : probabilities) {
            double[][] m = new double[tokens][tokens];
            for (int i = 0; i < tokens; i++) {
                double sum = 0;
                for (int j = 0; j < tokens; j++) {
                    double mean = 0;
                    for (int h = 0; h < heads; h++) {
                        mean += a[(h * tokens + i) * tokens + j] / heads;
                    }
                    m[i][j] = 0.5 * mean + (i == j ? 0.5 : 0);
                    sum += m[i][j];
                }
                for (int j = 0; j < tokens; j++) {
                    m[i][j] /= sum;
                }
            }
            r = product(m, r);
        }
        return classRow(r);
    }

    public static float[] gradientRollout(List<double[]> probabilities, List<double[]> gradients, int heads,
                                          int tokens) {
        double[][] r = identity(tokens);
        for (int l = 0; l < probabilities.size(); l++) {
            double[] a = probabilities.get(l);
            double[] g = gradients.get(l);
            double[][] m = new double[tokens][tokens];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < tokens; i++) {
                    for (int j = 0; j < tokens; j++) {
                        int at = (h * tokens + i) * tokens + j;
                        m[i][j] += Math.max(0, a[at] * g[at]) / heads;
                    }
                }
            }
            double[][] added = product(m, r);
            for (int i = 0; i < tokens; i++) {
                for (int j = 0; j < tokens; j++) {
                    r[i][j] += added[i][j];
                }
            }
        }
        return classRow(r);
    }

    /** A map on the side x side patch grid upsampled to the input as the library's maps are (checked against
     * OpenCV's in ClassActivationMapsTest). */
    public static float[] upsampled(float[] patches, int side, int toSide) {
        return ClassActivationMaps.upsample(patches, side, side, toSide, toSide);
    }

    private static double[][] identity(int t) {
        double[][] m = new double[t][t];
        for (int i = 0; i < t; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    private static double[][] product(double[][] a, double[][] b) {
        int t = a.length;
        double[][] c = new double[t][t];
        for (int i = 0; i < t; i++) {
            for (int k = 0; k < t; k++) {
                for (int j = 0; j < t; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    private static float[] classRow(double[][] r) {
        float[] out = new float[r.length - 1];
        for (int j = 1; j < r.length; j++) {
            out[j - 1] = (float) r[0][j];
        }
        return out;
    }
}
