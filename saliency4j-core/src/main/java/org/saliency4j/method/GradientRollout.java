package org.saliency4j.method;

/**
 * Gradient-weighted attention rollout, the gradient-only rule of Chefer et al. (2021, "Generic Attention-model
 * Explainability", self-attention): per block {@code Ā = mean over heads of (∇A ⊙ A)^+}, and
 * {@code R ← R + Ā R} from the identity, block by block; the class token's row of R over the patches is the map.
 */
public record GradientRollout() implements AttentionMethod {

    @Override
    public AttentionTaps attentionTaps() {
        return AttentionTaps.PROBABILITIES_AND_GRADIENTS;
    }
}
