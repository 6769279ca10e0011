package org.saliency4j.explain;

import org.saliency4j.Normalization;
import org.saliency4j.Preprocessing;
import org.saliency4j.Reduction;
import org.saliency4j.Score;
import org.saliency4j.Target;
import org.saliency4j.Vocabulary;
import org.saliency4j.method.Method;

/**
 * What to explain and how to build the map.
 *
 * @param method        the attribution method
 * @param target        the class to explain
 * @param score         the score that is differentiated
 * @param topK          how many predictions the explanation lists
 * @param preprocessing how the image becomes the model input; null for the model's own
 *                      ({@link SaliencyModel#preprocessing()}: its card's, else torchvision's ImageNet transform)
 * @param reduction     how the gradient's channels become one map value
 * @param normalization how the map is scaled
 */
public record ExplainRequest(Method method, Target target, Score score, int topK, Preprocessing preprocessing,
                             Reduction reduction, Normalization normalization) {

    public ExplainRequest {
        if (method == null || target == null || score == null || reduction == null || normalization == null) {
            throw new IllegalArgumentException("every field of an ExplainRequest but its preprocessing is required");
        }
        Vocabulary.TOPK.check(topK);
    }

    /**
     * The tutorial's defaults, from the {@link Vocabulary}: vanilla gradients, top-1 class, logit, top 5, the
     * model's own preprocessing (the one it was trained with, from its card; torchvision's ImageNet transform for a
     * model without one), abs-max, min-max.
     */
    public static ExplainRequest defaults() {
        return new ExplainRequest(Method.vanilla(), Vocabulary.TARGET.defaultValue(), Vocabulary.SCORE.defaultValue(),
                Vocabulary.TOPK.defaultValue(), null, Vocabulary.REDUCE.defaultValue(),
                Vocabulary.NORMALIZE.defaultValue());
    }

    public ExplainRequest withMethod(Method value) {
        return new ExplainRequest(value, target, score, topK, preprocessing, reduction, normalization);
    }

    public ExplainRequest withTarget(Target value) {
        return new ExplainRequest(method, value, score, topK, preprocessing, reduction, normalization);
    }

    public ExplainRequest withScore(Score value) {
        return new ExplainRequest(method, target, value, topK, preprocessing, reduction, normalization);
    }

    public ExplainRequest withTopK(int value) {
        return new ExplainRequest(method, target, score, value, preprocessing, reduction, normalization);
    }

    /** @param value the preprocessing, or null for the model's own */
    public ExplainRequest withPreprocessing(Preprocessing value) {
        return new ExplainRequest(method, target, score, topK, value, reduction, normalization);
    }

    public ExplainRequest withReduction(Reduction value) {
        return new ExplainRequest(method, target, score, topK, preprocessing, value, normalization);
    }

    public ExplainRequest withNormalization(Normalization value) {
        return new ExplainRequest(method, target, score, topK, preprocessing, reduction, value);
    }
}
