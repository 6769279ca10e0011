package org.saliency4j.internal.torch;

/**
 * One forward and one backward pass over a batch.
 *
 * @param classes       the number of classes
 * @param probabilities softmax of the output, (batch, classes) row-major
 * @param targets       the class explained for each image
 * @param scores        the differentiated score's value for each image
 * @param gradient      the gradient of each image's score w.r.t. its input, (batch, 3, H, W) row-major
 */
public record GradientBatch(int classes, float[] probabilities, int[] targets, float[] scores, float[] gradient) {
}
