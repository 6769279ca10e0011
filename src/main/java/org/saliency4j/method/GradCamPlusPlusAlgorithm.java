package org.saliency4j.method;

/** Grad-CAM++ maps; at the explained input, from the first pass's layer. */
final class GradCamPlusPlusAlgorithm implements Algorithm {
    GradCamPlusPlusAlgorithm(GradCamPlusPlus method) {
    }

    @Override
    public float[] at(float[] inputs, int n, Pass pass) {
        return ClassActivationMaps.at(inputs, n, true, null, pass);
    }

    @Override
    public Attributions.Result atInput(Attributions.Input input, Pass pass) {
        return new Attributions.Result(ClassActivationMaps.at(input.values(), 1, true, input.layer(), pass),
                Double.NaN);
    }
}
