package org.saliency4j.method;

/**
 * The layer's output times the positive part of its gradient, element by element, summed over the channels, ReLU,
 * upsampled (LayerCAM, Jiang et al., 2021): fine-grained maps from earlier layers too.
 *
 * @param layer the layer weighed, a module path such as {@code features.norm5}; null for the model's last layer
 *              with a spatial output
 */
public record LayerCam(String layer) implements ClassActivationMap {

    public LayerCam {
        layer = MethodParameters.checkLayer(layer);
    }

    @Override
    public LayerCam withLayer(String value) {
        return new LayerCam(value);
    }
}
