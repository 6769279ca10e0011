package org.saliency4j.method;

/**
 * One forward and one backward pass over a batch, stopped at a layer: what Grad-CAM weighs.
 *
 * @param layer       the layer's name
 * @param channels    the layer output's channels
 * @param height      the layer output's height
 * @param width       the layer output's width
 * @param targets     the class explained for each image
 * @param scores      the differentiated score's value for each image
 * @param activations the layer's output, (batch, channels, height, width) row-major
 * @param gradients   the gradient of each image's score w.r.t. the layer's output, same shape
 */
public record LayerBatch(String layer, int channels, int height, int width, int[] targets, float[] scores,
                         float[] activations, float[] gradients) {

    /** Image {@code image} alone. */
    public LayerBatch image(int image) {
        int size = channels * height * width;
        return new LayerBatch(layer, channels, height, width, new int[]{targets[image]}, new float[]{scores[image]},
                java.util.Arrays.copyOfRange(activations, image * size, (image + 1) * size),
                java.util.Arrays.copyOfRange(gradients, image * size, (image + 1) * size));
    }
}
