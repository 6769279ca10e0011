package org.saliency4j.method;

/** Gradients under the guided ReLU rule. */
final class GuidedBackpropAlgorithm implements Algorithm {
    private final GuidedBackprop method;

    GuidedBackpropAlgorithm(GuidedBackprop method) {
        this.method = method;
    }

    @Override
    public float[] at(float[] inputs, int n, Pass pass) {
        return pass.gradients(inputs, n, method.relu());
    }
}
