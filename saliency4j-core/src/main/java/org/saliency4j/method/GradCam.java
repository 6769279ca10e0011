package org.saliency4j.method;

/**
 * A layer's output channels weighted by their spatially averaged gradients, summed, ReLU, upsampled to the input
 * bilinearly (Selvaraju et al., 2017).
 *
 * @param layer the layer weighed, a module path such as {@code features.norm5}; null for the model's last layer
 *              with a spatial output
 */
public record GradCam(String layer) implements Method {

    public GradCam {
        layer = MethodParameters.checkLayer(layer);
    }

    /** The first pass's layer output and gradient are all it needs. */
    @Override
    public long passes() {
        return 1;
    }

    @Override
    public long passesPerCopy() {
        return 1;
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public boolean usesLayer() {
        return true;
    }

    @Override
    public GradCam withLayer(String value) {
        return new GradCam(value);
    }
}
