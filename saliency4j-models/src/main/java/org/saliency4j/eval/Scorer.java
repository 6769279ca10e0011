package org.saliency4j.eval;

import org.saliency4j.FloatTensor;

/** The target's score at each of several model inputs (n, 3, H, W), forward only: a model's, or a test's own. */
@FunctionalInterface
interface Scorer {
    float[] scores(FloatTensor inputs);
}
