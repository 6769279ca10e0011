package org.saliency4j.method;

/**
 * A layer's output channels weighted by their spatially averaged gradients, summed, ReLU, upsampled to the input
 * bilinearly (Selvaraju et al., 2017).
 *
 * @param layer the layer weighed, a module path such as {@code features.norm5}; null for the model's last layer
 *              with a spatial output
 */
public record GradCam(String layer) implements ClassActivationMap {

    public GradCam {
        layer = MethodParameters.checkLayer(layer);
    }

    @Override
    public GradCam withLayer(String value) {
        return new GradCam(value);
    }
}
