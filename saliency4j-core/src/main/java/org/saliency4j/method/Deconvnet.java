package org.saliency4j.method;

/**
 * Gradients through ReLUs that pass the positive part of the gradient regardless of the input (Zeiler and Fergus,
 * 2014).
 */
public record Deconvnet() implements Method {
    @Override
    public long passes(Workload workload) {
        return 2;
    }

    @Override
    public long passesPerCopy(Workload workload) {
        return 1;
    }

    @Override
    public ReluRule relu() {
        return ReluRule.DECONVNET;
    }
}
