package org.saliency4j.method;

/**
 * Every attention layer's probabilities, and the gradient of the explained score w.r.t. them when the method weighs
 * by gradient, at a batch of inputs: what attention rollout asks of the model. The engine implements it for one
 * call's layers, target and score.
 */
@FunctionalInterface
public interface AttentionGradients {
    /** @param inputs n images, (n, 3, H, W) row-major */
    TappedLayers attentionAt(float[] inputs, int n);
}
