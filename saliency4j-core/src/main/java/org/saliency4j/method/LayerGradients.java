package org.saliency4j.method;

/**
 * A layer's output and the gradient of the explained score w.r.t. it, at a batch of inputs: what the Grad-CAM
 * family asks of the model. The engine implements it for one call's layer, target and score.
 */
@FunctionalInterface
public interface LayerGradients {
    /** @param inputs n images, (n, 3, H, W) row-major */
    LayerBatch at(float[] inputs, int n);
}
