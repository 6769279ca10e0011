package org.saliency4j.models.weights;

import java.util.Arrays;

/**
 * A tensor of a weight file, as the file holds it: its element type, its shape, and a strided view of its storage
 * (a transposed or sliced tensor, one sharing its storage with others, a 0-dimensional one). The values are read
 * in C order on request, exactly ({@link #toDoubles()}, {@link #toLongs()}) or as float32 for an architecture.
 */
public final class WeightTensor {
    /** The most elements one tensor may have: a Java array's. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Far past any network's tensors (PyTorch's own kernels stop at 25); bounds what a file's shape may spell. */
    static final int MAX_DIMENSIONS = 64;

    private final Storage storage;
    private final long offset;
    private final int[] shape;
    private final long[] strides;
    private final int numel;

    private WeightTensor(Storage storage, long offset, int[] shape, long[] strides, int numel) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.numel = numel;
    }

    /** A contiguous tensor over all of {@code storage}. */
    static WeightTensor contiguous(Storage storage, long[] shape) {
        long[] strides = new long[shape.length];
        long stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride = stride * Math.max(Math.min(shape[d], Integer.MAX_VALUE), 1);
            // Past the bound the view below refuses the shape anyway: keep the strides from overflowing first.
            stride = Math.min(stride, MAX_ELEMENTS + 1);
        }
        return view(storage, 0, shape, strides);
    }

    /**
     * A view of {@code storage}, checked before anything is allocated: sizes, strides and offset not negative, every
     * element it reaches inside the storage, and no more elements than the storage holds (a view that repeats
     * elements through a zero stride would let a few bytes ask for any allocation; state dicts never hold one).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static WeightTensor view(Storage storage, long offset, long[] shape, long[] strides) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("size " + Arrays.toString(shape) + " and stride "
                    + Arrays.toString(strides) + " differ in length");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("negative storage offset " + offset);
        }
        long numel = 1;
        long last = offset;
        int[] sizes = new int[shape.length];
        try {
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("size " + Arrays.toString(shape) + " has a dimension past 2^31");
                }
                if (shape[d] < 0 || strides[d] < 0) {
                    throw new IllegalArgumentException("negative size or stride: size " + Arrays.toString(shape)
                            + ", stride " + Arrays.toString(strides));
                }
                numel = Math.multiplyExact(numel, shape[d]);
                if (shape[d] > 0) {
                    last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, strides[d]));
                }
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size " + Arrays.toString(shape) + " overflows 64 bits");
        }
        if (numel > 0 && last >= storage.numel()) {
            throw new IllegalArgumentException("a view of size " + Arrays.toString(shape) + ", stride "
                    + Arrays.toString(strides) + " at offset " + offset + " reaches element " + last
                    + " of a storage of " + storage.numel());
        }
        if (numel > Math.max(storage.numel(), 1) || numel > MAX_ELEMENTS) {
            throw new IllegalArgumentException("size " + Arrays.toString(shape) + " has " + numel
                    + " elements, more than its storage holds (" + storage.numel() + ")");
        }
        for (int d = 0; d < shape.length; d++) {
            sizes[d] = (int) shape[d];
        }
        return new WeightTensor(storage, offset, sizes, strides.clone(), (int) numel);
    }

    public DType dtype() {
        return storage.dtype();
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The number of elements (1 for a 0-dimensional tensor). */
    public int numel() {
        return numel;
    }

    /** The values in C order, converted to float32 as {@code Tensor.copy_} converts them. */
    public float[] toFloats() {
        float[] values = new float[numel];
        boolean integral = dtype().integral();
        forEachElement((i, index) -> values[i] = integral ? (float) storage.integer(index) : (float) storage.value(index));
        return values;
    }

    /** The values in C order, exactly (every type but I64 beyond 2^53 fits a double). */
    public double[] toDoubles() {
        double[] values = new double[numel];
        forEachElement((i, index) -> values[i] = storage.value(index));
        return values;
    }

    /**
     * The values in C order, exactly, for the integral types.
     *
     * @throws IllegalStateException for a floating-point tensor
     */
    public long[] toLongs() {
        if (!dtype().integral()) {
            throw new IllegalStateException("a " + dtype() + " tensor has no exact integer values");
        }
        long[] values = new long[numel];
        forEachElement((i, index) -> values[i] = storage.integer(index));
        return values;
    }

    private interface Element {
        void at(int flatIndex, long storageIndex);
    }

    /** Each element's storage index in C order: an odometer over the shape, adding strides. */
    private void forEachElement(Element element) {
        int[] position = new int[shape.length];
        long index = offset;
        for (int i = 0; i < numel; i++) {
            element.at(i, index);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++position[d] < shape[d]) {
                    index += strides[d];
                    break;
                }
                index -= (long) (shape[d] - 1) * strides[d];
                position[d] = 0;
            }
        }
    }

    @Override
    public String toString() {
        return dtype() + Arrays.toString(shape);
    }
}
