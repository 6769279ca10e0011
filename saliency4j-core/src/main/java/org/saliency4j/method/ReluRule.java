package org.saliency4j.method;

/** How ReLU passes gradients backward. */
public enum ReluRule {
    /** The true gradient: the incoming gradient where the ReLU's input was positive. */
    STANDARD,
    /** Guided backpropagation (Springenberg et al., 2015): only positive gradients, and only where the input was positive. */
    GUIDED,
    /** The deconvnet rule (Zeiler and Fergus, 2014): the positive part of the incoming gradient, wherever the input was. */
    DECONVNET
}
