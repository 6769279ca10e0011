package org.saliency4j.image;

/** A BMP's size from its DIB header; BMP has no orientation tag. */
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
            return new ImageProbe.Declared(le.u16(DIB + 4), le.u16(DIB + 6), 1);
        }
        if (headerSize < SMALLEST_INFO_HEADER) {
            throw new HeaderBytes.Damaged("a BMP DIB header of " + headerSize + " bytes");
        }
        int width = (int) le.u32(DIB + 4);
        int height = (int) le.u32(DIB + 8);
        // A negative height means rows are stored top-down; the size is its absolute value.
        return new ImageProbe.Declared(width, Math.abs((long) height), 1);
    }
}
