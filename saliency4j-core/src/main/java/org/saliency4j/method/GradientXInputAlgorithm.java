package org.saliency4j.method;

/** The gradient times the input, element by element. */
final class GradientXInputAlgorithm implements Algorithm {
    GradientXInputAlgorithm(GradientXInput method) {
    }

    @Override
    public float[] at(float[] inputs, int n, Context context) {
        float[] g = context.gradients(inputs, n, ReluRule.STANDARD);
        for (int i = 0; i < g.length; i++) {
            g[i] *= inputs[i];
        }
        return g;
    }
}
