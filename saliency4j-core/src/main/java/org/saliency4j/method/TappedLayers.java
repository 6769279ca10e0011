package org.saliency4j.method;

import java.util.Arrays;
import java.util.List;

/**
 * One forward pass over a batch that returned several layers' outputs as they are, and, when asked, one backward
 * pass to each of them: what attention rollout reads (every block's attention probabilities).
 *
 * @param targets the class explained for each image
 * @param scores  the differentiated score's value for each image
 * @param layers  the layers in forward order
 */
public record TappedLayers(int[] targets, float[] scores, List<Layer> layers) {

    public TappedLayers {
        layers = List.copyOf(layers);
    }

    /**
     * One layer's output and the gradient of each image's score w.r.t. it.
     *
     * @param name      the layer, a module path
     * @param shape     the output's shape, the batch first
     * @param values    the output, row-major
     * @param gradients the gradient, same shape; null when the pass did not ask for it
     */
    public record Layer(String name, int[] shape, float[] values, float[] gradients) {
        /** Values per image. */
        int size() {
            int size = 1;
            for (int i = 1; i < shape.length; i++) {
                size *= shape[i];
            }
            return size;
        }

        Layer image(int image) {
            int[] one = shape.clone();
            one[0] = 1;
            int size = size();
            return new Layer(name, one, Arrays.copyOfRange(values, image * size, (image + 1) * size),
                    gradients == null ? null : Arrays.copyOfRange(gradients, image * size, (image + 1) * size));
        }
    }

    /** Image {@code image} alone. */
    public TappedLayers image(int image) {
        return new TappedLayers(new int[]{targets[image]}, new float[]{scores[image]},
                layers.stream().map(l -> l.image(image)).toList());
    }
}
