package org.saliency4j;

import java.util.Comparator;
import java.util.stream.IntStream;

/** The order in which the predictions list classes, which rank targets count in too. */
final class ClassRanking {
    private ClassRanking() {
    }

    /** Class indices, most probable first; equal probabilities in index order. */
    static IntStream mostProbableFirst(float[] probabilities) {
        return IntStream.range(0, probabilities.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -probabilities[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue);
    }
}
