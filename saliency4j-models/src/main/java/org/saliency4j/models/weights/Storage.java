package org.saliency4j.models.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One storage of a weight file: {@code numel} elements of one type, little-endian. Several tensors may view it. A
 * legacy {@code torch.save} file names its storages in the pickle and writes their bytes after it, so the bytes may
 * arrive after the tensors that view them are made: views are checked against {@code numel}, the bytes against it
 * when they come.
 */
final class Storage {
    private final DType dtype;
    private final long numel;
    private ByteBuffer bytes;

    Storage(DType dtype, long numel) {
        this.dtype = dtype;
        this.numel = numel;
    }

    static Storage of(DType dtype, byte[] bytes) {
        Storage storage = new Storage(dtype, bytes.length / dtype.bytes());
        storage.fill(bytes);
        return storage;
    }

    DType dtype() {
        return dtype;
    }

    long numel() {
        return numel;
    }

    boolean filled() {
        return bytes != null;
    }

    void fill(byte[] data) {
        if (data.length != numel * dtype.bytes()) {
            throw new IllegalArgumentException(data.length + " bytes for " + numel + " elements of " + dtype);
        }
        bytes = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    double value(long index) {
        return dtype.read(bytes, Math.toIntExact(index * dtype.bytes()));
    }

    long integer(long index) {
        return dtype.readLong(bytes, Math.toIntExact(index * dtype.bytes()));
    }
}
