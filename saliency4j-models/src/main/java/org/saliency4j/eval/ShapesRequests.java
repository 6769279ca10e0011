package org.saliency4j.eval;

import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.Normalization;
import org.saliency4j.Preprocessing;
import org.saliency4j.Reduction;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.method.Method;

/** How the evaluations explain the demo task's images. */
final class ShapesRequests {
    private ShapesRequests() {
    }

    /**
     * The whole image is the model's input (stretched if the model takes another size), so boxes scale simply;
     * maps are the attribution's largest absolute value over channels, unnormalised.
     */
    static ExplainRequest base(SaliencyModel model, Method method) {
        return maps(preprocessing(model), method);
    }

    /** The model's preprocessing, stretching the whole image to its input. */
    static Preprocessing preprocessing(SaliencyModel model) {
        return model.preprocessing().withMode(Preprocessing.Mode.STRETCH);
    }

    /** The evaluations' maps of inputs prepared as {@code preprocessing} says: see {@link #base}. */
    static ExplainRequest maps(Preprocessing preprocessing, Method method) {
        return ExplainRequest.defaults().withPreprocessing(preprocessing).withMethod(method)
                .withReduction(Reduction.ABS_MAX).withNormalization(Normalization.none()).withTopK(1);
    }
}
