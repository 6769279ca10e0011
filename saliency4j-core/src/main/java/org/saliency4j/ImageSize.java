package org.saliency4j;

/**
 * An image's size in pixels, and the samples its decoder will hold per pixel, as its header declares them: what
 * admission control weighs before any pixel is decoded.
 *
 * @param channels       the samples per pixel that OpenCV's {@code IMREAD_UNCHANGED} decode returns, 1-4 (4 where
 *                       the header leaves it open: the largest plausible cost)
 * @param bytesPerSample the bytes of one such sample: 1, 2 (16-bit), 4 (32-bit) or 8 (64-bit)
 */
public record ImageSize(int width, int height, int channels, int bytesPerSample) {
    /**
     * Bytes a pixel costs however it is stored: the decoder's 8-bit RGB result (3 native) and the Java heap copies
     * of it (6).
     */
    private static final int BASE_BYTES_PER_PIXEL = 9;
    /** Extra bytes a pixel costs when it has alpha: the planes split, weighted and merged to composite onto white. */
    private static final int ALPHA_BYTES_PER_PIXEL = 15;

    public ImageSize {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("an image has at least one pixel, got " + width + "x" + height);
        }
        if (channels < 1 || channels > 4) {
            throw new IllegalArgumentException("an image has 1 to 4 channels, got " + channels);
        }
        if (bytesPerSample != 1 && bytesPerSample != 2 && bytesPerSample != 4 && bytesPerSample != 8) {
            throw new IllegalArgumentException("a sample has 1, 2, 4 or 8 bytes, got " + bytesPerSample);
        }
    }

    /** A decoded picture's size: 8-bit RGB. */
    public ImageSize(int width, int height) {
        this(width, height, 3, 1);
    }

    public long pixels() {
        return (long) width * height;
    }

    /** The raw decode's bytes per pixel: channels x bytes per sample. */
    public int decodedBytesPerPixel() {
        return channels * bytesPerSample;
    }

    /** Whether the decode has an alpha channel (grey+alpha or BGRA), which is composited onto white. */
    public boolean hasAlpha() {
        return channels == 2 || channels == 4;
    }

    /**
     * The memory that decoding the image costs at its peak, native and Java heap together: pixels x (9 + 2 x the
     * raw bytes per pixel + 15 when there is alpha to composite). The raw decode counts twice: the decoded Mat,
     * and its 8-bit conversion or a working copy alongside it.
     *
     * <p>Measured peaks (native, plus the 6 bytes a pixel of Java heap copies) against this estimate: 8-bit RGB
     * PNG 12 bytes a pixel measured, 15 estimated; 8-bit RGBA 25 measured, 32 estimated; 16-bit RGBA 33 measured,
     * 40 estimated. The estimate stays above each measurement by a few bytes a pixel, allocator slack included.
     * Sizes whose estimate exceeds {@code Long.MAX_VALUE} give {@code Long.MAX_VALUE}.
     *
     * <p>Not included: the native copy of the encoded bytes that the decode makes (as many bytes as the file), and,
     * for a TIFF stored as one strip or in large tiles, libtiff's strip buffer (about 4 bytes a pixel more for an
     * 8-bit one-strip TIFF, measured).
     */
    public long decodingBytes() {
        long perPixel = BASE_BYTES_PER_PIXEL + 2L * decodedBytesPerPixel() + (hasAlpha() ? ALPHA_BYTES_PER_PIXEL : 0);
        // Saturates rather than wraps for sizes no pixel limit would admit.
        return pixels() > Long.MAX_VALUE / perPixel ? Long.MAX_VALUE : pixels() * perPixel;
    }
}
