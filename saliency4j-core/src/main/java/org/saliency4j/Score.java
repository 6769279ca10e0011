package org.saliency4j;

import java.util.Locale;

/** Which function of the classifier's output is differentiated. */
public enum Score {
    /** The raw class score before softmax, as the PyTorch tutorial backpropagates. */
    LOGIT,
    /** The softmax probability, as the TensorFlow tutorial (whose model ends in softmax) backpropagates. */
    PROBABILITY,
    /** The log of the softmax probability. */
    LOG_PROBABILITY;

    /** The option spelling: {@code logit}, {@code probability}, {@code log-probability}. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Score parse(String text) {
        return Vocabulary.SCORE.parse(text);
    }
}
