package org.saliency4j.method;

/** Grad-CAM++ maps; at the explained input, from the first pass's layer. */
final class GradCamPlusPlusAlgorithm implements Algorithm {
    GradCamPlusPlusAlgorithm(GradCamPlusPlus method) {
    }

    @Override
    public float[] at(float[] inputs, int n, Context context) {
        return ClassActivationMaps.at(inputs, n, ClassActivationMaps::gradCamPlusPlus, null, context);
    }

    @Override
    public Attributions.Result atInput(Attributions.Input input, Context context) {
        float[] map = ClassActivationMaps.at(input.values(), 1, ClassActivationMaps::gradCamPlusPlus, input.layer(),
                context);
        return new Attributions.Result(map, Double.NaN);
    }
}
