package org.saliency4j.method;

/** Grad-CAM maps; at the explained input, from the first pass's layer. */
final class GradCamAlgorithm implements Algorithm {
    GradCamAlgorithm(GradCam method) {
    }

    @Override
    public float[] at(float[] inputs, int n, Pass pass) {
        return ClassActivationMaps.at(inputs, n, false, null, pass);
    }

    @Override
    public Attributions.Result atInput(Attributions.Input input, Pass pass) {
        return new Attributions.Result(ClassActivationMaps.at(input.values(), 1, false, input.layer(), pass),
                Double.NaN);
    }
}
