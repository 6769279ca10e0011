package org.saliency4j;

/** An 8-bit RGB image, row-major, three bytes a pixel: a decoded input or a rendering. */
public final class Picture {
    /** The most pixels a picture can hold: three bytes each in one Java array. */
    public static final long MAX_PIXELS = (Integer.MAX_VALUE - 8) / 3;

    private final int width;
    private final int height;
    private final byte[] rgb;

    /** A picture of a copy of {@code rgb}. */
    public Picture(int width, int height, byte[] rgb) {
        this(width, height, rgb, true);
    }

    /**
     * With {@code copy} false, the picture takes {@code rgb} as it is: for arrays made for the picture (a decoder's
     * or a renderer's output), where a copy would briefly hold a large image twice. Private, so that no user's
     * array can change under an immutable picture; the image package reaches it through
     * {@code org.saliency4j.internal.Adopted}.
     */
    private Picture(int width, int height, byte[] rgb, boolean copy) {
        if (width <= 0 || height <= 0 || rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB picture needs "
                    + (long) width * height * 3 + " bytes, got " + rgb.length);
        }
        this.width = width;
        this.height = height;
        this.rgb = copy ? rgb.clone() : rgb;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** A copy of the pixels: R, G, B for each pixel, rows top to bottom. */
    public byte[] toRgbBytes() {
        return rgb.clone();
    }

    /** The red, green or blue value (0-255) at (x, y). */
    public int channel(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xff;
    }
}
