package org.saliency4j;

import java.util.Arrays;

/** An immutable dense float32 array in row-major (C) order, with its shape. */
public final class FloatTensor {
    private final int[] shape;
    private final float[] data;

    /** A tensor of a copy of {@code data}. */
    public FloatTensor(int[] shape, float[] data) {
        this(shape, data, true);
    }

    private FloatTensor(int[] shape, float[] data, boolean copy) {
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
        this.data = copy ? data.clone() : data;
    }

    /**
     * A tensor that takes {@code data} as it is, without a copy: for arrays made for it (a gradient, a map) and
     * never written afterwards, where a copy would briefly hold a large array twice. Not public: a user's array
     * could change under an immutable tensor. The library's other packages reach the owning constructor through
     * {@code org.saliency4j.internal.Adopted}.
     */
    static FloatTensor adopt(int[] shape, float[] data) {
        return new FloatTensor(shape, data, false);
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
