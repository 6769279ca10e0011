package org.saliency4j.method;

/**
 * What a method's cost depends on besides its own parameters: the model input's size (occlusion's windows grow
 * with it) and, for a method that weighs a layer, that layer's output channels (Score-CAM and Ablation-CAM send one
 * image per channel). {@link Method#passes(Workload)} reads it.
 *
 * @param height        the model input's height
 * @param width         the model input's width
 * @param layerChannels the weighed layer's output channels; 0 when the method weighs no layer
 */
public record Workload(int height, int width, int layerChannels) {

    public Workload {
        if (height < 1 || width < 1 || layerChannels < 0) {
            throw new IllegalArgumentException("a workload needs a positive size and non-negative channels, got "
                    + height + "x" + width + ", " + layerChannels + " channels");
        }
    }

    /** An input of {@code height} x {@code width} through a method that weighs no layer. */
    public static Workload of(int height, int width) {
        return new Workload(height, width, 0);
    }
}
