package org.saliency4j;

/**
 * The class that was explained and the value of the score that was differentiated.
 *
 * @param index the class index
 * @param label the class name
 * @param score which score was differentiated
 * @param value the score's value for this image
 */
public record TargetScore(int index, String label, Score score, float value) {
}
