package org.saliency4j.method;

/** What a method reads of a vision transformer's attention layers: nothing, their probabilities, or both them and
 * the gradient of the score w.r.t. them. */
public enum AttentionTaps {
    NONE,
    PROBABILITIES,
    PROBABILITIES_AND_GRADIENTS
}
