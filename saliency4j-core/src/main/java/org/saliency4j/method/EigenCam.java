package org.saliency4j.method;

/**
 * The layer's output projected on its first principal component over the positions, ReLU, upsampled (Eigen-CAM,
 * Muhammad and Yeasin, 2020): no gradient is used, so the map is the same for every target.
 *
 * @param layer the layer weighed, a module path such as {@code features.norm5}; null for the model's last layer
 *              with a spatial output
 */
public record EigenCam(String layer) implements ClassActivationMap {

    public EigenCam {
        layer = MethodParameters.checkLayer(layer);
    }

    @Override
    public EigenCam withLayer(String value) {
        return new EigenCam(value);
    }
}
