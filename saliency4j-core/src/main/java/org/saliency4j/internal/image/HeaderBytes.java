package org.saliency4j.internal.image;

import java.nio.charset.StandardCharsets;

/**
 * A window on an encoded image's bytes for the header readers: every read is checked against the bytes actually
 * present, offsets are {@code long} so that a declared length cannot wrap around, and nothing is copied, so a
 * header can make its reader neither allocate nor read out of bounds whatever it declares.
 */
final class HeaderBytes {
    private final byte[] data;
    private final int start;
    private final int length;
    private final boolean littleEndian;

    private HeaderBytes(byte[] data, int start, int length, boolean littleEndian) {
        this.data = data;
        this.start = start;
        this.length = length;
        this.littleEndian = littleEndian;
    }

    /** All of {@code data}, big-endian. */
    static HeaderBytes of(byte[] data) {
        return new HeaderBytes(data, 0, data.length, false);
    }

    int length() {
        return length;
    }

    /** The same bytes read in the given byte order. */
    HeaderBytes order(boolean little) {
        return new HeaderBytes(data, start, length, little);
    }

    /** {@code count} bytes from {@code at}, in the same byte order. */
    HeaderBytes slice(long at, long count) {
        require(at, count);
        return new HeaderBytes(data, start + (int) at, (int) count, littleEndian);
    }

    /** Whether the bytes from {@code at} exist and spell {@code ascii}. */
    boolean startsWith(long at, String ascii) {
        if (at < 0 || at + ascii.length() > length) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if ((data[start + (int) at + i] & 0xff) != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    String ascii(long at, int count) {
        require(at, count);
        return new String(data, start + (int) at, count, StandardCharsets.ISO_8859_1);
    }

    int u8(long at) {
        require(at, 1);
        return data[start + (int) at] & 0xff;
    }

    int u16(long at) {
        return (int) unsigned(at, 2);
    }

    int u24(long at) {
        return (int) unsigned(at, 3);
    }

    long u32(long at) {
        return unsigned(at, 4);
    }

    /** The unsigned integer of {@code bytes} bytes at {@code at}, in this view's byte order. */
    private long unsigned(long at, int bytes) {
        require(at, bytes);
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            int b = data[start + (int) at + (littleEndian ? bytes - 1 - i : i)] & 0xff;
            value = value << 8 | b;
        }
        return value;
    }

    private void require(long at, long count) {
        if (at < 0 || count < 0 || at > length - count) {
            throw new Damaged(count + " bytes at offset " + at + " lie beyond the " + length + " present");
        }
    }

    /** The header is inconsistent with itself or with the bytes present; the message says where. */
    static final class Damaged extends RuntimeException {
        Damaged(String message) {
            super(message, null, false, false);
        }
    }
}
