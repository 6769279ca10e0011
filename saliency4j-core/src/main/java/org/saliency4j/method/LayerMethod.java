package org.saliency4j.method;

/**
 * A method that weighs a layer's output, the Grad-CAM family: it takes a layer, a module path such as
 * {@code features.norm5}, or null for the model's last layer with a spatial output.
 */
public sealed interface LayerMethod extends Method permits ClassActivationMap, ChannelScoredMap, GuidedGradCam {

    @Override
    default boolean usesLayer() {
        return true;
    }
}
