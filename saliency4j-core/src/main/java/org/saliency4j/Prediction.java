package org.saliency4j;

/** One class of the model's ranking: its index, its name and its softmax probability. */
public record Prediction(int index, String label, float probability) {
}
