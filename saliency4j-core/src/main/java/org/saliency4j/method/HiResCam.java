package org.saliency4j.method;

/**
 * The layer's output times its gradient, element by element, summed over the channels, ReLU, upsampled to the input
 * bilinearly (HiResCAM, Draelos and Carin, 2020): the map Grad-CAM's channel averaging blurs, faithful to the score
 * for models that end in global average pooling and a linear layer.
 *
 * @param layer the layer weighed, a module path such as {@code features.norm5}; null for the model's last layer
 *              with a spatial output
 */
public record HiResCam(String layer) implements ClassActivationMap {

    public HiResCam {
        layer = MethodParameters.checkLayer(layer);
    }

    @Override
    public HiResCam withLayer(String value) {
        return new HiResCam(value);
    }
}
