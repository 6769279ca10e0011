package org.saliency4j.method;

/**
 * Ablation-CAM (Desai and Ramaswamy, 2020), as pytorch-grad-cam computes it: channel k weighs {@code (y - y_k) / y},
 * the explained score's relative drop when channel k of the layer's output is zeroed; ReLU of the weighted sum,
 * upsampled. One forward pass per channel. A vision transformer's token layer has channel k zeroed at every token,
 * the class token included (pytorch-grad-cam's {@code AblationLayerVit}).
 *
 * @param layer the layer weighed, a module path such as {@code features.norm5}; null for the model's last layer
 *              with a spatial output
 */
public record AblationCam(String layer) implements ChannelScoredMap {

    public AblationCam {
        layer = MethodParameters.checkLayer(layer);
    }

    @Override
    public AblationCam withLayer(String value) {
        return new AblationCam(value);
    }
}
