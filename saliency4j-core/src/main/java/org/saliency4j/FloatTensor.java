package org.saliency4j;

import java.util.Arrays;

/** An immutable dense float32 array in row-major (C) order, with its shape. */
public final class FloatTensor {
    private final int[] shape;
    private final float[] data;

    public FloatTensor(int[] shape, float[] data) {
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count *= d;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
                    + " values, data has " + data.length);
        }
        this.shape = shape.clone();
        this.data = data.clone();
    }

    public int[] shape() {
        return shape.clone();
    }

    /** A copy of the values. */
    public float[] toArray() {
        return data.clone();
    }

    public int size() {
        return data.length;
    }

    /** The value at a flat row-major index. */
    public float at(int flatIndex) {
        return data[flatIndex];
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
