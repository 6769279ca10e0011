package org.saliency4j.method;

/** Guided gradients times the Grad-CAM map, upsampled; at the explained input, the map from the first pass. */
final class GuidedGradCamAlgorithm implements Algorithm {
    private final GuidedGradCam method;

    GuidedGradCamAlgorithm(GuidedGradCam method) {
        this.method = method;
    }

    @Override
    public float[] at(float[] inputs, int n, Pass pass) {
        return guidedTimesMap(inputs, n, null, pass);
    }

    @Override
    public Attributions.Result atInput(Attributions.Input input, Pass pass) {
        return new Attributions.Result(guidedTimesMap(input.values(), 1, input.layer(), pass), Double.NaN);
    }

    private float[] guidedTimesMap(float[] inputs, int n, LayerBatch known, Pass pass) {
        float[] guided = pass.gradients(inputs, n, method.relu());
        float[] maps = ClassActivationMaps.at(inputs, n, false, known, pass);
        int pixels = pass.height * pass.width;
        for (int i = 0; i < guided.length; i++) {
            guided[i] *= maps[i / pass.plane * pixels + i % pixels];
        }
        return guided;
    }
}
