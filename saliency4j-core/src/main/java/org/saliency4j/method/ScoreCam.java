package org.saliency4j.method;

/**
 * Score-CAM (Wang et al., 2020), as pytorch-grad-cam computes it: each channel of the layer's output, upsampled to the
 * input and scaled to [0, 1], masks the input; the explained score of each masked input, softmax over the channels,
 * weighs the channels; ReLU of the weighted sum, upsampled. One forward pass per channel.
 *
 * @param layer the layer weighed, a module path such as {@code features.norm5}; null for the model's last layer
 *              with a spatial output
 */
public record ScoreCam(String layer) implements ChannelScoredMap {

    public ScoreCam {
        layer = MethodParameters.checkLayer(layer);
    }

    @Override
    public ScoreCam withLayer(String value) {
        return new ScoreCam(value);
    }
}
