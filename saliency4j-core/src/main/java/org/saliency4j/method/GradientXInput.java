package org.saliency4j.method;

/** The gradient times the input (Shrikumar et al., 2016). */
public record GradientXInput() implements Method {
    @Override
    public long passes(Workload workload) {
        return 2;
    }

    @Override
    public long passesPerCopy(Workload workload) {
        return 1;
    }
}
