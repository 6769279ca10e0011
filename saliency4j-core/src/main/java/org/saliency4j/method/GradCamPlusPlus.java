package org.saliency4j.method;

/**
 * Grad-CAM with each position's gradient weighted by the second-order terms of Chattopadhay et al., 2018.
 *
 * @param layer the layer weighed, a module path such as {@code features.norm5}; null for the model's last layer
 *              with a spatial output
 */
public record GradCamPlusPlus(String layer) implements Method {

    public GradCamPlusPlus {
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
    public GradCamPlusPlus withLayer(String value) {
        return new GradCamPlusPlus(value);
    }
}
