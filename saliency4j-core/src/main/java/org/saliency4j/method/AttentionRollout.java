package org.saliency4j.method;

/**
 * Attention rollout (Abnar and Zuidema, 2020): each block's heads fused, the residual connection added as
 * {@code 0.5 A + 0.5 I} with rows renormalised to sum to 1, and the blocks' matrices multiplied, the last on the
 * left; the class token's row over the patches is the map. No gradient: the same map for every target.
 *
 * @param headFusion how each block's heads merge: their mean (the paper's), maximum or minimum
 */
public record AttentionRollout(HeadFusion headFusion) implements AttentionMethod {

    public AttentionRollout {
        if (headFusion == null) {
            throw new IllegalArgumentException("headFusion is required");
        }
    }

    @Override
    public AttentionTaps attentionTaps() {
        return AttentionTaps.PROBABILITIES;
    }
}
