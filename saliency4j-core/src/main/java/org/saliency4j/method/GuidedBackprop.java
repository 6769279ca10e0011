package org.saliency4j.method;

/**
 * Gradients through ReLUs that pass only positive gradients where the input was positive (Springenberg et al.,
 * 2015).
 */
public record GuidedBackprop() implements Method {
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
        return ReluRule.GUIDED;
    }
}
