package org.saliency4j.method;

/**
 * The explained class's score and its gradient at a batch of inputs: one forward and one backward through the
 * model. The engine implements it for one call's target and score.
 */
@FunctionalInterface
public interface ScoreGradients {

    /**
     * @param inputs n images, (n, 3, H, W) row-major
     * @param relu   how ReLUs pass gradients back
     */
    Result at(float[] inputs, int n, ReluRule relu);

    /** Gradients (n, 3, H, W) and scores (n). */
    record Result(float[] gradients, float[] scores) {
    }
}
