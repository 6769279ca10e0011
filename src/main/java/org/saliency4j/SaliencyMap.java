package org.saliency4j;

/**
 * The 2-D map before colouring, one value per model input pixel, row-major.
 * After min-max or percentile normalisation the values lie in [0, 1].
 */
public final class SaliencyMap {
    private final int width;
    private final int height;
    private final float[] values;

    public SaliencyMap(int width, int height, float[] values) {
        if (values.length != (long) width * height) {
            throw new IllegalArgumentException(width + "x" + height + " map needs " + (long) width * height
                    + " values, got " + values.length);
        }
        this.width = width;
        this.height = height;
        this.values = values.clone();
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
