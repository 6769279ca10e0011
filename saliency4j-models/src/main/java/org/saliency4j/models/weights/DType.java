package org.saliency4j.models.weights;

import java.nio.ByteBuffer;

/** The element types a weight file may hold, with their sizes in bytes; stored little-endian. */
public enum DType {
    F32(4), F64(8), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether the values are integers (or booleans), read exactly by {@link WeightTensor#toLongs()}. */
    public boolean integral() {
        return this != F32 && this != F64 && this != F16 && this != BF16;
    }

    /** The element at {@code byteIndex} of a little-endian buffer, as a double (exact for every type but I64). */
    double read(ByteBuffer b, int byteIndex) {
        return switch (this) {
            case F32 -> b.getFloat(byteIndex);
            case F64 -> b.getDouble(byteIndex);
            case F16 -> HalfFloats.toFloat(b.getShort(byteIndex));
            case BF16 -> Float.intBitsToFloat((b.getShort(byteIndex) & 0xffff) << 16);
            case I64 -> b.getLong(byteIndex);
            case I32 -> b.getInt(byteIndex);
            case I16 -> b.getShort(byteIndex);
            case I8 -> b.get(byteIndex);
            case U8, BOOL -> b.get(byteIndex) & 0xff;
        };
    }

    /** The element at {@code byteIndex} as a long, for the integral types. */
    long readLong(ByteBuffer b, int byteIndex) {
        return this == I64 ? b.getLong(byteIndex) : (long) read(b, byteIndex);
    }
}
