package org.saliency4j;

/**
 * What is loaded.
 *
 * @param name      the model file
 * @param device    {@code cpu} or {@code cuda:N}
 * @param classes   the number of classes the model scores
 * @param inputSize the side of the square input the model was checked with
 */
public record ModelInfo(String name, String device, int classes, int inputSize) {
}
