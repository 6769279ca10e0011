package org.saliency4j.method;

/**
 * A method that rolls out a vision transformer's attention, block by block, from the probabilities of every
 * attention layer (detected from their shape, (batch, heads, 1 + side * side, 1 + side * side)): the class token's
 * row of the rolled-out matrix over the patch tokens is the map, laid out on the patch grid and upsampled to the
 * input as the class activation maps are. One plane, from the first pass alone, so one pass for the input and one
 * for each noisy copy.
 */
public sealed interface AttentionMethod extends Method permits AttentionRollout, GradientRollout {

    @Override
    default long passes(Workload workload) {
        return 1;
    }

    @Override
    default long passesPerCopy(Workload workload) {
        return 1;
    }

    @Override
    default int channels() {
        return 1;
    }
}
