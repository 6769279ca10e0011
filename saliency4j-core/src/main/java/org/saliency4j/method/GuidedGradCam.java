package org.saliency4j.method;

/**
 * Guided backpropagation times the Grad-CAM map (Selvaraju et al., 2017).
 *
 * @param layer the layer weighed, a module path such as {@code features.norm5}; null for the model's last layer
 *              with a spatial output
 */
public record GuidedGradCam(String layer) implements LayerMethod {

    public GuidedGradCam {
        layer = MethodParameters.checkLayer(layer);
    }

    /** Guided gradients; the Grad-CAM map comes from the first pass. */
    @Override
    public long passes(Workload workload) {
        return 2;
    }

    /** Guided gradients, and the layer's. */
    @Override
    public long passesPerCopy(Workload workload) {
        return 2;
    }

    @Override
    public GuidedGradCam withLayer(String value) {
        return new GuidedGradCam(value);
    }

    @Override
    public ReluRule relu() {
        return ReluRule.GUIDED;
    }
}
