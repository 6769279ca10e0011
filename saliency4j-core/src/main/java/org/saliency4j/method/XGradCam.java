package org.saliency4j.method;

/**
 * Grad-CAM with each channel weighted by {@code sum(gradient x output) / sum(output)} over its positions (XGrad-
 * CAM, Fu et al., 2020).
 *
 * @param layer the layer weighed, a module path such as {@code features.norm5}; null for the model's last layer
 *              with a spatial output
 */
public record XGradCam(String layer) implements ClassActivationMap {

    public XGradCam {
        layer = MethodParameters.checkLayer(layer);
    }

    @Override
    public XGradCam withLayer(String value) {
        return new XGradCam(value);
    }
}
