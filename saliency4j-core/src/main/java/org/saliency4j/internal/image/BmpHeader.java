package org.saliency4j.internal.image;

/**
 * A BMP's size and bit count from its DIB header; BMP has no orientation tag. OpenCV decodes 32-bit BMPs to BGRA (4
 * channels) and the others to BGR (3); a palette of greys decodes to 1 channel, but the palette is not read and 3 is
 * counted (a small over-estimate). A bit count that cannot be read counts as 32 bits, the largest cost.
 */
final class BmpHeader {
    private static final int DIB = 14;
    private static final int CORE_HEADER = 12;
    private static final int SMALLEST_INFO_HEADER = 16;

    private BmpHeader() {
    }

    static ImageProbe.Declared read(HeaderBytes bmp) {
        HeaderBytes le = bmp.order(true);
        long headerSize = le.u32(DIB);
        if (headerSize == CORE_HEADER) {
            return new ImageProbe.Declared(le.u16(DIB + 4), le.u16(DIB + 6), 1, channels(le, DIB + 10), 1);
        }
        if (headerSize < SMALLEST_INFO_HEADER) {
            throw new HeaderBytes.Damaged("a BMP DIB header of " + headerSize + " bytes");
        }
        int width = (int) le.u32(DIB + 4);
        int height = (int) le.u32(DIB + 8);
        // A negative height means rows are stored top-down; the size is its absolute value.
        return new ImageProbe.Declared(width, Math.abs((long) height), 1, channels(le, DIB + 14), 1);
    }

    private static int channels(HeaderBytes le, int bitCountAt) {
        if (bitCountAt + 2 > le.length()) {
            return 4;
        }
        int bits = le.u16(bitCountAt);
        return bits == 32 || bits == 0 || bits > 32 ? 4 : 3;
    }
}
