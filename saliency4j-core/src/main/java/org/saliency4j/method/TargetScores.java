package org.saliency4j.method;

/**
 * The explained class's score at a batch of inputs, forward only (no gradient, no autograd history): what
 * perturbation methods and the forward-only class activation maps ask of the model. The engine implements it for
 * one call's target and score.
 */
@FunctionalInterface
public interface TargetScores {

    /**
     * @param inputs n images, (n, 3, H, W) row-major
     * @return the explained class's score for each image, (n)
     */
    float[] scores(float[] inputs, int n);
}
