package org.saliency4j.method;

/** The gradient of the score w.r.t. the input (Simonyan et al., 2013): the first pass's gradient itself. */
public record Vanilla() implements Method {
    @Override
    public long passes(Workload workload) {
        return 1;
    }

    @Override
    public long passesPerCopy(Workload workload) {
        return 1;
    }
}
