package org.saliency4j.method;

/**
 * The algorithm of both rollouts: the method's rule applied to each input's attention layers, upsampled as the
 * class activation maps are; at the explained input, to the first pass's layers.
 */
final class RolloutAlgorithm implements Algorithm {
    /** One image's rolled-out map on the patch grid. */
    @FunctionalInterface
    interface Rule {
        ClassActivationMaps.Coarse map(TappedLayers batch, int image);
    }

    private final Rule rule;

    RolloutAlgorithm(Rule rule) {
        this.rule = rule;
    }

    @Override
    public float[] at(float[] inputs, int n, Context context) {
        return ClassActivationMaps.upsampled(inputs, n, null, context::attention,
                (batch, i, image) -> rule.map(batch, i), context);
    }

    @Override
    public Attributions.Result atInput(Attributions.Input input, Context context) {
        return new Attributions.Result(ClassActivationMaps.upsampled(input.values(), 1, input.attention(),
                context::attention, (batch, i, image) -> rule.map(batch, i), context), Double.NaN);
    }
}
