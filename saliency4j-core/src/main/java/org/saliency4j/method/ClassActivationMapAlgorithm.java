package org.saliency4j.method;

/**
 * The algorithm of every class activation map: the method's rule applied to each input's layer output and
 * gradient, upsampled; at the explained input, to the first pass's layer. The CAM methods differ only in their rule;
 * Score-CAM's and Ablation-CAM's also ask the model about the input.
 */
final class ClassActivationMapAlgorithm implements Algorithm {
    private final ClassActivationMaps.ModelRule rule;

    ClassActivationMapAlgorithm(ClassActivationMaps.Rule rule) {
        this.rule = (batch, image, input, context) -> rule.map(batch, image);
    }

    ClassActivationMapAlgorithm(ClassActivationMaps.ModelRule rule) {
        this.rule = rule;
    }

    @Override
    public float[] at(float[] inputs, int n, Context context) {
        return ClassActivationMaps.at(inputs, n, rule, null, context);
    }

    @Override
    public Attributions.Result atInput(Attributions.Input input, Context context) {
        return new Attributions.Result(ClassActivationMaps.at(input.values(), 1, rule, input.layer(), context),
                Double.NaN);
    }
}
