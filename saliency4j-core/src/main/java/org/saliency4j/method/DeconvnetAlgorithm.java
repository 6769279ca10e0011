package org.saliency4j.method;

/** Gradients under the deconvnet ReLU rule. */
final class DeconvnetAlgorithm implements Algorithm {
    private final Deconvnet method;

    DeconvnetAlgorithm(Deconvnet method) {
        this.method = method;
    }

    @Override
    public float[] at(float[] inputs, int n, Context context) {
        return context.gradients(inputs, n, method.relu());
    }
}
