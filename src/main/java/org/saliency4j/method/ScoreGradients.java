package org.saliency4j.method;

/** The explained class's score and its gradient at a batch of inputs: one forward and one backward through the model. */
@FunctionalInterface
public interface ScoreGradients {

    /** @param inputs n images, (n, 3, H, W) row-major */
    Result at(float[] inputs, int n);

    /** Gradients (n, 3, H, W) and scores (n). */
    record Result(float[] gradients, float[] scores) {
    }
}
