package org.saliency4j.method;

/**
 * The explained class's score at one input with one channel of the weighed layer's output zeroed, for each of a list
 * of channels, forward only: what Ablation-CAM asks of the model. The engine implements it for one call's target,
 * score and layer.
 */
@FunctionalInterface
public interface AblatedScores {

    /**
     * @param input    one image, (3, H, W)
     * @param channels the channels zeroed, one per image sent: each is a copy of {@code input} with that channel of
     *                 the layer's output (at every position) set to zero
     * @return the explained class's score for each channel, in order
     */
    float[] ablated(float[] input, int[] channels);
}
