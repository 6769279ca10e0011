package org.saliency4j.models.weights;

import java.io.ByteArrayInputStream;

/** A pickle's bytes, all in memory, with the position and the bytes left that the unpickler's bounds need. */
final class PickleBytes extends ByteArrayInputStream {
    PickleBytes(byte[] bytes, int length) {
        super(bytes, 0, length);
    }

    int position() {
        return pos;
    }

    int left() {
        return count - pos;
    }

    /**
     * The little-endian unsigned integer of {@code width} (at most {@link #left()}) bytes at the position, without
     * consuming it; past 2^63, {@code Long.MAX_VALUE}.
     */
    long peekLength(int width) {
        long value = 0;
        for (int i = width - 1; i >= 0; i--) {
            value = (value << 8) | (buf[pos + i] & 0xff);
        }
        return width == 8 && value < 0 ? Long.MAX_VALUE : value;
    }
}
