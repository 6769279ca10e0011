package org.saliency4j;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A layer of a model, as Grad-CAM's {@code --layer} names it, and the shape of its output for one image of the
 * model's input size.
 */
public record LayerInfo(String name, int[] shape) {
    public LayerInfo {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Whether the output is (batch, channels, height, width) with more than one position: a Grad-CAM layer. */
    public boolean spatial() {
        return shape.length == 4 && (long) shape[2] * shape[3] > 1;
    }

    /**
     * Whether the output is a vision transformer's tokens, (batch, 1 + side * side, channels): a class token, then
     * a square grid of patch tokens, which Grad-CAM weighs as a (batch, channels, side, side) map.
     */
    public boolean tokenGrid() {
        return tokenGridSide(shape) > 0;
    }

    /**
     * The channels a class activation map weighs: a feature map's (dimension 1), a token grid's (its last); 0 for
     * other outputs.
     */
    public int channels() {
        return shape.length == 4 ? shape[1] : tokenGrid() ? shape[2] : 0;
    }

    /** The patch grid's side of a (batch, 1 + side * side, channels) output; 0 when the shape is not one. */
    public static int tokenGridSide(int[] shape) {
        if (shape.length != 3 || shape[1] < 5) {
            return 0;
        }
        int side = (int) Math.round(Math.sqrt(shape[1] - 1));
        return side * side == shape[1] - 1 ? side : 0;
    }

    /**
     * The patch grid's side of a vision transformer's attention, (batch, heads, 1 + side * side, 1 + side * side):
     * each token's weights over all tokens, the class token first; 0 when the shape is not one. A feature map of
     * that shape (a 5 x 5 one, say) has it too: attention rollout checks that the rows are probabilities as well.
     */
    public static int attentionGridSide(int[] shape) {
        return shape.length == 4 && shape[2] == shape[3] ? tokenGridSide(new int[]{shape[0], shape[2], shape[1]})
                : 0;
    }

    /**
     * Grad-CAM's default layer among {@code layers} (in forward order): the last {@link #spatial()} one, which in a
     * classifier is the last feature map before global pooling; empty when none is spatial.
     */
    public static Optional<LayerInfo> gradCamDefault(List<LayerInfo> layers) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i).spatial()) {
                return Optional.of(layers.get(i));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerInfo other && name.equals(other.name) && Arrays.equals(shape, other.shape);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }
}
