package org.saliency4j.method;

/** Guided gradients times the Grad-CAM map, upsampled; at the explained input, the map from the first pass. */
final class GuidedGradCamAlgorithm implements Algorithm {
    private final GuidedGradCam method;

    GuidedGradCamAlgorithm(GuidedGradCam method) {
        this.method = method;
    }

    @Override
    public float[] at(float[] inputs, int n, Context context) {
        return guidedTimesMap(inputs, n, null, context);
    }

    @Override
    public Attributions.Result atInput(Attributions.Input input, Context context) {
        return new Attributions.Result(guidedTimesMap(input.values(), 1, input.layer(), context), Double.NaN);
    }

    private float[] guidedTimesMap(float[] inputs, int n, LayerBatch known, Context context) {
        float[] guided = context.gradients(inputs, n, method.relu());
        float[] maps = ClassActivationMaps.at(inputs, n, ClassActivationMaps::gradCam, known, context);
        int pixels = context.height * context.width;
        for (int i = 0; i < guided.length; i++) {
            guided[i] *= maps[i / context.plane * pixels + i % pixels];
        }
        return guided;
    }
}
