package org.saliency4j;

import java.util.List;

/** One class of the model's ranking: its index, its name and its softmax probability. */
public record Prediction(int index, String label, float probability) {

    /** The {@code k} most probable classes, most probable first; equal probabilities in index order. */
    public static List<Prediction> mostProbable(float[] probabilities, int k, ClassLabels labels) {
        return ClassRanking.mostProbableFirst(probabilities).limit(k)
                .mapToObj(i -> new Prediction(i, labels.name(i), probabilities[i])).toList();
    }
}
