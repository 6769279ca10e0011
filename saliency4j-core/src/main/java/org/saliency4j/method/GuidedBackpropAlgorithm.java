package org.saliency4j.method;

/** Gradients under the guided ReLU rule. */
final class GuidedBackpropAlgorithm implements Algorithm {
    private final GuidedBackprop method;

    GuidedBackpropAlgorithm(GuidedBackprop method) {
        this.method = method;
    }

    @Override
    public float[] at(float[] inputs, int n, Context context) {
        return context.gradients(inputs, n, method.relu());
    }
}
