package org.saliency4j.method;

/**
 * Grad-CAM with each position's gradient weighted by the second-order terms of Chattopadhay et al., 2018.
 *
 * @param layer the layer weighed, a module path such as {@code features.norm5}; null for the model's last layer
 *              with a spatial output
 */
public record GradCamPlusPlus(String layer) implements ClassActivationMap {

    public GradCamPlusPlus {
        layer = MethodParameters.checkLayer(layer);
    }

    @Override
    public GradCamPlusPlus withLayer(String value) {
        return new GradCamPlusPlus(value);
    }
}
