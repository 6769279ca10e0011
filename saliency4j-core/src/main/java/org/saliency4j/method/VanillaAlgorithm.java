package org.saliency4j.method;

/** Vanilla gradients: the first pass's gradient is the attribution. */
final class VanillaAlgorithm implements Algorithm {
    VanillaAlgorithm(Vanilla method) {
    }

    @Override
    public float[] at(float[] inputs, int n, Context context) {
        return context.gradients(inputs, n, ReluRule.STANDARD);
    }

    @Override
    public Attributions.Result atInput(Attributions.Input input, Context context) {
        return new Attributions.Result(input.gradient(), Double.NaN);
    }
}
