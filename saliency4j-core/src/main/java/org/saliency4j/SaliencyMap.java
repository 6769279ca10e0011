package org.saliency4j;

import java.util.Optional;

/**
 * The 2-D map before colouring, one value per model input pixel, row-major, and the reduction that made it (which
 * the panel rendering's automatic window follows). After min-max or percentile normalisation the values lie in
 * [0, 1].
 */
public final class SaliencyMap {
    private final int width;
    private final int height;
    private final float[] values;
    private final Reduction reduction;

    /** A map of a copy of {@code values}, made by no known reduction. */
    public SaliencyMap(int width, int height, float[] values) {
        this(width, height, values, null);
    }

    /** A map of a copy of {@code values}, made by {@code reduction} (null: not known). */
    public SaliencyMap(int width, int height, float[] values, Reduction reduction) {
        if (values.length != (long) width * height) {
            throw new IllegalArgumentException(width + "x" + height + " map needs " + (long) width * height
                    + " values, got " + values.length);
        }
        this.width = width;
        this.height = height;
        this.values = values.clone();
        this.reduction = reduction;
    }

    /** The reduction of the attribution's channels that made the map, when known. */
    public Optional<Reduction> reduction() {
        return Optional.ofNullable(reduction);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public float at(int x, int y) {
        return values[y * width + x];
    }

    /** A copy of the values, row-major. */
    public float[] toArray() {
        return values.clone();
    }

    /** The map as a tensor of shape (height, width). */
    public FloatTensor toTensor() {
        return FloatTensor.adopt(new int[]{height, width}, values);
    }
}
